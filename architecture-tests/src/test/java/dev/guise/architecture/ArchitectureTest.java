package dev.guise.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import dev.guise.api.spi.Providers;
import java.io.File;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module graph's rules, checked on the compiled classes of every module (main code only).
 *
 * <p>Each rule names the module it protects; when a rule fails, ArchUnit lists every offending
 * dependency with its source line.
 */
class ArchitectureTest {
  /** Root packages of the modules that implement plugins: engines, validators, third parties. */
  private static final String[] PLUGIN_PACKAGES = {
    "dev.guise.tls..", "dev.guise.validators..", "com.example.guise.."
  };

  /** Every Guise module's root package, for the internal-package rule. */
  private static final List<String> MODULE_ROOTS =
      List.of(
          "dev.guise.api",
          "dev.guise.pool",
          "dev.guise.validators",
          "dev.guise.codec",
          "dev.guise.fingerprint",
          "dev.guise.tls.support",
          "dev.guise.tls.jdk",
          "dev.guise.tls.bouncycastle",
          "dev.guise.tls.conscrypt",
          "dev.guise.testkit",
          "dev.guise.cli",
          "dev.guise.micrometer",
          "dev.guise.session",
          "dev.guise.redis",
          "dev.guise.flink");

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.guise", "com.example.guise");
  }

  @Test
  void apiDependsOnNothingButTheJdk() {
    classes()
        .that()
        .resideInAPackage("dev.guise.api..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("java..", "javax..", "dev.guise.api..")
        .because("the api module is what third parties compile against; it must stay JDK-only")
        .check(classes);
  }

  @Test
  void pluginsNeverDependOnThePool() {
    noClasses()
        .that()
        .resideInAnyPackage(PLUGIN_PACKAGES)
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.guise.pool..")
        .because("engines and validators are plugins: they speak the api, never the pool")
        .check(classes);
  }

  @Test
  void thePoolNeverNamesAnEngineLibrary() {
    noClasses()
        .that()
        .resideInAPackage("dev.guise.pool..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.bouncycastle..", "org.conscrypt..")
        .because("the pool reaches TLS engines only through TlsEngine")
        .check(classes);
  }

  @Test
  void noProductionCodeUsesTheTestingSupport() {
    // guise-testing-support is a test-scope dependency only; main code naming it would compile in
    // the reactor and then fail for a user, who never has it.
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.guise.testing..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.guise.testing..")
        .because("dev.guise.testing (captures, test clocks, TLS peers) is for tests only")
        .check(classes);
  }

  /**
   * No cycles between packages, where a package's {@code internal} implementation counts as part of
   * that package: {@code dev.guise.testkit.internal} (which implements the public interfaces of
   * {@code dev.guise.testkit}) is one unit with it, and {@code dev.guise.pool.internal.http2}
   * counts as {@code dev.guise.pool.http2}. Any other cycle fails, inside a module or across
   * modules.
   */
  @Test
  void noPackageCycles() {
    slices()
        .assignedFrom(
            new SliceAssignment() {
              @Override
              public SliceIdentifier getIdentifierOf(JavaClass c) {
                String p = c.getPackageName();
                if (!p.startsWith("dev.guise.")) {
                  return SliceIdentifier.ignore();
                }
                return SliceIdentifier.of(
                    p.replace(".internal.", ".").replaceAll("\\.internal$", ""));
              }

              @Override
              public String getDescription() {
                return "packages of dev.guise, each with its internal implementation";
              }
            })
        .should()
        .beFreeOfCycles()
        .check(classes);
  }

  @Test
  void internalPackagesAreUsedOnlyInsideTheirModule() {
    for (String root : MODULE_ROOTS) {
      String internal = root + ".internal..";
      if (classes.stream().noneMatch(c -> c.getPackageName().startsWith(root + ".internal"))) {
        continue; // a module without internals (or not built yet) has nothing to protect
      }
      noClasses()
          .that()
          .resideOutsideOfPackage(root + "..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage(internal)
          .because(internal + " is the implementation of module " + root)
          .check(classes);
    }
  }

  @Test
  void noModuleExportsAnInternalPackage() {
    List<String> checked = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      for (ModuleReference ref : ModuleFinder.of(Path.of(entry)).findAll()) {
        ModuleDescriptor d = ref.descriptor();
        if (d.isAutomatic()
            || !(d.name().startsWith("dev.guise") || d.name().startsWith("com.example.guise"))) {
          continue;
        }
        checked.add(d.name());
        for (ModuleDescriptor.Exports e : d.exports()) {
          assertTrue(
              !e.source().contains(".internal"),
              d.name() + " exports its internal package " + e.source());
        }
      }
    }
    assertTrue(
        checked.containsAll(Set.of("dev.guise.api", "dev.guise.pool", "dev.guise.validators")),
        "the module descriptors were found: " + checked);
  }

  @Test
  void theApiModuleRequiresOnlyJavaBase() {
    ModuleDescriptor api = Providers.class.getModule().getDescriptor();
    if (api == null) { // on the class path: read the descriptor from the jar
      var location = Providers.class.getProtectionDomain().getCodeSource().getLocation();
      api =
          ModuleFinder.of(Path.of(URI.create(location.toString())))
              .findAll()
              .iterator()
              .next()
              .descriptor();
    }
    assertEquals(
        Set.of("java.base"),
        api.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()));
  }
}
