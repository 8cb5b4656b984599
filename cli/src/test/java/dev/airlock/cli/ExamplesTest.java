package dev.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.wabt.Wat2Wasm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The checked-in example modules are exactly what their WAT sources assemble to. */
class ExamplesTest {
    static final Path EXAMPLES = Path.of("..", "examples");

    @Test
    void everyExampleWasmMatchesItsSource() throws IOException {
        List<Path> sources;
        try (Stream<Path> s = Files.list(EXAMPLES)) {
            sources =
                    s.filter(p -> p.toString().endsWith(".wat"))
                            .sorted()
                            .collect(Collectors.toList());
        }
        assertThat(sources).isNotEmpty();
        boolean rebuild = Boolean.getBoolean("airlock.rebuildExamples");
        for (Path wat : sources) {
            byte[] built = Wat2Wasm.parse(Files.readString(wat));
            Path wasm = wat.resolveSibling(wat.getFileName().toString().replace(".wat", ".wasm"));
            if (rebuild) {
                Files.write(wasm, built);
            }
            assertThat(wasm).as("%s exists (run examples/rebuild)", wasm).exists();
            assertThat(Files.readAllBytes(wasm))
                    .as("%s is out of date: run examples/rebuild", wasm)
                    .isEqualTo(built);
        }
    }
}
