package dev.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code airlock py FILE ARGS...}, {@code --packages DIR} and {@code PYTHONPATH}. */
class PyCliTest {
    @TempDir Path tmp;

    /** {@code airlock py} without store or cache, then {@code args}. */
    CliHarness.Result py(String... args) {
        return CliHarness.run(List.of("py", "--no-store", "--no-cache"), args);
    }

    @Test
    void aFileGetsItsArgumentsDashesIncludedAndIsNamedInTracebacks() throws IOException {
        Path script = tmp.resolve("job.py");
        Files.writeString(
                script, "import sys\nprint(sys.argv[1:])\nraise SystemExit(int(sys.argv[2]))\n");
        CliHarness.Result r = py(script.toString(), "--n", "3");
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
        CliHarness.Result r =
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
        CliHarness.Result r = py("--packages", tmp.resolve("missing").toString(), "-c", "1");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--packages: not a directory");
        CliHarness.Result js =
                CliHarness.run("js", "--no-store", "--packages", tmp.toString(), "-c", "1");
        assertThat(js.code()).isEqualTo(2);
        assertThat(js.err()).startsWith("airlock: js has no --packages: it is for py only\n");
    }
}
