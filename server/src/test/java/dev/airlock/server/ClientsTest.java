package dev.airlock.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.airlock.audit.AuditKeys;
import dev.airlock.audit.store.Store;
import dev.airlock.core.Limits;
import dev.airlock.skills.Registry;
import dev.airlock.skills.Signatures;
import dev.airlock.skills.SkillFiles;
import java.io.File;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Python and TypeScript clients against a live server: each client's own test script makes real
 * round trips (executions, sessions, files, snapshots, skills, typed errors) and exits non-zero at
 * the first failure. Skipped only where {@code python3} or {@code node} is not on the PATH.
 */
class ClientsTest {
    static final Path CLIENTS = Path.of("..", "clients");

    static ServerKit kit;
    static String key;
    static String admin;

    @BeforeAll
    static void start() throws Exception {
        kit =
                ServerKit.start(
                        b ->
                                b.maxBodyBytes(4 << 20)
                                        .defaultLimits(
                                                Limits.builder()
                                                        .timeout(Duration.ofSeconds(60))
                                                        .build()));
        Registry registry = Registry.open(kit.data);
        AuditKeys publisher = AuditKeys.create(registry.keysDir(), "acme");
        registry.trust().add("acme", AuditKeys.encodePublic(publisher.publicKey()));
        try (Store store = Store.open(kit.data)) {
            store.tenants().ensure("ops");
            admin = store.apiKeys().create("ops", true, "admin").secret();
        }
        key = kit.key("clients");
        SkillFiles echo = SkillTestFiles.echo(kit.data, "wasm-echo", "1.0.0");
        byte[] archive = SkillTestFiles.archive(Signatures.sign(echo, publisher));
        HttpResponse<byte[]> r = SkillTestFiles.upload(kit, admin, archive, "?tenant=clients");
        assertThat(r.statusCode()).as(SkillTestFiles.text(r)).isEqualTo(201);
    }

    @AfterAll
    static void stop() throws Exception {
        kit.close();
    }

    @Test
    void pythonClientRoundTrips() throws Exception {
        assumeTrue(
                onPath("python3"),
                "python3 is not on the PATH: the Python client's round trips are not tested");
        String out = runScript("python3", CLIENTS.resolve("python").resolve("test_client.py"));
        assertThat(out).contains("python client: all round trips passed");
    }

    @Test
    void typeScriptClientRoundTrips() throws Exception {
        assumeTrue(
                onPath("node"),
                "node is not on the PATH: the TypeScript client's round trips are not tested");
        String out = runScript("node", CLIENTS.resolve("typescript").resolve("test_client.mjs"));
        assertThat(out).contains("typescript client: all round trips passed");
    }

    /** Runs a client's test script against the server; its output, once it exited 0. */
    static String runScript(String interpreter, Path script) throws Exception {
        Path log = Files.createTempFile(kit.data, "client", ".log");
        Process p =
                new ProcessBuilder(
                                List.of(
                                        interpreter,
                                        script.getFileName().toString(),
                                        kit.server.uri().toString(),
                                        key,
                                        admin))
                        .directory(script.getParent().toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        boolean done = p.waitFor(10, TimeUnit.MINUTES);
        if (!done) {
            p.destroyForcibly();
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(done).as("the script ended in time; output:\n" + out).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
