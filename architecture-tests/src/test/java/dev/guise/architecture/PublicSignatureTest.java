package dev.guise.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No public signature names an internal type: what a user can call or extend must be made of types
 * the user can name. Checked over every public type of every exported package: its supertypes, and
 * its public and protected fields, constructors and methods (parameters, return type, thrown
 * exceptions, type arguments included).
 */
class PublicSignatureTest {
  private static JavaClasses classes;
  private static Set<String> exported;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.guise");
    exported = GuiseModules.exportedPackages();
  }

  @Test
  void noPublicSignatureNamesAnInternalType() {
    assertTrue(exported.contains("dev.guise.pool"), "module descriptors found: " + exported);
    classes()
        .that(arePublicTypesOfExportedPackages())
        .should(nameNoInternalTypeInTheirPublicSignatures())
        .because(
            "a public signature naming an internal type is API the user cannot name, and "
                + "ties the implementation to the API")
        .check(classes);
  }

  private static DescribedPredicate<JavaClass> arePublicTypesOfExportedPackages() {
    return DescribedPredicate.describe(
        "are public types of exported packages",
        c -> exported.contains(c.getPackageName()) && isVisible(c));
  }

  /** Public, and so are all the types it is nested in. */
  static boolean isVisible(JavaClass c) {
    if (!c.getModifiers().contains(JavaModifier.PUBLIC)
        || c.isAnonymousClass()
        || c.isLocalClass()) {
      return false;
    }
    return c.getEnclosingClass().map(PublicSignatureTest::isVisible).orElse(true);
  }

  private static boolean isApi(JavaMember m) {
    Set<JavaModifier> mods = m.getModifiers();
    return (mods.contains(JavaModifier.PUBLIC) || mods.contains(JavaModifier.PROTECTED))
        && !mods.contains(JavaModifier.SYNTHETIC)
        && !mods.contains(JavaModifier.BRIDGE);
  }

  private static ArchCondition<JavaClass> nameNoInternalTypeInTheirPublicSignatures() {
    return new ArchCondition<>("name no internal type in their public signatures") {
      @Override
      public void check(JavaClass c, ConditionEvents events) {
        List<String> violations = new ArrayList<>();
        c.getSuperclass().ifPresent(s -> collect(c.getName() + " extends", List.of(s), violations));
        collect(c.getName() + " implements", c.getInterfaces(), violations);
        for (JavaField f : c.getFields()) {
          if (isApi(f)) {
            collect(c.getName() + "." + f.getName(), List.of(f.getType()), violations);
          }
        }
        for (JavaCodeUnit u : c.getCodeUnits()) {
          if (!isApi(u) || u.getName().equals("<clinit>")) {
            continue;
          }
          String where =
              c.getName()
                  + "."
                  + u.getName()
                  + "("
                  + String.join(
                      ", ",
                      u.getRawParameterTypes().stream().map(JavaClass::getSimpleName).toList())
                  + ")";
          List<JavaType> types = new ArrayList<>(u.getParameterTypes());
          types.add(u.getReturnType());
          u.getThrowsClause().forEach(t -> types.add(t.getRawType()));
          collect(where, types, violations);
        }
        for (String v : violations) {
          events.add(SimpleConditionEvent.violated(c, v));
        }
      }
    };
  }

  private static void collect(
      String where, Collection<? extends JavaType> types, List<String> out) {
    for (JavaType t : types) {
      for (JavaClass raw : t.getAllInvolvedRawTypes()) {
        JavaClass base = raw.isArray() ? raw.getBaseComponentType() : raw;
        if (GuiseModules.isInternal(base.getPackageName())) {
          out.add(where + " -> " + base.getName());
        }
      }
    }
  }
}
