package dev.guise.architecture;

import java.io.File;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The module descriptors of Guise's modules on this test's class path (jars or class directories of
 * the reactor), read without loading them as modules: the tests run on the class path.
 */
final class GuiseModules {
  private GuiseModules() {}

  /** Guise's own named modules (not the example's), by name. */
  static Map<String, ModuleDescriptor> all() {
    Map<String, ModuleDescriptor> out = new TreeMap<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      for (ModuleReference ref : ModuleFinder.of(Path.of(entry)).findAll()) {
        ModuleDescriptor d = ref.descriptor();
        if (!d.isAutomatic() && d.name().startsWith("dev.guise")) {
          out.put(d.name(), d);
        }
      }
    }
    return out;
  }

  /** Packages exported to anyone, qualified or not. */
  static Set<String> exportedPackages() {
    Set<String> out = new TreeSet<>();
    for (ModuleDescriptor d : all().values()) {
      d.exports().forEach(e -> out.add(e.source()));
    }
    return out;
  }

  /** Whether a package is implementation: it has an {@code internal} segment. */
  static boolean isInternal(String packageName) {
    return ("." + packageName + ".").contains(".internal.");
  }
}
