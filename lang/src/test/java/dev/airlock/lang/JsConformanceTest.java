package dev.airlock.lang;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.ClockMode;
import dev.airlock.core.Policy;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs each program of {@code js-conformance/NAME.js} in a fresh interpreter, as {@code airlock js}
 * does, and compares its stdout with {@code NAME.out}, what Node 20 printed for it ({@code
 * regenerate.sh}).
 */
class JsConformanceTest {
    static final CodeInterpreter CI = CodeInterpreter.create();

    /**
     * A frozen clock: timers then fire in the order of their due times however slow the machine
     * (with a real clock, a timer that fires late delays an interval's next run, as in Node).
     */
    static final Policy POLICY = Policy.builder().clock(ClockMode.FROZEN).build();

    /**
     * Programs whose output is known to differ from Node's, with the reason. Keep it short: fix the
     * runtime rather than add to it.
     */
    static final Map<String, String> EXPECTED_DIFFERENCES = Map.of();

    @AfterAll
    static void close() {
        CI.close();
    }

    static Path folder() throws URISyntaxException {
        return Path.of(JsConformanceTest.class.getResource("/js-conformance/").toURI());
    }

    static List<Path> programs() throws IOException, URISyntaxException {
        try (Stream<Path> files = Files.list(folder())) {
            return files.filter(p -> p.toString().endsWith(".js")).sorted().toList();
        }
    }

    @Test
    void thereAreEnoughProgramsEachWithItsExpectedOutput() throws Exception {
        List<Path> programs = programs();
        assertThat(programs).hasSizeGreaterThanOrEqualTo(40);
        for (Path p : programs) {
            assertThat(expected(p)).as(p.getFileName().toString()).exists();
        }
        for (String name : EXPECTED_DIFFERENCES.keySet()) {
            assertThat(folder().resolve(name + ".js")).exists();
        }
    }

    @TestFactory
    Stream<DynamicTest> eachProgramPrintsWhatNodePrints() throws Exception {
        return programs().stream()
                .map(
                        p ->
                                DynamicTest.dynamicTest(
                                        p.getFileName().toString(),
                                        () -> {
                                            String name = p.getFileName().toString();
                                            name = name.substring(0, name.length() - 3);
                                            Capture c = new Capture();
                                            CI.run(
                                                    Language.JAVASCRIPT,
                                                    Files.readString(p),
                                                    POLICY,
                                                    c.stdio());
                                            String want =
                                                    Files.readString(
                                                            expected(p), StandardCharsets.UTF_8);
                                            if (EXPECTED_DIFFERENCES.containsKey(name)) {
                                                assertThat(c.out()).as(name).isNotEqualTo(want);
                                            } else {
                                                assertThat(c.out())
                                                        .as(name + " (stderr: " + c.err() + ")")
                                                        .isEqualTo(want);
                                            }
                                        }));
    }

    private static Path expected(Path js) {
        String n = js.getFileName().toString();
        return js.resolveSibling(n.substring(0, n.length() - 3) + ".out");
    }
}
