package dev.airlock.lang;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.Policy;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * A folder of programs ({@code NAME.EXT}), each with the stdout its language's native runtime
 * printed for it ({@code NAME.out}, made by the folder's {@code regenerate.sh}): every program runs
 * in a fresh interpreter, as {@code airlock py} or {@code airlock js} runs a file, and must print
 * exactly that, except the few programs listed as known differences (which must then still differ,
 * so that a fixed difference is taken off the list).
 */
final class ConformanceSuite {
    private final String folder;
    private final String extension;
    private final Language language;
    private final Policy policy;
    private final Map<String, String> differences;

    /**
     * @param differences program name to why its output differs from the native runtime's
     */
    ConformanceSuite(
            String folder,
            String extension,
            Language language,
            Policy policy,
            Map<String, String> differences) {
        this.folder = folder;
        this.extension = extension;
        this.language = language;
        this.policy = policy;
        this.differences = differences;
    }

    Path folder() throws URISyntaxException {
        return Path.of(ConformanceSuite.class.getResource("/" + folder + "/").toURI());
    }

    List<Path> programs() throws IOException, URISyntaxException {
        try (Stream<Path> files = Files.list(folder())) {
            return files.filter(p -> p.toString().endsWith(extension)).sorted().toList();
        }
    }

    private String name(Path program) {
        String n = program.getFileName().toString();
        return n.substring(0, n.length() - extension.length());
    }

    private Path expected(Path program) {
        return program.resolveSibling(name(program) + ".out");
    }

    /** At least {@code min} programs, each with its expected output; differences name programs. */
    void checkLayout(int min) throws Exception {
        List<Path> programs = programs();
        assertThat(programs).hasSizeGreaterThanOrEqualTo(min);
        for (Path p : programs) {
            assertThat(expected(p)).as(p.getFileName().toString()).exists();
        }
        for (String name : differences.keySet()) {
            assertThat(folder().resolve(name + extension)).exists();
        }
    }

    Stream<DynamicTest> tests(CodeInterpreter ci) throws Exception {
        return programs().stream()
                .map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> check(ci, p)));
    }

    private void check(CodeInterpreter ci, Path program) throws IOException {
        String name = name(program);
        Capture c = new Capture();
        ci.run(language, Files.readString(program), policy, c.stdio());
        String want = Files.readString(expected(program), StandardCharsets.UTF_8);
        if (differences.containsKey(name)) {
            assertThat(c.out()).as(name).isNotEqualTo(want);
        } else {
            assertThat(c.out()).as(name + " (stderr: " + c.err() + ")").isEqualTo(want);
        }
    }
}
