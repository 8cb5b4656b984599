package dev.airlock.skills;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airlock.audit.AuditKeys;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Skills that must be refused, each with its one-line reason. */
class HostileSkillTest {
    @TempDir Path tmp;

    static final String RANDOM = "$r (param i32 i32) (result i32)";

    @Test
    void importOfAnUndeclaredCapabilityIsRefusedBeforeRunning() throws Exception {
        Fixture fx = new Fixture(tmp);
        SkillFiles f =
                Fixture.wasm(
                        "sneaky",
                        "1.0.0",
                        Fixture.importing("wasi_snapshot_preview1", "random_get", RANDOM),
                        "{}");
        assertThatThrownBy(() -> fx.install(f))
                .isInstanceOfSatisfying(
                        SkillException.class,
                        e -> {
                            assertThat(e.kind()).isEqualTo(SkillException.Kind.UNDECLARED);
                            assertThat(e.getMessage())
                                    .contains("'random'", "wasi_snapshot_preview1.random_get")
                                    .doesNotContain("\n");
                        });
        assertThat(fx.registry.list()).isEmpty();
        // declared, the same module installs
        fx.install(
                Fixture.wasm(
                        "sneaky",
                        "1.0.0",
                        Fixture.importing("wasi_snapshot_preview1", "random_get", RANDOM),
                        "{\"random\":true}"));
        assertThat(fx.registry.list()).hasSize(1);
    }

    @Test
    void environmentFilesSocketsToolsAndForeignModulesNeedDeclarations() throws Exception {
        Fixture fx = new Fixture(tmp);
        String[][] cases = {
            {"wasi_snapshot_preview1", "environ_get", "(param i32 i32) (result i32)", "'env'"},
            {
                "wasi_snapshot_preview1",
                "path_open",
                "(param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)",
                "'files'"
            },
            {
                "wasi_snapshot_preview1",
                "clock_time_get",
                "(param i32 i64 i32) (result i32)",
                "'clock'"
            },
            {
                "wasi_snapshot_preview1",
                "sock_accept",
                "(param i32 i32 i32) (result i32)",
                "'network'"
            },
            {"airlock", "tool/search", "(param i32 i32) (result i32)", "'tools'"},
            {"airlock_http", "request", "(param i32 i32) (result i32)", "'net'"},
            {"evil", "backdoor", "(param i32) (result i32)", "module 'evil'"},
        };
        for (String[] c : cases) {
            SkillFiles f = Fixture.wasm("x", "1.0.0", Fixture.importing(c[0], c[1], c[2]), "{}");
            assertThatThrownBy(() -> fx.install(f))
                    .as(c[1])
                    .isInstanceOfSatisfying(
                            SkillException.class,
                            e -> {
                                assertThat(e.kind()).isEqualTo(SkillException.Kind.UNDECLARED);
                                assertThat(e.getMessage()).contains(c[3]);
                            });
        }
    }

    @Test
    void aSignatureOverDifferentBytesIsRefused() throws Exception {
        Fixture fx = new Fixture(tmp);
        SkillFiles signed = fx.sign(Fixture.wasm("echo", "1.0.0", Fixture.HELLO_WAT, "{}"));
        byte[] wasm = signed.get("main.wasm").clone();
        wasm[wasm.length - 1] ^= 1;
        SkillFiles tampered = signed.with("main.wasm", wasm);
        assertThatThrownBy(() -> fx.registry.install(tampered, false, Fixture.AIRLOCK))
                .isInstanceOfSatisfying(
                        SkillException.class,
                        e -> {
                            assertThat(e.kind()).isEqualTo(SkillException.Kind.TAMPERED);
                            assertThat(e.getMessage()).isEqualTo("main.wasm changed since signing");
                        });
        // with the listing made to agree, the digest no longer matches the signature
        SkillFiles listed = resign(tampered, fx, false);
        assertThatThrownBy(() -> fx.registry.install(listed, false, Fixture.AIRLOCK))
                .isInstanceOfSatisfying(
                        SkillException.class,
                        e -> assertThat(e.kind()).isEqualTo(SkillException.Kind.TAMPERED));
        // an added file is refused too
        SkillFiles added = signed.with("extra.txt", Fixture.utf8("x"));
        assertThatThrownBy(() -> fx.registry.install(added, false, Fixture.AIRLOCK))
                .hasMessage("extra.txt was added since signing");
    }

