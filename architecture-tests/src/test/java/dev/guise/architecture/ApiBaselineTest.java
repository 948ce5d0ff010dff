package dev.guise.architecture;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The public API of every Guise module, written out and compared with the checked-in baseline
 * {@code architecture-tests/api/guise.api}, so an accidental change of the API fails the build (the
 * way OkHttp keeps its {@code api/okhttp.api} files). An intended change updates the baseline with
 * {@value #UPDATE_COMMAND}, and the baseline's diff is reviewed with the change.
 *
 * <p>The file lists, per module, its exports (qualified ones with their targets) and, for every
 * package exported to everyone, each public type with its public and protected members, sorted, one
 * per line. Until the first release this is the whole check; from then on japicmp against the
 * released artifacts joins it (see the README).
 */
class ApiBaselineTest {
  static final String UPDATE_COMMAND =
      "mvn -B -o -pl architecture-tests -am verify -Dtest=ApiBaselineTest"
          + " -Dsurefire.failIfNoSpecifiedTests=false -Dguise.api.update=true";

  /** The modules that must be present: a missing one would silently drop out of the baseline. */
  private static final Set<String> PUBLISHED =
      Set.of(
          "dev.guise.api",
          "dev.guise.codec",
          "dev.guise.fingerprint",
          "dev.guise.micrometer",
          "dev.guise.pool",
          "dev.guise.redis",
          "dev.guise.session",
          "dev.guise.testkit",
          "dev.guise.tls.bouncycastle",
          "dev.guise.tls.conscrypt",
          "dev.guise.tls.jdk",
          "dev.guise.tls.support",
          "dev.guise.validators");

  private static final Path BASELINE =
      Path.of(System.getProperty("basedir", "."), "api", "guise.api");

  @Test
  void thePublicApiIsTheBaseline() throws IOException {
    String current = currentApi();
    if (Boolean.getBoolean("guise.api.update")) {
      Files.createDirectories(BASELINE.getParent());
      Files.writeString(BASELINE, current, StandardCharsets.UTF_8);
      return;
    }
    assertTrue(
        Files.exists(BASELINE),
        "no API baseline at " + BASELINE.toAbsolutePath() + "; write it with: " + UPDATE_COMMAND);
    String baseline = Files.readString(BASELINE, StandardCharsets.UTF_8);
    if (!baseline.equals(current)) {
      fail(
          "The public API differs from the baseline "
              + BASELINE
              + ":\n"
              + diff(baseline.lines().toList(), current.lines().toList())
              + "\n"
              + "If the change is intended, update the baseline and commit it with the change:\n"
              + "  "
              + UPDATE_COMMAND);
    }
  }

  /**
   * Lines only in the baseline ("-") and only in the API now ("+"), in file order. A member line is
   * compared together with its type's (or module's) name, and printed with it, since the member
   * line alone does not say whose it is.
   */
  private static String diff(List<String> before, List<String> after) {
    List<String> was = owned(before);
    List<String> is = owned(after);
    Set<String> wasSet = new LinkedHashSet<>(was);
    Set<String> isSet = new LinkedHashSet<>(is);
    StringBuilder out = new StringBuilder();
    was.stream()
        .filter(l -> !isSet.contains(l))
        .forEach(l -> out.append("- ").append(l).append('\n'));
    is.stream()
        .filter(l -> !wasSet.contains(l))
        .forEach(l -> out.append("+ ").append(l).append('\n'));
    return out.length() == 0 ? "(only the order of lines changed)\n" : out.toString();
  }

  private static final Pattern TYPE_NAME =
      Pattern.compile("(?:class|interface|enum|record|@interface) ([^<\\s]+)");

  /** Each member line with its owner: "in dev.guise.X: public void m()". */
  private static List<String> owned(List<String> lines) {
    List<String> out = new ArrayList<>();
    String owner = "";
    for (String line : lines) {
      if (line.startsWith("  ")) {
        out.add("in " + owner + ": " + line.strip());
      } else {
        Matcher m = TYPE_NAME.matcher(line);
        owner = line.startsWith("module ") ? line : m.find() ? m.group(1) : line;
        out.add(line);
      }
    }
    return out;
  }

  static String currentApi() {
    Map<String, ModuleDescriptor> modules = GuiseModules.all();
    assertTrue(
        modules.keySet().containsAll(PUBLISHED),
        "every published module is on the class path (add it to architecture-tests' pom): found "
            + modules.keySet()
            + ", need "
            + PUBLISHED);
    var imported =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.guise");
    StringBuilder out = new StringBuilder();
    out.append("# The public API of Guise's modules; checked by ApiBaselineTest.\n")
        .append("# Do not edit: regenerate with ")
        .append(UPDATE_COMMAND)
        .append('\n');
    for (ModuleDescriptor d : modules.values()) {
      out.append('\n').append("module ").append(d.name()).append('\n');
      Set<String> open = new TreeSet<>();
      d.exports().stream()
          .map(
              e ->
                  e.isQualified()
                      ? e.source() + " to " + String.join(", ", new TreeSet<>(e.targets()))
                      : e.source())
          .sorted()
          .forEach(e -> out.append("  exports ").append(e).append('\n'));
      d.exports().stream().filter(e -> !e.isQualified()).forEach(e -> open.add(e.source()));
      Map<String, Class<?>> types = new TreeMap<>();
      for (JavaClass c : imported) {
        if (open.contains(c.getPackageName()) && PublicSignatureTest.isVisible(c)) {
          types.put(c.getName(), load(c.getName()));
        }
      }
      for (Class<?> type : types.values()) {
        out.append(declaration(type)).append('\n');
        members(type).forEach(m -> out.append("  ").append(m).append('\n'));
      }
    }
    return out.toString();
  }

  private static Class<?> load(String name) {
    try {
      // Not initialised: reading signatures must not run static initialisers (engines load
      // native code or check JVM flags in theirs).
      return Class.forName(name, false, ApiBaselineTest.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new AssertionError("imported but not loadable: " + name, e);
    }
  }

  /** The type's declaration, written the same way whatever the JDK's toGenericString does. */
  static String declaration(Class<?> c) {
    List<String> words = new ArrayList<>();
    int m = c.getModifiers();
    if (Modifier.isPublic(m)) {
      words.add("public");
    }
    if (Modifier.isProtected(m)) {
      words.add("protected");
    }
    if (c.getEnclosingClass() != null
        && Modifier.isStatic(m)
        && !c.isInterface()
        && !c.isEnum()
        && !c.isRecord()) {
      words.add("static");
    }
    if (Modifier.isAbstract(m) && !c.isInterface()) {
      words.add("abstract");
    }
    if (Modifier.isFinal(m) && !c.isEnum() && !c.isRecord()) {
      words.add("final");
    }
    if (c.isSealed()) {
      words.add("sealed");
    }
    words.add(
        c.isAnnotation()
            ? "@interface"
            : c.isInterface()
                ? "interface"
                : c.isEnum() ? "enum" : c.isRecord() ? "record" : "class");
    StringBuilder s =
        new StringBuilder(String.join(" ", words))
            .append(' ')
            .append(c.getName())
            .append(typeParameters(c.getTypeParameters()));
    Type superclass = c.getGenericSuperclass();
    if (superclass != null && !c.isEnum() && !c.isRecord() && superclass != Object.class) {
      s.append(" extends ").append(superclass.getTypeName());
    }
    Type[] interfaces = c.getGenericInterfaces();
    if (interfaces.length > 0 && !c.isAnnotation()) {
      s.append(c.isInterface() ? " extends " : " implements ")
          .append(
              Arrays.stream(interfaces).map(Type::getTypeName).collect(Collectors.joining(", ")));
    }
    return s.toString();
  }

  private static String typeParameters(TypeVariable<?>[] variables) {
    if (variables.length == 0) {
      return "";
    }
    return Arrays.stream(variables)
        .map(
            v -> {
              String bounds =
                  Arrays.stream(v.getBounds())
                      .filter(b -> b != Object.class)
                      .map(Type::getTypeName)
                      .collect(Collectors.joining(" & "));
              return bounds.isEmpty() ? v.getName() : v.getName() + " extends " + bounds;
            })
        .collect(Collectors.joining(", ", "<", ">"));
  }

  /** Public and protected members, sorted; compiler-made bridges and synthetics left out. */
  private static List<String> members(Class<?> c) {
    Stream<Member> all =
        Stream.of(c.getDeclaredConstructors(), c.getDeclaredMethods(), c.getDeclaredFields())
            .flatMap(Arrays::stream);
    return all.filter(m -> !m.isSynthetic())
        .filter(m -> Modifier.isPublic(m.getModifiers()) || Modifier.isProtected(m.getModifiers()))
        .map(
            m ->
                switch (m) {
                  case Method method -> method.toGenericString();
                  case Constructor<?> constructor -> constructor.toGenericString();
                  case Field field -> field.toGenericString();
                  default -> throw new IllegalStateException(m.toString());
                })
        // The type's header names the type: "Timeouts.connect()" becomes "connect()". Parameter
        // types follow "(" or "," and the return type a modifier, so only the name's prefix goes.
        .map(line -> line.replaceFirst(" " + Pattern.quote(c.getName() + "."), " "))
        .sorted()
        .toList();
  }
}
