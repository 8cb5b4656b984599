package dev.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.Stdio;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code airlock py FILE ARGS...}, {@code --packages DIR} and {@code PYTHONPATH}. */
class PyCliTest {
    @TempDir Path tmp;

    record Result(int code, String err, String guestOut, String guestErr) {}

    Result py(String... args) {
        StringWriter err = new StringWriter();
        ByteArrayOutputStream gOut = new ByteArrayOutputStream();
        ByteArrayOutputStream gErr = new ByteArrayOutputStream();
        List<String> all = new ArrayList<>(List.of("py", "--no-store", "--no-cache"));
        all.addAll(List.of(args));
        int code =
                Main.commandLine(
                                new PrintWriter(new StringWriter()),
                                new PrintWriter(err),
                                Stdio.of(gOut, gErr))
                        .execute(all.toArray(new String[0]));
        return new Result(
                code,
                err.toString(),
                gOut.toString(StandardCharsets.UTF_8),
                gErr.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aFileGetsItsArgumentsDashesIncludedAndIsNamedInTracebacks() throws IOException {
        Path script = tmp.resolve("job.py");
        Files.writeString(
                script, "import sys\nprint(sys.argv[1:])\nraise SystemExit(int(sys.argv[2]))\n");
        Result r = py(script.toString(), "--n", "3");
        assertThat(r.code()).as(r.err() + r.guestErr()).isEqualTo(3);
        assertThat(r.guestOut()).isEqualTo("['--n', '3']\n");

        Files.writeString(script, "def f():\n    return {}['k']\nf()\n");
        r = py(script.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.guestErr())
                .contains("File \"" + script + "\", line 3, in <module>")
                .contains("    return {}['k']");
    }

    @Test
    void packagesFoldersAndPythonPathAreImportable() throws IOException {
        Path site = tmp.resolve("site");
        Files.createDirectories(site.resolve("wheelpkg"));
        Files.writeString(site.resolve("wheelpkg/__init__.py"), "NAME = 'wheel'\n");
        Path extra = tmp.resolve("extra");
        Files.createDirectories(extra);
        Files.writeString(extra.resolve("helper.py"), "NAME = 'path'\n");
        Result r =
                py(
                        "--packages",
                        site.toString(),
                        "--mount",
                        extra + ":/opt/extra",
                        "--env",
                        "PYTHONPATH=/opt/extra",
                        "-c",
                        "import wheelpkg, helper; print(wheelpkg.NAME, helper.NAME)");
        assertThat(r.code()).as(r.err() + r.guestErr()).isZero();
        assertThat(r.guestOut()).isEqualTo("wheel path\n");
    }

    @Test
    void aMissingPackagesFolderOrOneForJavaScriptIsAUsageError() {
        Result r = py("--packages", tmp.resolve("missing").toString(), "-c", "1");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--packages: not a directory");
        StringWriter err = new StringWriter();
        int code =
                Main.commandLine(
                                new PrintWriter(new StringWriter()),
                                new PrintWriter(err),
                                Stdio.discard())
                        .execute("js", "--no-store", "--packages", tmp.toString(), "-c", "1");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).startsWith("airlock: js has no --packages: it is for py only\n");
    }
}
