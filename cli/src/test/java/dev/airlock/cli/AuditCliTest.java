package dev.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.wabt.Wat2Wasm;
import dev.airlock.core.Stdio;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** run --audit, the store in the data folder, and audit verify / show / prune. */
class AuditCliTest {
    static final String PROBE =
            "(module (import \"wasi_snapshot_preview1\" \"sock_accept\""
                    + " (func $a (param i32 i32 i32) (result i32)))"
                    + " (import \"wasi_snapshot_preview1\" \"environ_sizes_get\""
                    + " (func $e (param i32 i32) (result i32)))"
                    + " (memory 1) (func (export \"_start\")"
                    + "  (drop (call $a (i32.const 3) (i32.const 0) (i32.const 8)))"
                    + "  (drop (call $e (i32.const 0) (i32.const 4)))))";

    @TempDir Path tmp;

    record Result(int code, String out, String err) {}

    Result cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code =
                Main.commandLine(
                                new PrintWriter(out),
                                new PrintWriter(err),
                                Stdio.of(new ByteArrayOutputStream(), new ByteArrayOutputStream()))
                        .execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    Path probe() throws IOException {
        Path p = tmp.resolve("probe.wasm");
        Files.write(p, Wat2Wasm.parse(PROBE));
        return p;
    }

    String data() {
        return "--data=" + tmp.resolve("data");
    }

    @Test
    void auditFileVerifiesAndTamperingIsNamed() throws IOException {
        Path trail = tmp.resolve("trail.jsonl");
        Result r =
                cli("run", "--no-cache", data(), "--audit", trail.toString(), probe().toString());
        assertThat(r.code()).isZero();
        List<String> lines = Files.readAllLines(trail, StandardCharsets.UTF_8);
        assertThat(lines).anyMatch(l -> l.contains("\"rule\":\"net.sockets\""));
        assertThat(lines).anyMatch(l -> l.contains("\"rule\":\"env.none\""));

        Result ok = cli("audit", "verify", data(), trail.toString());
        assertThat(ok.code()).isZero();
        assertThat(ok.out()).startsWith("ok: " + lines.size() + " records");

        lines.set(3, lines.get(3).replace("\"decision\":\"deny\"", "\"decision\":\"allow\""));
        Files.write(trail, lines, StandardCharsets.UTF_8);
        Result bad = cli("audit", "verify", data(), trail.toString());
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).startsWith("airlock: audit trail broken at seq 4 (line 4)");
    }

    @Test
    void runsAreRecordedInTheStoreAndItsTrailVerifies() throws IOException {
        Path wasm = probe();
        assertThat(cli("run", "--no-cache", data(), wasm.toString()).code()).isZero();
        assertThat(cli("run", "--no-cache", data(), "../examples/hello.wasm").code()).isZero();

        Result verify = cli("audit", "verify", data());
        assertThat(verify.code()).as(verify.err()).isZero();

        Result denied = cli("audit", "show", data(), "--denied");
        assertThat(denied.code()).isZero();
        assertThat(denied.out().lines())
                .hasSize(2)
                .anyMatch(
                        l ->
                                l.contains("DENY")
                                        && l.contains("sock_accept")
                                        && l.contains("net.sockets"))
                .anyMatch(l -> l.contains("environ_sizes_get") && l.contains("env.none"));

        Result all = cli("audit", "show", data());
        assertThat(all.out()).contains("STEP  outcome", "SEAL");

        Result prune = cli("audit", "prune", data(), "--older-than", "1d");
        assertThat(prune.code()).isZero();
        assertThat(prune.out()).startsWith("pruned 0 audit records and 0 runs");
        assertThat(cli("audit", "verify", data()).code()).isZero();
    }

    @Test
    void noStoreLeavesTheDataFolderAlone() throws IOException {
        Result r = cli("run", "--no-cache", "--no-store", data(), probe().toString());
        assertThat(r.code()).isZero();
        assertThat(tmp.resolve("data")).doesNotExist();
    }

    @Test
    void verifyWithoutAKeySaysSo() throws IOException {
        Path trail = tmp.resolve("t.jsonl");
        Files.writeString(trail, "{}\n");
        Result r = cli("audit", "verify", "--data=" + tmp.resolve("empty"), trail.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("airlock: no audit key in");
    }

    @Test
    void verifyingATrailWithAnotherFoldersKeyNamesTheKeyThatSignedIt() throws IOException {
        Path trail = tmp.resolve("trail.jsonl");
        assertThat(
                        cli(
                                        "run",
                                        "--no-cache",
                                        data(),
                                        "--audit",
                                        trail.toString(),
                                        probe().toString())
                                .code())
                .isZero();
        String signer =
                dev.airlock.audit.AuditKeys.keyId(
                        dev.airlock.audit.AuditKeys.loadPublic(tmp.resolve("data")));
        assertThat(
                        cli(
                                        "run",
                                        "--no-cache",
                                        "--data=" + tmp.resolve("other"),
                                        probe().toString())
                                .code())
                .isZero();

        Result r = cli("audit", "verify", "--data=" + tmp.resolve("other"), trail.toString());

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("signed by key " + signer).doesNotContain("does not verify");

        Result none = cli("audit", "verify", "--data=" + tmp.resolve("empty"), trail.toString());
        assertThat(none.code()).isEqualTo(1);
        assertThat(none.err())
                .startsWith("airlock: no audit key in")
                .contains("signed by key " + signer)
                .doesNotContain("Exception");
    }

    @Test
    void aModuleRefusedAtLoadIsInTheTrailAndTheStore() throws IOException {
        Path junk = tmp.resolve("junk.wasm");
        Files.writeString(junk, "not webassembly");
        Path trail = tmp.resolve("trail.jsonl");
        Result r = cli("run", "--no-cache", data(), "--audit", trail.toString(), junk.toString());
        assertThat(r.code()).isEqualTo(126);
        List<String> lines = Files.readAllLines(trail, StandardCharsets.UTF_8);
        assertThat(lines).anyMatch(l -> l.contains("\"step\":\"module_rejected\""));
        assertThat(cli("audit", "verify", data(), trail.toString()).code()).isZero();

        Result show = cli("audit", "show", data());
        assertThat(show.code()).isZero();
        assertThat(show.out()).contains("module_rejected").contains("outcome");
        assertThat(cli("audit", "verify", data()).code()).isZero();
    }
}
