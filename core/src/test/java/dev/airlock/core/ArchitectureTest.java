package dev.airlock.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Dependency rules that keep the engine switchable and the layers one-way. */
class ArchitectureTest {
    private static final Path ROOT = Path.of("..");

    private static List<Path> mainSources() throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> modules = Files.list(ROOT)) {
            for (Path m : (Iterable<Path>) modules::iterator) {
                Path src = m.resolve("src/main/java");
                if (Files.isDirectory(src)) {
                    try (Stream<Path> s = Files.walk(src)) {
                        s.filter(p -> p.toString().endsWith(".java")).forEach(out::add);
                    }
                }
            }
        }
        return out;
    }

    @Test
    void onlyTheEnginePackageImportsChicory() throws IOException {
        List<String> offenders = new ArrayList<>();
        List<Path> sources = mainSources();
        assertThat(sources).hasSizeGreaterThan(20);
        for (Path p : sources) {
            String normalized = p.toString().replace('\\', '/');
            boolean engine = normalized.contains("/core/src/main/java/dev/airlock/core/engine/");
            for (String line : Files.readAllLines(p)) {
                if (line.startsWith("import com.dylibso.chicory.")
                        && !engine
                        && !line.startsWith("import com.dylibso.chicory.wabt.")) {
                    offenders.add(normalized + ": " + line);
                }
            }
        }
        assertThat(offenders).isEmpty();
    }

    @Test
    void coreDependsOnNoOuterLayer() throws IOException {
        List<String> offenders = new ArrayList<>();
        for (Path p : mainSources()) {
            if (!p.toString().replace('\\', '/').contains("/core/src/main/java/")) {
                continue;
            }
            for (String line : Files.readAllLines(p)) {
                if (line.startsWith("import dev.airlock.")
                        && !line.startsWith("import dev.airlock.core")) {
                    offenders.add(p + ": " + line);
                }
            }
        }
        assertThat(offenders).isEmpty();
    }
}
