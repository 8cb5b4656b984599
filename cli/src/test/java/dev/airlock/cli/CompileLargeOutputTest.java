package dev.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airlock.core.Stdio;
import dev.airlock.nn.onnx.Models;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An output larger than the guest's starting memory: the guest grows it and gets all of it. */
class CompileLargeOutputTest {
    @TempDir Path tmp;

    @Test
    void outputBiggerThanTheGuestsFirstPagesComesBackWhole() throws Exception {
        String d = "--data=" + tmp.resolve("data");
        StringWriter err = new StringWriter();
        ByteArrayOutputStream gout = new ByteArrayOutputStream();
        ByteArrayOutputStream gerr = new ByteArrayOutputStream();
        picocli.CommandLine cl =
                Main.commandLine(
                        new PrintWriter(new StringWriter()),
                        new PrintWriter(err),
                        Stdio.of(gout, gerr));
        byte[] model = Models.matmul(1, 4, 40_000, 7);
        Path file = tmp.resolve("wide.onnx");
        Files.write(file, model);
        Path skill = tmp.resolve("wide.skill");
        assertThat(cl.execute("skill", "keys", "create", "acme", "--trust", d)).isZero();
        assertThat(
                        cl.execute(
                                "compile",
                                file.toString(),
                                "--secure",
                                "--key",
                                "acme",
                                "-o",
                                skill.toString(),
                                d))
                .as(err.toString())
                .isZero();
        assertThat(cl.execute("skill", "install", skill.toString(), d)).isZero();
        int code =
                cl.execute(
                        "skill",
                        "run",
                        "wide",
                        "predict",
                        "--input",
                        "{\"x\": [[0.5, -1, 2, 0.25]]}",
                        "--no-store",
                        d);
        assertThat(code).as(err + gerr.toString(StandardCharsets.UTF_8)).isZero();
        float[] got =
                CompileCliTest.floats(
                        new ObjectMapper()
                                .readTree(gout.toString(StandardCharsets.UTF_8))
                                .get("y"));
        float[] want =
                (float[])
                        CompileCliTest.direct(
                                        model,
                                        "x",
                                        new float[] {0.5f, -1f, 2f, 0.25f},
                                        new long[] {1, 4})
                                .get("y");
        assertThat(got).hasSize(40_000).isEqualTo(want);
    }
}
