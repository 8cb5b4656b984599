package dev.airlock.cli.skill;

import static dev.airlock.cli.skill.SkillCliTest.refused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.audit.store.Store;
import dev.airlock.cli.CliHarness;
import dev.airlock.server.AirlockServer;
import dev.airlock.server.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The marketplace between servers, against a real {@code airlock serve} on 127.0.0.1 in this
 * process: {@code skill publish --to URL} and {@code skill install --from URL NAME[@VERSION]}, with
 * signatures checked on both ends against each side's own trust store.
 */
class SkillMarketCliTest {
    @TempDir Path tmp;

    AirlockServer server;
    String url;
    Path adminKey;
    Path aliceKey;
    Path bobKey;

    String at(String folder) {
        return "--data=" + tmp.resolve(folder);
    }

    @BeforeEach
    void start() throws Exception {
        Path serverData = tmp.resolve("server");
        server =
                AirlockServer.start(
                        ServerConfig.builder().host("127.0.0.1").port(0).build(), serverData);
        url = server.uri().toString();
        try (Store store = Store.open(serverData)) {
            store.tenants().ensure("ops");
            store.tenants().ensure("alice");
            store.tenants().ensure("bob");
            adminKey = write("admin.key", store.apiKeys().create("ops", true, "admin").secret());
            aliceKey = write("alice.key", store.apiKeys().create("alice", false, "t").secret());
            bobKey = write("bob.key", store.apiKeys().create("bob", false, "t").secret());
        }
        // acme publishes from its own folder and trusts its own key there
        CliHarness.ok("skill", "keys", "create", "acme", "--trust", at("acme"));
        CliHarness.ok(
                "skill",
                "new",
                "demo",
                "--kind",
                "wasm",
                "--publisher",
                "acme",
                "--dir",
                tmp.resolve("demo").toString());
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    Path write(String name, String content) throws Exception {
        return Files.writeString(tmp.resolve(name), content);
    }

    /** Trusts acme's public key in the data folder {@code folder}. */
    void trustAcme(String folder) {
        CliHarness.ok(
                "skill",
                "trust",
                "add",
                tmp.resolve("acme/skills/keys/acme.pub").toString(),
                "--publisher",
                "acme",
                at(folder));
    }

    CliHarness.Result publish(Path key, String... more) {
        List<String> args =
                new java.util.ArrayList<>(
                        List.of(
                                "skill",
                                "publish",
                                tmp.resolve("demo").toString(),
                                "--to",
                                url,
                                "--api-key-file",
                                key.toString(),
                                at("acme")));
        args.addAll(List.of(more));
        return CliHarness.run(args.toArray(String[]::new));
    }

    CliHarness.Result installFrom(String folder, Path key, String ref, String... more) {
        List<String> args =
                new java.util.ArrayList<>(
                        List.of(
                                "skill",
                                "install",
                                "--from",
                                url,
                                "--api-key-file",
                                key.toString(),
                                ref,
                                at(folder)));
        args.addAll(List.of(more));
        return CliHarness.run(args.toArray(String[]::new));
    }

    @Test
    void aSkillPublishedToOneServerIsInstalledFromItElsewhereAndRuns() throws Exception {
        CliHarness.ok("skill", "sign", tmp.resolve("demo").toString(), "--key", "acme", at("acme"));
        trustAcme("server");
        assertThat(publish(adminKey, "--tenant", "alice").out())
                .contains("published demo@0.1.0 to " + url.replaceAll("/$", ""), "tenants alice");
        // a second machine that trusts acme installs it from the server, as alice
        trustAcme("laptop");
        assertThat(installFrom("laptop", aliceKey, "demo@0.1.0").out())
                .contains("installed demo@0.1.0 by acme", "from " + url.replaceAll("/$", ""));
        CliHarness.Result run =
                CliHarness.ok(
                        "skill", "run", "demo", "--input", "{\"a\":1}", "--no-store", at("laptop"));
        assertThat(run.guestOut()).isEqualTo("{\"input\":{\"a\":1}}\n");
        // bob does not see it there: not found, exit 1
        CliHarness.Result bob = installFrom("laptop2", bobKey, "demo");
        assertThat(bob.code()).as(bob.err()).isEqualTo(1);
        assertThat(bob.err().strip()).startsWith("airlock: not found: ").doesNotContain("\n");
        // a version the server does not have
        assertThat(installFrom("laptop2", aliceKey, "demo@9.9.9").code()).isEqualTo(1);
        // the same version again: already there, exit 1
        CliHarness.Result again = publish(adminKey);
        assertThat(again.code()).as(again.err()).isEqualTo(1);
        assertThat(again.err()).contains("already installed");
    }

    @Test
    void theReceiverVerifiesAgainstItsOwnTrustStoreNeverTheTransport() throws Exception {
        CliHarness.ok("skill", "sign", tmp.resolve("demo").toString(), "--key", "acme", at("acme"));
        trustAcme("server");
        CliHarness.ok(
                "skill",
                "publish",
                tmp.resolve("demo").toString(),
                "--to",
                url,
                "--api-key-file",
                adminKey.toString(),
                at("acme"));
        // the laptop does not trust acme: the server's word is not enough
        refused(installFrom("laptop", aliceKey, "demo"), "untrusted publisher");
        assertThat(CliHarness.run("skill", "list", at("laptop")).out()).isBlank();
        // and the refusal is recorded in the laptop's store
        assertThat(CliHarness.ok("audit", "show", at("laptop")).out())
                .contains("install-untrusted");
    }

    @Test
    void theServerRefusesWhatItDoesNotTrustAndRecordsTheRefusal() throws Exception {
        CliHarness.ok("skill", "sign", tmp.resolve("demo").toString(), "--key", "acme", at("acme"));
        // the server does not trust acme
        refused(publish(adminKey), "untrusted publisher");
        assertThat(CliHarness.ok("audit", "show", at("server")).out())
                .contains("install-untrusted");
        // a tenant key cannot publish: exit 1, one line
        trustAcme("server");
        CliHarness.Result tenant = publish(aliceKey);
        assertThat(tenant.code()).as(tenant.err()).isEqualTo(1);
        assertThat(tenant.err().strip())
                .startsWith("airlock: access denied: ")
                .doesNotContain("\n");
    }

    @Test
    void unsignedAndTamperedSkillsAreNotSent() throws Exception {
        trustAcme("server");
        refused(publish(adminKey), "unsigned");
        CliHarness.ok("skill", "sign", tmp.resolve("demo").toString(), "--key", "acme", at("acme"));
        Path wasm = tmp.resolve("demo/main.wasm");
        byte[] b = Files.readAllBytes(wasm);
        b[b.length - 1] ^= 1;
        Files.write(wasm, b);
        refused(publish(adminKey), "tampered");
        // nothing reached the server
        assertThat(CliHarness.ok("skill", "list", at("server")).out()).isBlank();
    }

    @Test
    void aSkillChangedAtRestOnTheServerIsNotServed() throws Exception {
        CliHarness.ok("skill", "sign", tmp.resolve("demo").toString(), "--key", "acme", at("acme"));
        trustAcme("server");
        CliHarness.ok(
                "skill",
                "publish",
                tmp.resolve("demo").toString(),
                "--to",
                url,
                "--api-key-file",
                adminKey.toString(),
                at("acme"));
        Path installed = CliHarness.cached(tmp.resolve("server"), "main.wasm");
        byte[] b = Files.readAllBytes(installed);
        b[b.length - 1] ^= 1;
        Files.write(installed, b);
        trustAcme("laptop");
        refused(installFrom("laptop", aliceKey, "demo"), "tampered");
    }

    @Test
    void badUrlsAndMissingKeysAreUsageErrors() throws Exception {
        CliHarness.Result bad =
                CliHarness.run(
                        "skill",
                        "install",
                        "--from",
                        "ftp://x",
                        "--api-key-file",
                        adminKey.toString(),
                        "demo",
                        at("laptop"));
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("expected a server URL");
        CliHarness.Result noKey =
                CliHarness.run(
                        "skill",
                        "install",
                        "--from",
                        url,
                        "--api-key-file",
                        tmp.resolve("missing.key").toString(),
                        "demo",
                        at("laptop"));
        assertThat(noKey.code()).isEqualTo(2);
        assertThat(noKey.err()).contains("--api-key-file: cannot read");
        CliHarness.Result path =
                CliHarness.run(
                        "skill",
                        "install",
                        "--from",
                        url,
                        "--api-key-file",
                        adminKey.toString(),
                        "../demo",
                        at("laptop"));
        assertThat(path.code()).isEqualTo(2);
        assertThat(path.err()).contains("NAME[@VERSION]");
    }

    @Test
    void installWithTenantsLimitsWhoSeesTheSkillOnAServerOfThatFolder() throws Exception {
        CliHarness.ok("skill", "sign", tmp.resolve("demo").toString(), "--key", "acme", at("acme"));
        trustAcme("server");
        // installed with the CLI straight into the folder the server serves
        assertThat(
                        CliHarness.ok(
                                        "skill",
                                        "install",
                                        tmp.resolve("demo").toString(),
                                        "--tenant",
                                        "alice",
                                        at("server"))
                                .out())
                .contains("installed demo@0.1.0", "for tenants alice");
        trustAcme("laptop");
        assertThat(installFrom("laptop", aliceKey, "demo").code()).isZero();
        assertThat(installFrom("laptop2", bobKey, "demo").code()).isEqualTo(1);
        // a bad tenant name is a usage error, and the skill stays installed for alice only
        CliHarness.Result bad =
                CliHarness.run(
                        "skill",
                        "install",
                        tmp.resolve("demo").toString(),
                        "--allow-downgrade",
                        "--tenant",
                        "../x",
                        at("server"));
        assertThat(bad.code()).as(bad.err()).isEqualTo(2);
        assertThat(bad.err()).contains("--tenant: bad tenant name '../x'");
        assertThat(installFrom("laptop3", bobKey, "demo").code()).isEqualTo(1);
    }

    @Test
    void aServerThatSendsAnotherSkillThanTheOneAskedForIsRefused() throws Exception {
        // a hostile server answers every download with acme's signed demo, whatever was asked
        CliHarness.ok("skill", "sign", tmp.resolve("demo").toString(), "--key", "acme", at("acme"));
        Path archive = tmp.resolve("demo-0.1.0.skill");
        CliHarness.ok("skill", "pack", tmp.resolve("demo").toString(), "-o", archive.toString());
        byte[] bytes = Files.readAllBytes(archive);
        com.sun.net.httpserver.HttpServer fake =
                com.sun.net.httpserver.HttpServer.create(
                        new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        fake.createContext(
                "/",
                ex -> {
                    ex.getResponseHeaders().add("Content-Type", "application/octet-stream");
                    ex.sendResponseHeaders(200, bytes.length);
                    ex.getResponseBody().write(bytes);
                    ex.close();
                });
        fake.start();
        try {
            String fakeUrl = "http://127.0.0.1:" + fake.getAddress().getPort();
            trustAcme("laptop");
            CliHarness.Result other =
                    CliHarness.run(
                            "skill",
                            "install",
                            "--from",
                            fakeUrl,
                            "--api-key-file",
                            aliceKey.toString(),
                            "payroll",
                            at("laptop"));
            refused(other, "sent demo@0.1.0 when asked for payroll");
            CliHarness.Result version =
                    CliHarness.run(
                            "skill",
                            "install",
                            "--from",
                            fakeUrl,
                            "--api-key-file",
                            aliceKey.toString(),
                            "demo@0.2.0",
                            at("laptop"));
            refused(version, "sent demo@0.1.0 when asked for demo@0.2.0");
            assertThat(CliHarness.run("skill", "list", at("laptop")).out()).isBlank();
        } finally {
            fake.stop(0);
        }
    }
}
