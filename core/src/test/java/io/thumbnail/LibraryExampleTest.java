package io.thumbnail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The library's example, as README.md and docs/library.md print it, compiled and run as an embedding application
 * would: in a JVM of its own, in a folder holding {@code cat.jpg}; and the optional dependencies the guide tells an
 * application to add, as core's POM declares them.
 */
class LibraryExampleTest {
    private static final Path ROOT = Path.of("..");
    private static final Pattern FIRST_JAVA_BLOCK = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL);
    private static final Pattern FIRST_XML_BLOCK = Pattern.compile("```xml\n(.*?)```", Pattern.DOTALL);

    @TempDir
    Path dir;

    private static String firstJavaBlock(Path page) throws IOException {
        Matcher block = FIRST_JAVA_BLOCK.matcher(Files.readString(ROOT.resolve(page), StandardCharsets.UTF_8));
        assertThat(block.find()).as("a java block in %s", page).isTrue();
        return block.group(1);
    }

    @Test
    void the_readme_and_the_library_guide_show_the_same_example() throws IOException {
        assertThat(firstJavaBlock(Path.of("docs/library.md"))).as("docs/library.md's first example")
                .isEqualTo(firstJavaBlock(Path.of("README.md")));
    }

    @Test
    void the_example_compiles_as_printed_and_makes_both_thumbnails() throws Exception {
        Path source = Files.createDirectories(dir.resolve("src")).resolve("LibraryExample.java");
        Files.writeString(source, "import io.thumbnail.*;\nimport java.nio.file.*;\nimport java.time.Duration;\n\n"
                + "public class LibraryExample {\n    public static void main(String[] args) throws Exception {\n"
                + firstJavaBlock(Path.of("README.md")) + "    }\n}\n");
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream compilerOutput = new ByteArrayOutputStream();
        int compiled = javac.run(null, compilerOutput, compilerOutput, "-d", classes.toString(), "-cp",
                System.getProperty("java.class.path"), source.toString());
        assertThat(compiled).as("javac's exit code; it said:%n%s", compilerOutput).isZero();

        Path work = Files.createDirectories(dir.resolve("app"));
        Files.write(work.resolve("cat.jpg"), TestImages.jpeg(400, 300, 1));
        Process app = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", classes + File.pathSeparator + System.getProperty("java.class.path"),
                "LibraryExample").directory(work.toFile()).redirectErrorStream(true).start();
        String output = new String(app.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(app.waitFor(60, TimeUnit.SECONDS)).as("the example ends").isTrue();

        assertThat(app.exitValue()).as("the example's exit code; it printed:%n%s", output).isZero();
        assertThat(work.resolve("cat.thumbnail.jpg")).as("the pipeline's thumbnail").isNotEmptyFile();
        try (var files = Files.list(work.resolve("data"))) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).as("the job system's data directory")
                    .contains("jobs.db", "blobs");
        }
    }

    @Test
    void the_guide_names_cores_optional_dependencies_at_the_versions_core_is_built_with() throws Exception {
        Matcher block = FIRST_XML_BLOCK.matcher(Files.readString(ROOT.resolve("docs/library.md"),
                StandardCharsets.UTF_8));
        assertThat(block.find()).as("an xml block in docs/library.md").isTrue();
        List<String> shown = new ArrayList<>();
        for (Element dependency : dependencies(block.group(1).getBytes(StandardCharsets.UTF_8))) {
            shown.add(text(dependency, "groupId") + ":" + text(dependency, "artifactId") + ":"
                    + text(dependency, "version"));
        }
        List<String> optional = new ArrayList<>();
        for (Element dependency : dependencies(Files.readAllBytes(ROOT.resolve("core/pom.xml")))) {
            if (text(dependency, "optional").equals("true")) {
                optional.add(text(dependency, "groupId") + ":" + text(dependency, "artifactId") + ":"
                        + versionOnClassPath(text(dependency, "groupId"), text(dependency, "artifactId")));
            }
        }

        assertThat(shown).as("the dependencies docs/library.md tells an application to add, against core's optional"
                + " dependencies at the versions on its class path").containsExactlyInAnyOrderElementsOf(optional);
    }

    private static List<Element> dependencies(byte[] xml) throws Exception {
        NodeList nodes = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml)).getElementsByTagName("dependency");
        List<Element> elements = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            elements.add((Element) nodes.item(i));
        }
        return elements;
    }

    /** The text of {@code parent}'s child element {@code name}, or "" if it has none. */
    private static String text(Element parent, String name) {
        NodeList children = parent.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element child && child.getTagName().equals(name)) {
                return child.getTextContent().trim();
            }
        }
        return "";
    }

    /** The version of an artifact whose jar is on this JVM's class path, from its path in the Maven repository. */
    private static String versionOnClassPath(String groupId, String artifactId) {
        Pattern jar = Pattern.compile(".*/" + Pattern.quote(groupId.replace('.', '/') + "/" + artifactId)
                + "/([^/]+)/" + Pattern.quote(artifactId) + "-\\1\\.jar");
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(entry -> jar.matcher(entry.replace('\\', '/')))
                .filter(Matcher::matches)
                .map(m -> m.group(1))
                .findFirst().orElse("not on the class path");
    }
}
