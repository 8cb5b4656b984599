package dev.airlock.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * bom/pom.xml (which has no parent, so that importing it brings no third-party versions) lists
 * every published module, at the parent's version.
 */
class BomTest {
    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
    private static final Pattern ARTIFACT = Pattern.compile("<artifactId>([^<]+)</artifactId>");

    /** Modules that are built but not published. */
    private static final List<String> UNPUBLISHED = List.of("bench", "bom");

    @Test
    void theBomListsEveryPublishedModuleAtTheParentsVersion() throws IOException {
        String parent = Files.readString(Path.of("../pom.xml"));
        String bom = Files.readString(Path.of("../bom/pom.xml"));
        List<String> published = new ArrayList<>();
        Matcher m = MODULE.matcher(parent);
        while (m.find()) {
            if (!UNPUBLISHED.contains(m.group(1))) {
                published.add(ownArtifactId(Path.of("..", m.group(1), "pom.xml")));
            }
        }
        assertThat(published).contains("airlock-core", "airlock-langchain4j", "airlock-spring-ai");
        List<String> listed = new ArrayList<>();
        Matcher d =
                Pattern.compile(
                                "<dependency><groupId>dev\\.airlock</groupId><artifactId>([^<]+)"
                                        + "</artifactId><version>\\$\\{project\\.version}"
                                        + "</version></dependency>")
                        .matcher(bom);
        while (d.find()) {
            listed.add(d.group(1));
        }
        assertThat(listed).containsExactlyInAnyOrderElementsOf(published);
        assertThat(version(bom))
                .isEqualTo(version(parent.replaceFirst("(?s)<parent>.*?</parent>", "")));
    }

    /** The artifactId of a module's pom, after its parent's. */
    private static String ownArtifactId(Path pom) throws IOException {
        String text = Files.readString(pom).replaceFirst("(?s)<parent>.*?</parent>", "");
        Matcher m = ARTIFACT.matcher(text);
        assertThat(m.find()).as(pom.toString()).isTrue();
        return m.group(1);
    }

    private static String version(String pom) {
        Matcher m = Pattern.compile("<version>([^<$]+)</version>").matcher(pom);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }
}
