package dev.guise.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * guise-bom has no parent (importing it must pin only Guise's modules), so nothing keeps it in step
 * with the reactor but this test: it lists exactly the reactor's published modules (those that do
 * not set {@code maven.deploy.skip}), at the reactor's version.
 */
class BomTest {
  private static final Path ROOT = Path.of(System.getProperty("basedir", ".")).getParent();

  private static Element read(Path pom) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    Document doc = factory.newDocumentBuilder().parse(pom.toFile());
    return doc.getDocumentElement();
  }

  /** The text of the first child element named {@code name}, or null. */
  private static String child(Element e, String name) {
    for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element c && c.getTagName().equals(name)) {
        return c.getTextContent().trim();
      }
    }
    return null;
  }

  private static List<Element> all(Element e, String name) {
    List<Element> out = new ArrayList<>();
    NodeList list = e.getElementsByTagName(name);
    for (int i = 0; i < list.getLength(); i++) {
      out.add((Element) list.item(i));
    }
    return out;
  }

  @Test
  void listsEveryPublishedModuleAtTheReactorsVersion() throws Exception {
    Element root = read(ROOT.resolve("pom.xml"));
    Element bom = read(ROOT.resolve("bom/pom.xml"));
    String version = child(root, "version");
    assertEquals(version, child(bom, "version"), "guise-bom's version is the reactor's");

    Set<String> published = new TreeSet<>();
    // <modules>' own children: checkstyle's rules in the root pom are <module> elements too.
    List<Element> modules = new ArrayList<>();
    for (Node n = root.getElementsByTagName("modules").item(0).getFirstChild();
        n != null;
        n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals("module")) {
        modules.add(e);
      }
    }
    for (Element module : modules) {
      Element pom = read(ROOT.resolve(module.getTextContent().trim()).resolve("pom.xml"));
      String artifact = child(pom, "artifactId");
      boolean skipped =
          all(pom, "maven.deploy.skip").stream()
              .anyMatch(e -> e.getTextContent().trim().equals("true"));
      if (!skipped && !artifact.equals("guise-bom")) {
        published.add(artifact);
      }
    }
    Set<String> listed = new TreeSet<>();
    for (Element dependency : all(bom, "dependency")) {
      assertEquals("dev.guise", child(dependency, "groupId"));
      assertEquals("${project.version}", child(dependency, "version"));
      listed.add(child(dependency, "artifactId"));
    }
    assertEquals(published, listed, "guise-bom lists exactly the published modules");
  }
}
