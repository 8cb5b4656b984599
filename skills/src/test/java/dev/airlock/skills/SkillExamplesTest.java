package dev.airlock.skills;

import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.wabt.Wat2Wasm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The example WASI skill's committed module, and the {@code skill new} template made from it, are
 * exactly what its WAT source assembles to ({@code examples/skills/rebuild} rewrites them).
 */
class SkillExamplesTest {
    static final Path EXAMPLES = Path.of("..", "examples", "skills");
    static final Path TEMPLATES = Path.of("src", "main", "resources", "dev", "airlock", "skills");

    @Test
    void wasmExampleAndTemplateMatchTheirSource() throws IOException {
        Path wat = EXAMPLES.resolve("wasm-echo/main.wat");
        byte[] built = Wat2Wasm.parse(Files.readString(wat));
        Path wasm = EXAMPLES.resolve("wasm-echo/main.wasm");
        Path template = TEMPLATES.resolve("template.wasm");
        Path templateWat = TEMPLATES.resolve("template.wat");
        if (Boolean.getBoolean("airlock.rebuildExamples")) {
            Files.write(wasm, built);
            Files.write(template, built);
            Files.copy(wat, templateWat, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        assertThat(Files.readAllBytes(wasm))
                .as("%s: run examples/skills/rebuild", wasm)
                .isEqualTo(built);
        assertThat(Files.readAllBytes(template))
                .as("%s: run examples/skills/rebuild", template)
                .isEqualTo(built);
        assertThat(Files.readString(templateWat)).isEqualTo(Files.readString(wat));
    }
}
