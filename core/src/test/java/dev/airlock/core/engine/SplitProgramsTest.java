package dev.airlock.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.Airlock;
import dev.airlock.core.HostImport;
import dev.airlock.core.Mount;
import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import dev.airlock.core.testing.Guests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real C programs with functions far above the split threshold (Sightglass's bz2 and regex):
 * compiled with their functions split, they print exactly what the benchmark expects.
 */
class SplitProgramsTest {
    private static final Airlock SPLIT = Airlock.builder().splitThreshold(1500).build();

    @ParameterizedTest
    @ValueSource(strings = {"bz2", "regex"})
    void splitProgramsPrintWhatTheyShould(String name) throws IOException {
        Path dir = Guests.testdata().resolve("sightglass/" + name);
        byte[] wasm = Files.readAllBytes(dir.resolve("benchmark.wasm"));
        Policy p =
                Policy.builder()
                        .mount(new Mount(dir, "/", Mount.Mode.READ_ONLY))
                        .grant(HostImport.ofVoid("bench", "start", () -> {}))
                        .grant(HostImport.ofVoid("bench", "end", () -> {}))
                        .build();
        Guests.Run r = Guests.run(SPLIT, wasm, p);
        assertThat(r.outcome().status()).as(r.outcome().message()).isEqualTo(Status.OK);
        String expected =
                Files.readString(dir.resolve("benchmark.stdout.expected"), StandardCharsets.UTF_8);
        assertThat(r.stdout()).isEqualTo(expected);
    }
}
