package dev.airlock.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.audit.AuditKeys;
import dev.airlock.audit.store.Store;
import dev.airlock.skills.Registry;
import dev.airlock.skills.Signatures;
import dev.airlock.skills.SkillFiles;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The server's side of the marketplace: {@code GET /v1/skills/{name}/archive} serves the signed
 * archive of what is installed (verified again, to those who see it), and every install refusal is
 * recorded in the audit trail.
 */
class SkillArchiveApiTest {
    static ServerKit kit;
    static AuditKeys publisher;
    static AuditKeys stranger;
    static String admin;
    static String alice;
    static String bob;

    @BeforeAll
    static void start() throws Exception {
        kit = ServerKit.start(b -> b.maxBodyBytes(1 << 20));
        Registry registry = Registry.open(kit.data);
        publisher = AuditKeys.create(registry.keysDir(), "acme");
        stranger = AuditKeys.create(kit.data.resolve("elsewhere"), "acme");
        registry.trust().add("acme", AuditKeys.encodePublic(publisher.publicKey()));
        try (Store store = Store.open(kit.data)) {
            store.tenants().ensure("ops");
            admin = store.apiKeys().create("ops", true, "admin").secret();
        }
        alice = kit.key("alice");
        bob = kit.key("bob");
    }

    @AfterAll
    static void stop() throws Exception {
        kit.close();
    }

    static SkillFiles echo(String name, String version) throws Exception {
        return SkillTestFiles.echo(kit.data, name, version);
    }

    static HttpResponse<byte[]> upload(String key, byte[] archive, String query) throws Exception {
        return SkillTestFiles.upload(kit, key, archive, query);
    }

    static HttpResponse<byte[]> download(String key, String path) throws Exception {
        HttpRequest req =
                HttpRequest.newBuilder(kit.uri(path))
                        .timeout(Duration.ofSeconds(120))
                        .header("Authorization", "Bearer " + key)
                        .GET()
                        .build();
        return kit.http.send(req, HttpResponse.BodyHandlers.ofByteArray());
    }

    static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    static String auditTrail() throws Exception {
        try (Store store = Store.open(kit.data)) {
            return String.join("\n", store.auditLines());
        }
    }

    @Test
    void theArchiveServedIsTheSignedOneAndOnlyToThoseWhoSeeIt() throws Exception {
        SkillFiles signed = Signatures.sign(echo("shared", "1.0.0"), publisher);
        assertThat(upload(admin, SkillTestFiles.archive(signed), "?tenant=alice").statusCode())
                .isEqualTo(201);
        assertThat(
                        upload(
                                        admin,
                                        SkillTestFiles.archive(
                                                Signatures.sign(
                                                        echo("shared", "1.1.0"), publisher)),
                                        "?tenant=alice")
                                .statusCode())
                .isEqualTo(201);
        HttpResponse<byte[]> r = download(alice, "/v1/skills/shared/archive?version=1.0.0");
        assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse(""))
                .startsWith("application/octet-stream");
        assertThat(r.headers().firstValue("Content-Disposition").orElse(""))
                .contains("shared-1.0.0.skill");
        SkillFiles got = SkillFiles.readArchive(new ByteArrayInputStream(r.body()), "download");
        // byte for byte the files signed, signature included
        assertThat(got.files().keySet()).isEqualTo(signed.files().keySet());
        for (String f : signed.files().keySet()) {
            assertThat(got.get(f)).as(f).isEqualTo(signed.get(f));
        }
        assertThat(Signatures.verify(got, Registry.open(kit.data).trust()).digest())
                .isEqualTo(Signatures.digest(signed));
        // without a version: the highest
        SkillFiles latest =
                SkillFiles.readArchive(
                        new ByteArrayInputStream(
                                download(alice, "/v1/skills/shared/archive").body()),
                        "download");
        assertThat(latest.manifest().version().toString()).isEqualTo("1.1.0");
        // bob does not see it; nobody gets an unknown one
        HttpResponse<byte[]> hidden = download(bob, "/v1/skills/shared/archive");
        assertThat(hidden.statusCode()).isEqualTo(404);
        assertThat(text(hidden)).doesNotContain("alice");
        assertThat(download(admin, "/v1/skills/nope/archive").statusCode()).isEqualTo(404);
        assertThat(download(alice, "/v1/skills/shared/archive?version=2.0.0").statusCode())
                .isEqualTo(404);
    }

    @Test
    void aSkillChangedAtRestIsNotServed() throws Exception {
        SkillFiles signed = Signatures.sign(echo("rotten", "1.0.0"), publisher);
        HttpResponse<byte[]> installed = upload(admin, SkillTestFiles.archive(signed), "");
        assertThat(installed.statusCode()).isEqualTo(201);
        Path wasm = SkillTestFiles.cached(kit, installed, "main.wasm");
        byte[] b = Files.readAllBytes(wasm);
        b[b.length - 1] ^= 1;
        Files.write(wasm, b);
        HttpResponse<byte[]> r = download(alice, "/v1/skills/rotten/archive");
        assertThat(r.statusCode()).isEqualTo(422);
        JsonNode p = problem(text(r));
        assertThat(p.get("detail").asText()).startsWith("tampered: ");
    }

    @Test
    void installRefusalsAreRecordedInTheAuditTrail() throws Exception {
        // unsigned
        HttpResponse<byte[]> unsigned =
                upload(admin, SkillTestFiles.archive(echo("nosig", "1.0.0")), "");
        assertThat(unsigned.statusCode()).isEqualTo(422);
        // signed by a key the server does not trust
        HttpResponse<byte[]> untrusted =
                upload(
                        admin,
                        SkillTestFiles.archive(Signatures.sign(echo("stray", "1.0.0"), stranger)),
                        "");
        assertThat(untrusted.statusCode()).isEqualTo(422);
        assertThat(problem(text(untrusted)).get("detail").asText())
                .startsWith("untrusted publisher: ");
        // a signature over other bytes: the module changed after signing
        SkillFiles s = Signatures.sign(echo("swapped", "1.0.0"), publisher);
        byte[] wasm = s.get("main.wasm").clone();
        wasm[wasm.length - 1] ^= 1;
        HttpResponse<byte[]> tampered =
                upload(admin, SkillTestFiles.archive(s.with("main.wasm", wasm)), "");
        assertThat(tampered.statusCode()).isEqualTo(422);
        String trail = auditTrail();
        assertThat(trail).contains("install-unsigned", "install-untrusted", "install-tampered");
        // a tenant key is refused before anything is read or recorded
        assertThat(upload(alice, SkillTestFiles.archive(s), "").statusCode()).isEqualTo(403);
    }

    static JsonNode problem(String body) throws Exception {
        return dev.airlock.server.http.Json.MAPPER.readTree(body);
    }
}
