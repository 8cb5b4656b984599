package dev.airlock.lang;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * All of HumanEval's programs pass in the Python sandbox, each in a freshly restored instance with
 * the default limits except the timeout: a few programs are CPU-bound (HumanEval_75 runs a million
 * loop iterations, 0.6 s in native python3) and take several seconds on a busy 2-core machine.
 */
class HumanEvalTest {
    static final Path PROGRAMS = Path.of("../testdata/humaneval/programs");
    static final Policy POLICY =
            Policy.builder()
                    .limits(
                            dev.airlock.core.Limits.builder()
                                    .timeout(java.time.Duration.ofSeconds(60))
                                    .build())
                    .build();
    static final CodeInterpreter CI = CodeInterpreter.create();

    @AfterAll
    static void close() {
        CI.close();
    }

    @TestFactory
    Stream<DynamicTest> humanEval() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(PROGRAMS)) {
            files = s.filter(p -> p.toString().endsWith(".py")).sorted().toList();
        }
        assertThat(files).hasSize(164);
        return files.stream()
                .map(
                        f ->
                                DynamicTest.dynamicTest(
                                        f.getFileName().toString(),
                                        () -> {
                                            String code =
                                                    Files.readString(f, StandardCharsets.UTF_8);
                                            Capture c = new Capture();
                                            Execution e =
                                                    CI.run(
                                                            Language.PYTHON,
                                                            code,
                                                            POLICY,
                                                            c.stdio());
                                            assertThat(c.err()).isEmpty();
                                            assertThat(e.outcome().status())
                                                    .as(e.outcome().message())
                                                    .isEqualTo(Status.OK);
                                        }));
    }
}
