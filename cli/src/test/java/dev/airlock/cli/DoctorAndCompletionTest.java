package dev.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code airlock doctor} and {@code airlock completion}. */
class DoctorAndCompletionTest {
    @TempDir Path tmp;

    @Test
    void doctorChecksEveryPartAndExitsZeroWhenAllAreOk() throws IOException {
        Path data =
                Files.createDirectory(
                        tmp.resolve("data"),
                        PosixFilePermissions.asFileAttribute(
                                PosixFilePermissions.fromString("rwx------")));
        CliHarness.Result r =
                CliHarness.run(
                        "doctor",
                        "--no-cache",
                        "--cache-dir",
                        tmp.resolve("cache").toString(),
                        "--data",
                        data.toString());
        List<String> lines = r.out().lines().toList();
        assertThat(lines).as(r.out() + r.err()).hasSize(7);
        assertThat(lines)
                .extracting(l -> l.substring(5, 13).strip())
                .containsExactly("java", "cache", "data", "store", "python", "js", "wasi-nn");
        assertThat(lines).allSatisfy(l -> assertThat(l).startsWith("OK   "));
        assertThat(r.out())
                .contains(
                        "CPython 3.13.5 started and ran",
                        "QuickJS 2025-04-26 started and ran",
                        "ONNX Runtime ");
        assertThat(r.code()).isZero();
    }

    @Test
    void doctorNamesTheFixAndExitsOneWhenSomethingIsWrong() throws IOException {
        Path open =
                Files.createDirectory(
                        tmp.resolve("open"),
                        PosixFilePermissions.asFileAttribute(
                                PosixFilePermissions.fromString("rwxr-xr-x")));
        CliHarness.Result r =
                CliHarness.run(
                        "doctor",
                        "--no-cache",
                        "--cache-dir",
                        tmp.resolve("cache").toString(),
                        "--data",
                        open.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out())
                .contains(
                        "FAIL data     "
                                + open
                                + " can be read by other users: chmod 700 "
                                + open
                                + "\n");
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertThat(DoctorCommand.folder(file, true)).isFalse();
        assertThat(DoctorCommand.fix(file, true))
                .isEqualTo(file + " is not a folder: move it away or choose another folder");
        assertThat(DoctorCommand.folder(tmp.resolve("new").resolve("deeper"), true)).isTrue();
    }

    @Test
    void completionCompletesCommandsAndSubcommandsInBash() throws Exception {
        CliHarness.Result r = CliHarness.run("completion");
        assertThat(r.code()).isZero();
        Path script = tmp.resolve("airlock-completion.bash");
        Files.writeString(script, r.out());
        assertThat(bash("bash -n " + script)).isEmpty();
        String words =
                bash(
                        "source "
                                + script
                                + "; COMP_WORDS=(airlock ke); COMP_CWORD=1; COMP_LINE='airlock ke';"
                                + " COMP_POINT=10; _complete_airlock; echo \"${COMPREPLY[@]}\"");
        assertThat(words.strip()).isEqualTo("keys");
        words =
                bash(
                        "source "
                                + script
                                + "; COMP_WORDS=(airlock keys cr); COMP_CWORD=2; COMP_LINE='airlock keys cr';"
                                + " COMP_POINT=15; _complete_airlock; echo \"${COMPREPLY[@]}\"");
        assertThat(words.strip()).isEqualTo("create");
    }

    private static String bash(String command) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }
}
