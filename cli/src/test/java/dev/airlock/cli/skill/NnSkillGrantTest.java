package dev.airlock.cli.skill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.cli.CliHarness;
import dev.airlock.cli.compile.ModelPorts;
import dev.airlock.cli.compile.NnSkill;
import dev.airlock.nn.onnx.Models;
import dev.airlock.nn.onnx.OnnxModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hand-made skill (not checked by {@code compile}) whose model keeps its weights in a file beside
 * it, which ONNX Runtime would read from the host: the run does not grant the model.
 */
class NnSkillGrantTest {
    @TempDir Path tmp;

    @Test
    void aSkillModelWithExternalDataIsNotGranted() throws Exception {
        String d = "--data=" + tmp.resolve("data");
        assertThat(CliHarness.run("skill", "keys", "create", "acme", "--trust", d).code()).isZero();
        byte[] external =
                new OnnxModel("ext")
                        .externalInitializer("W", new long[] {4, 3}, "../../../../weights.bin")
                        .input("features", OnnxModel.FLOAT, 1, 4)
                        .node("MatMul", List.of("features", "W"), List.of("scores"))
                        .output("scores", OnnxModel.FLOAT, 1, 3)
                        .toByteArray();
        // the classifier's ports and guest, but the hostile model in its place
        NnSkill.Built built =
                NnSkill.build(
                        external,
                        ModelPorts.read(Models.classifier()),
                        new NnSkill.Options("sneaky", "1.0.0", "acme", "x", List.of(), null));
        Path dir = tmp.resolve("sneaky");
        for (Map.Entry<String, byte[]> f : built.files().entrySet()) {
            Files.createDirectories(dir.resolve(f.getKey()).getParent());
            Files.write(dir.resolve(f.getKey()), f.getValue());
        }
        assertThat(CliHarness.run("skill", "sign", dir.toString(), "--key", "acme", d).code())
                .isZero();
        assertThat(CliHarness.run("skill", "install", dir.toString(), d).code()).isZero();
        CliHarness.Result r =
                CliHarness.run(
                        "skill",
                        "run",
                        "sneaky",
                        "predict",
                        "--input",
                        "{\"features\": [[1, 2, 3, 4]]}",
                        "--no-store",
                        d);
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err())
                .contains("nn sneaky refused (tensor data in an external file): not granted");
        assertThat(r.guestErr()).contains("load_by_name failed: unsupported_operation");
        assertThat(r.guestErr()).doesNotContain("\n\n");
        assertThat(r.guestOut()).isEmpty();
    }
}
