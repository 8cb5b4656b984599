package dev.airlock.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The Java example in README.md, compiled and run as written there. */
class ReadmeExampleTest {
    @Test
    void readmeExampleRuns() throws Exception {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        // README-EXAMPLE-BEGIN
        Airlock airlock = Airlock.create(); // share one: it caches compiled modules
        GuestModule module = airlock.load(Path.of("../examples/hello.wasm")); // validated
        Policy policy =
                Policy.builder()
                        .args("one", "two")
                        .env("GREETING", "hi") // the only variable the guest will see
                        .limits(Limits.builder().timeout(Duration.ofSeconds(2)).build())
                        .build();
        Outcome outcome = airlock.run(module, policy, Stdio.of(stdout, System.err));
        System.out.println(outcome.status() + " " + outcome.usage());
        // README-EXAMPLE-END
        assertThat(outcome.status()).isEqualTo(Status.OK);
        assertThat(stdout.toString(StandardCharsets.UTF_8))
                .isEqualTo("Hello from inside Airlock! Arguments:\none\ntwo\n");
    }

    @Test
    void readmeShowsThisExampleVerbatim() throws IOException {
        String source =
                Files.readString(Path.of("src/test/java/dev/airlock/core/ReadmeExampleTest.java"));
        String begin = "// README-EXAMPLE-BEGIN\n";
        String body =
                source.substring(
                        source.indexOf(begin) + begin.length(),
                        source.indexOf("        // README-EXAMPLE-END"));
        StringBuilder unindented = new StringBuilder();
        for (String line : body.split("\n", -1)) {
            unindented.append(line.length() >= 8 ? line.substring(8) : line.strip()).append('\n');
        }
        String readme = Files.readString(Path.of("../README.md"));
        assertThat(readme).contains(unindented.toString().stripTrailing());
    }
}