    /** Rewrites signature.json's listing and digest for the files, keeping the old signature. */
    static SkillFiles resign(SkillFiles f, Fixture fx, boolean keepDigest) throws Exception {
        var sig =
                (com.fasterxml.jackson.databind.node.ObjectNode)
                        Json.MAPPER.readTree(f.get(SkillFiles.SIGNATURE));
        sig.set("files", Json.MAPPER.valueToTree(Signatures.listing(f)));
        if (!keepDigest) {
            sig.put("digest", Signatures.digest(f));
        }
        return f.with(SkillFiles.SIGNATURE, Json.write(sig).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aSwappedManifestIsRefused() throws Exception {
        Fixture fx = new Fixture(tmp);
        SkillFiles signed = fx.sign(Fixture.wasm("echo", "1.0.0", Fixture.HELLO_WAT, "{}"));
        // the same module, but a manifest (from another signed skill) that grants more
        SkillFiles other =
                fx.sign(Fixture.wasm("echo", "1.0.0", Fixture.HELLO_WAT, "{\"clock\":true}"));
        SkillFiles swapped = signed.with(Manifest.FILE, other.get(Manifest.FILE));
        assertThatThrownBy(() -> fx.registry.install(swapped, false, Fixture.AIRLOCK))
                .isInstanceOfSatisfying(
                        SkillException.class,
                        e -> {
                            assertThat(e.kind()).isEqualTo(SkillException.Kind.TAMPERED);
                            assertThat(e.getMessage())
                                    .isEqualTo("skill.json changed since signing");
                        });
    }

    @Test
    void unsignedAndUnknownPublishersAreRefused() throws Exception {
        Fixture fx = new Fixture(tmp);
        SkillFiles plain = Fixture.wasm("echo", "1.0.0", Fixture.HELLO_WAT, "{}");
        assertThatThrownBy(() -> fx.registry.install(plain, false, Fixture.AIRLOCK))
                .isInstanceOfSatisfying(
                        SkillException.class,
                        e -> assertThat(e.kind()).isEqualTo(SkillException.Kind.UNSIGNED));
        AuditKeys stranger = AuditKeys.create(tmp.resolve("elsewhere"), "mallory");
        SkillFiles bySomeoneElse = Signatures.sign(plain, stranger);
        assertThatThrownBy(() -> fx.registry.install(bySomeoneElse, false, Fixture.AIRLOCK))
                .isInstanceOfSatisfying(
                        SkillException.class,
                        e -> {
                            assertThat(e.kind()).isEqualTo(SkillException.Kind.UNTRUSTED);
                            assertThat(e.getMessage()).contains(stranger.keyId());
                        });
        // a trusted key signing under another publisher's name
        fx.registry.trust().add("mallory", AuditKeys.encodePublic(stranger.publicKey()));
        assertThatThrownBy(() -> fx.registry.install(bySomeoneElse, false, Fixture.AIRLOCK))
                .isInstanceOfSatisfying(
                        SkillException.class,
                        e -> {
                            assertThat(e.kind()).isEqualTo(SkillException.Kind.UNTRUSTED);
                            assertThat(e.getMessage()).contains("'acme'", "'mallory'");
                        });
        assertThat(fx.registry.list()).isEmpty();
    }

    @Test
    void aDowngradeIsRefusedUnlessAllowed() throws Exception {
        Fixture fx = new Fixture(tmp);
        fx.install(Fixture.wasm("echo", "1.2.0", Fixture.HELLO_WAT, "{}"));
        SkillFiles older = fx.sign(Fixture.wasm("echo", "1.10.0-rc.1", Fixture.HELLO_WAT, "{}"));
        fx.registry.install(older, false, Fixture.AIRLOCK); // 1.10.0-rc.1 > 1.2.0
        SkillFiles old = fx.sign(Fixture.wasm("echo", "1.9.9", Fixture.HELLO_WAT, "{}"));
        assertThatThrownBy(() -> fx.registry.install(old, false, Fixture.AIRLOCK))
                .isInstanceOfSatisfying(
                        SkillException.class,
                        e -> {
                            assertThat(e.kind()).isEqualTo(SkillException.Kind.DOWNGRADE);
                            assertThat(e.getMessage()).contains("1.9.9", "1.10.0-rc.1");
                        });
        assertThatThrownBy(() -> fx.registry.install(older, false, Fixture.AIRLOCK))
                .isInstanceOfSatisfying(
                        SkillException.class,
                        e -> assertThat(e.kind()).isEqualTo(SkillException.Kind.EXISTS));
        fx.registry.install(old, true, Fixture.AIRLOCK);
        assertThat(fx.registry.list())
                .extracting(Registry.Entry::version)
                .containsExactly("1.2.0", "1.9.9", "1.10.0-rc.1");
    }

    @Test
    void filesChangedAfterInstallDoNotRun() throws Exception {
        Fixture fx = new Fixture(tmp);
        Registry.Entry e = fx.install(Fixture.wasm("echo", "1.0.0", Fixture.HELLO_WAT, "{}"));
        // the files on disk: the verified cached copy of what the store holds
        Path wasm = fx.registry.dir().resolve("cache").resolve(e.digest()).resolve("main.wasm");
        byte[] original = Files.readAllBytes(wasm);
        byte[] b = original.clone();
        b[b.length - 1] ^= 1;
        Files.write(wasm, b);
        assertThatThrownBy(() -> fx.registry.get("echo", null, Fixture.AIRLOCK))
                .isInstanceOfSatisfying(
                        SkillException.class,
                        x -> {
                            assertThat(x.kind()).isEqualTo(SkillException.Kind.TAMPERED);
                            assertThat(x.getMessage())
                                    .startsWith("main.wasm changed since signing")
                                    .contains("cached copy");
                        });
        Files.write(wasm, original);
        assertThat(fx.registry.get("echo", null, Fixture.AIRLOCK).entry().version())
                .isEqualTo("1.0.0");
        // a key removed from the trust store stops its skills
        assertThat(fx.registry.trust().remove("acme")).isEqualTo(1);
        assertThatThrownBy(() -> fx.registry.get("echo", null, Fixture.AIRLOCK))
                .isInstanceOfSatisfying(
                        SkillException.class,
                        x -> assertThat(x.kind()).isEqualTo(SkillException.Kind.UNTRUSTED));
    }

    static byte[] zip(String... namesAndContents) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            for (int i = 0; i < namesAndContents.length; i += 2) {
                z.putNextEntry(new ZipEntry(namesAndContents[i]));
                z.write(namesAndContents[i + 1].getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    @Test
    void hostileArchivesAreRefused() throws Exception {
        for (String bad :
                new String[] {"../evil.txt", "/etc/passwd", "a/../../b", "a\\b", "a//b"}) {
            byte[] z = zip(Manifest.FILE, "{}", bad, "x");
            assertThatThrownBy(() -> SkillFiles.readArchive(new ByteArrayInputStream(z), "t.skill"))
                    .as(bad)
                    .isInstanceOfSatisfying(
                            SkillException.class,
                            e -> assertThat(e.kind()).isEqualTo(SkillException.Kind.ARCHIVE));
        }
        // the JDK will not write two entries of one name: write a.txt and b.txt, then rename
        byte[] dup =
                new String(zip("a.txt", "1", "b.txt", "2"), StandardCharsets.ISO_8859_1)
                        .replace("b.txt", "a.txt")
                        .getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> SkillFiles.readArchive(new ByteArrayInputStream(dup), "t.skill"))
                .hasMessageContaining("duplicate entry a.txt");
        // a bomb: 65 MiB of zeros compress to a few KiB, refused as it inflates
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            z.putNextEntry(new ZipEntry("zeros"));
            byte[] mib = new byte[1 << 20];
            for (int i = 0; i < 65; i++) {
                z.write(mib);
            }
            z.closeEntry();
        }
        assertThat(bytes.size()).isLessThan(1 << 20);
        assertThatThrownBy(
                        () ->
                                SkillFiles.readArchive(
                                        new ByteArrayInputStream(bytes.toByteArray()), "t.skill"))
                .hasMessageContaining("more than 64MiB once inflated");
        // too many entries
        String[] many = new String[2 * (SkillFiles.MAX_FILES + 1)];
        for (int i = 0; i < SkillFiles.MAX_FILES + 1; i++) {
            many[2 * i] = "f" + i;
            many[2 * i + 1] = "";
        }
        byte[] lots = zip(many);
        assertThatThrownBy(() -> SkillFiles.readArchive(new ByteArrayInputStream(lots), "t.skill"))
                .hasMessageContaining("more than 1000 files");
    }

    @Test
    void aFolderWithALinkIsRefused() throws Exception {
        Path dir = tmp.resolve("skill");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(Manifest.FILE), "{}");
        Files.writeString(tmp.resolve("secret"), "s3cret");
        Files.createSymbolicLink(dir.resolve("data.txt"), tmp.resolve("secret"));
        assertThatThrownBy(() -> SkillFiles.readFolder(dir))
                .isInstanceOfSatisfying(
                        SkillException.class,
                        e -> {
                            assertThat(e.kind()).isEqualTo(SkillException.Kind.ARCHIVE);
                            assertThat(e.getMessage()).contains("data.txt", "not a regular file");
                        });
    }

    @Test
    void packingIsReproducibleAndRoundTrips() throws Exception {
        SkillFiles f = Fixture.example("py-stats");
        ByteArrayOutputStream a = new ByteArrayOutputStream();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        f.pack(a);
        new SkillFiles(new TreeMap<>(f.files())).pack(b);
        assertThat(a.toByteArray()).isEqualTo(b.toByteArray());
        SkillFiles back = SkillFiles.readArchive(new ByteArrayInputStream(a.toByteArray()), "x");
        assertThat(Signatures.digest(back)).isEqualTo(Signatures.digest(f));
    }
}
