package dev.airlock.cli.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.wabt.Wat2Wasm;
import dev.airlock.cli.CliHarness;
import dev.airlock.core.Stdio;
import java.io.IOException;
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
        CliHarness.Result r =
                CliHarness.run(
                        "run",
                        "--no-cache",
                        data(),
                        "--audit",
                        trail.toString(),
                        probe().toString());
        assertThat(r.code()).isZero();
        List<String> lines = Files.readAllLines(trail, StandardCharsets.UTF_8);
        assertThat(lines).anyMatch(l -> l.contains("\"rule\":\"net.sockets\""));
        assertThat(lines).anyMatch(l -> l.contains("\"rule\":\"env.none\""));

        CliHarness.Result ok = CliHarness.run("audit", "verify", data(), trail.toString());
        assertThat(ok.code()).isZero();
        assertThat(ok.out()).startsWith("ok: " + lines.size() + " records");

        lines.set(3, lines.get(3).replace("\"decision\":\"deny\"", "\"decision\":\"allow\""));
        Files.write(trail, lines, StandardCharsets.UTF_8);
        CliHarness.Result bad = CliHarness.run("audit", "verify", data(), trail.toString());
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).startsWith("airlock: audit trail broken at seq 4 (line 4)");
    }

    @Test
    void runsAreRecordedInTheStoreAndItsTrailVerifies() throws IOException {
        Path wasm = probe();
        assertThat(CliHarness.run("run", "--no-cache", data(), wasm.toString()).code()).isZero();
        assertThat(CliHarness.run("run", "--no-cache", data(), "../examples/hello.wasm").code())
                .isZero();

        CliHarness.Result verify = CliHarness.run("audit", "verify", data());
        assertThat(verify.code()).as(verify.err()).isZero();

        CliHarness.Result denied = CliHarness.run("audit", "show", data(), "--denied");
        assertThat(denied.code()).isZero();
        assertThat(denied.out().lines())
                .hasSize(2)
                .anyMatch(
                        l ->
                                l.contains("DENY")
                                        && l.contains("sock_accept")
                                        && l.contains("net.sockets"))
                .anyMatch(l -> l.contains("environ_sizes_get") && l.contains("env.none"));

        CliHarness.Result all = CliHarness.run("audit", "show", data());
        assertThat(all.out()).contains("STEP  outcome", "SEAL", "writer=", "RUN   ok exit=0");

        CliHarness.Result prune = CliHarness.run("audit", "prune", data(), "--older-than", "1d");
        assertThat(prune.code()).isZero();
        assertThat(prune.out()).startsWith("pruned 0 audit records and 0 runs");
        assertThat(CliHarness.run("audit", "verify", data()).code()).isZero();
    }

    @Test
    void noStoreLeavesTheDataFolderAlone() throws IOException {
        CliHarness.Result r =
                CliHarness.run("run", "--no-cache", "--no-store", data(), probe().toString());
        assertThat(r.code()).isZero();
        assertThat(tmp.resolve("data")).doesNotExist();
    }

    @Test
    void verifyWithoutAKeySaysSo() throws IOException {
        Path trail = tmp.resolve("t.jsonl");
        Files.writeString(trail, "{}\n");
        CliHarness.Result r =
                CliHarness.run(
                        "audit", "verify", "--data=" + tmp.resolve("empty"), trail.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("airlock: no audit key in");
    }

    @Test
    void verifyingATrailWithAnotherFoldersKeyNamesTheKeyThatSignedIt() throws IOException {
        Path trail = tmp.resolve("trail.jsonl");
        assertThat(
                        CliHarness.run(
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
                        CliHarness.run(
                                        "run",
                                        "--no-cache",
                                        "--data=" + tmp.resolve("other"),
                                        probe().toString())
                                .code())
                .isZero();

        CliHarness.Result r =
                CliHarness.run(
                        "audit", "verify", "--data=" + tmp.resolve("other"), trail.toString());

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("signed by key " + signer).doesNotContain("does not verify");

        CliHarness.Result none =
                CliHarness.run(
                        "audit", "verify", "--data=" + tmp.resolve("empty"), trail.toString());
        assertThat(none.code()).isEqualTo(1);
        assertThat(none.err())
                .startsWith("airlock: no audit key in")
                .contains("signed by key " + signer)
                .doesNotContain("Exception");
    }

    /** A trail on a store opened in this JVM: another process writing to the same folder. */
    static dev.airlock.audit.AuditTrail otherWriter(
            dev.airlock.audit.store.Store store, dev.airlock.audit.AuditKeys keys)
            throws IOException {
        return new dev.airlock.audit.AuditTrail(
                store.trailSink(),
                keys,
                store.chain(),
                1000,
                java.time.Clock.systemUTC(),
                java.time.Duration.ofHours(1),
                java.time.Duration.ofHours(1));
    }

    /** Records one run of {@code wasm} through {@code trail}, as a server would. */
    static void serverRun(
            dev.airlock.audit.store.Store store, dev.airlock.audit.AuditTrail trail, Path wasm)
            throws Exception {
        dev.airlock.core.Airlock airlock = dev.airlock.core.Airlock.create();
        String[] id = new String[1];
        java.time.Instant t = java.time.Instant.now();
        dev.airlock.core.Outcome o =
                airlock.run(
                        airlock.load(Files.readAllBytes(wasm)),
                        dev.airlock.core.Policy.defaults(),
                        Stdio.discard(),
                        e -> {
                            id[0] = e.runId();
                            trail.accept(e);
                        });
        store.recordRun(trail, id[0], o, t, java.time.Instant.now(), null, null);
    }

    @Test
    void aServerAndCliRunsOnOneDataFolderBothRecordAndVerify() throws Exception {
        Path wasm = probe();
        Path dir = tmp.resolve("data");
        dev.airlock.audit.AuditKeys keys = dev.airlock.audit.AuditKeys.loadOrCreate(dir);
        try (dev.airlock.audit.store.Store server = dev.airlock.audit.store.Store.open(dir);
                dev.airlock.audit.AuditTrail trail = otherWriter(server, keys)) {
            serverRun(server, trail, wasm);
            CliHarness.Result run = CliHarness.run("run", "--no-cache", data(), wasm.toString());
            assertThat(run.code()).as(run.err()).isZero();
            // before: the server's next records were refused ("already stored") and lost
            serverRun(server, trail, wasm);
            trail.flush();
            assertThat(server.runs(10)).hasSize(3);
            CliHarness.Result live = CliHarness.run("audit", "verify", data());
            assertThat(live.code()).as(live.err()).isZero();
            assertThat(live.out()).startsWith("ok: ").contains("2 writers", "3 runs match");
        }
        CliHarness.Result verify = CliHarness.run("audit", "verify", data());
        assertThat(verify.code()).as(verify.err()).isZero();
        assertThat(verify.out()).contains("2 writers").doesNotContain("crash");
    }

    @Test
    void aCrashIsToldFromTamperingByVerify() throws Exception {
        Path wasm = probe();
        Path dir = tmp.resolve("data");
        dev.airlock.audit.AuditKeys keys = dev.airlock.audit.AuditKeys.loadOrCreate(dir);
        String writer;
        dev.airlock.audit.store.Store dying = dev.airlock.audit.store.Store.open(dir);
        dev.airlock.audit.AuditTrail trail = otherWriter(dying, keys);
        serverRun(dying, trail, wasm); // sealed: the first checkpoint is due at once
        serverRun(dying, trail, wasm); // not sealed: the next is an hour away
        writer = dying.writerId();
        // it dies with its records stored but not sealed (the trail is never closed)
        dying.close();

        CliHarness.Result before = CliHarness.run("audit", "verify", data());
        assertThat(before.code()).as(before.out() + before.err()).isEqualTo(3);
        assertThat(before.out())
                .startsWith("ok: ")
                .contains("crash: writer " + writer + " stopped uncleanly", "not sealed yet");
        assertThat(before.err()).isEmpty();

        assertThat(CliHarness.run("run", "--no-cache", data(), wasm.toString()).code()).isZero();
        CliHarness.Result after = CliHarness.run("audit", "verify", data());
        assertThat(after.code()).isEqualTo(3);
        assertThat(after.out())
                .contains("crash: writer " + writer + " stopped uncleanly", "sealed at seq")
                .contains("3 runs match");
        assertThat(CliHarness.run("audit", "show", data()).out())
                .contains("writer=" + writer + " (sealed after the writer stopped uncleanly)");

        try (java.sql.Connection c =
                        new org.sqlite.JDBC()
                                .connect(
                                        "jdbc:sqlite:" + dir.resolve("airlock.db"),
                                        new java.util.Properties());
                java.sql.Statement s = c.createStatement()) {
            s.execute(
                    "UPDATE runs SET status = 'exit', exit_code = 7, message = 'exited with code 7'");
        }
        CliHarness.Result forged = CliHarness.run("audit", "verify", data());
        assertThat(forged.code()).isEqualTo(1);
        assertThat(forged.err())
                .contains("stored status differs from the outcome sealed in the trail (edited)")
                .doesNotContain("Exception");
    }

    @Test
    void aModuleRefusedAtLoadIsInTheTrailAndTheStore() throws IOException {
        Path junk = tmp.resolve("junk.wasm");
        Files.writeString(junk, "not webassembly");
        Path trail = tmp.resolve("trail.jsonl");
        CliHarness.Result r =
                CliHarness.run(
                        "run", "--no-cache", data(), "--audit", trail.toString(), junk.toString());
        assertThat(r.code()).isEqualTo(126);
        List<String> lines = Files.readAllLines(trail, StandardCharsets.UTF_8);
        assertThat(lines).anyMatch(l -> l.contains("\"step\":\"module_rejected\""));
        assertThat(CliHarness.run("audit", "verify", data(), trail.toString()).code()).isZero();

        CliHarness.Result show = CliHarness.run("audit", "show", data());
        assertThat(show.code()).isZero();
        assertThat(show.out()).contains("module_rejected").contains("outcome");
        assertThat(CliHarness.run("audit", "verify", data()).code()).isZero();
    }
}
