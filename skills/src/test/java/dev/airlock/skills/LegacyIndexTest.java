package dev.airlock.skills;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Skills installed by earlier versions (files under {@code skills/installed/}, listed in {@code
 * index.json}) are imported into the store once, each verified as it is imported.
 */
class LegacyIndexTest {
    @TempDir Path tmp;

    /** Installs {@code files} as earlier versions did, returning its index entry. */
    static ObjectNode oldInstall(Path skillsDir, SkillFiles files) throws Exception {
        Manifest m = files.manifest();
        files.writeTo(
                skillsDir.resolve("installed").resolve(m.name()).resolve(m.version().toString()));
        ObjectNode e = Json.object();
        e.put("name", m.name());
        e.put("version", m.version().toString());
        e.put("publisher", m.publisher());
        e.put("keyId", "0123456789abcdef");
        e.put("fingerprint", "00".repeat(32));
        e.put("digest", Signatures.digest(files));
        e.put("kind", m.entry().kind().id());
        e.put("installedAt", "2026-01-02T03:04:05.678901Z");
        return e;
    }

    static void writeIndex(Path skillsDir, List<ObjectNode> entries) throws Exception {
        ObjectNode root = Json.object();
        ArrayNode list = root.putArray("skills");
        entries.forEach(list::add);
        Files.writeString(skillsDir.resolve("index.json"), Json.pretty(root));
    }

    @Test
    void earlierInstallsAreImportedOnceEachVerified() throws Exception {
        Fixture fx = new Fixture(tmp);
        Path skills = fx.registry.dir();
        List<ObjectNode> entries = new ArrayList<>();
        entries.add(
                oldInstall(
                        skills, fx.sign(Fixture.wasm("echo", "1.0.0", Fixture.HELLO_WAT, "{}"))));
        entries.add(
                oldInstall(
                        skills, fx.sign(Fixture.wasm("echo", "1.1.0", Fixture.HELLO_WAT, "{}"))));
        // changed at rest since it was installed
        entries.add(
                oldInstall(
                        skills, fx.sign(Fixture.wasm("rotten", "1.0.0", Fixture.HELLO_WAT, "{}"))));
        Path wasm = skills.resolve("installed/rotten/1.0.0/main.wasm");
        byte[] b = Files.readAllBytes(wasm);
        b[b.length - 1] ^= 1;
        Files.write(wasm, b);
        // listed, but its files are gone
        ObjectNode gone =
                oldInstall(skills, fx.sign(Fixture.wasm("gone", "1.0.0", Fixture.HELLO_WAT, "{}")));
        SkillCache.deleteTree(skills.resolve("installed/gone"));
        entries.add(gone);
        // a name that climbs out of the folder
        ObjectNode evil = entries.get(0).deepCopy();
        evil.put("name", "../../evil");
        entries.add(evil);
        writeIndex(skills, entries);
        Files.writeString(
                skills.resolve("visibility.json"),
                "{\"echo\": [\"bob\", \"alice\"], \"rotten\": [\"alice\"]}");

        List<String> notes = new ArrayList<>();
        Registry r = Registry.open(fx.data).onNotice(notes::add);
        assertThat(r.list())
                .extracting(e -> e.name() + "@" + e.version())
                .containsExactly("echo@1.0.0", "echo@1.1.0");
        assertThat(r.find("echo", "1.0.0").installedAt()).isEqualTo("2026-01-02T03:04:05.678Z");
        assertThat(notes).hasSize(4);
        assertThat(notes.get(0))
                .startsWith("imported 2 installed skill version(s) from ")
                .endsWith("(the file is now index.json.imported)");
        assertThat(notes.subList(1, 4))
                .containsExactlyInAnyOrder(
                        "not imported from index.json: rotten@1.0.0: tampered: main.wasm changed"
                                + " since signing",
                        "not imported from index.json: gone@1.0.0: not found: "
                                + skills.resolve("installed/gone/1.0.0")
                                + ": no such folder",
                        "not imported from index.json: ../../evil@1.0.0: invalid skill: not a skill"
                                + " name and version");
        assertThat(r.visibility()).isEqualTo(Map.of("echo", List.of("alice", "bob")));
        assertThat(skills.resolve("index.json")).doesNotExist();
        assertThat(skills.resolve("index.json.imported")).exists();
        assertThat(skills.resolve("visibility.json.imported")).exists();
        // imported skills are verified and run like any other
        assertThat(r.get("echo", null, Fixture.AIRLOCK).entry().version()).isEqualTo("1.1.0");

        // once: another registry on the folder has nothing to import
        List<String> again = new ArrayList<>();
        assertThat(Registry.open(fx.data).onNotice(again::add).list()).hasSize(2);
        assertThat(again).isEmpty();
    }

    @Test
    void anIndexIsNotImportedIntoAStoreThatHoldsSkills() throws Exception {
        Fixture fx = new Fixture(tmp);
        fx.install(Fixture.wasm("fresh", "1.0.0", Fixture.HELLO_WAT, "{}"));
        Path skills = fx.registry.dir();
        writeIndex(
                skills,
                List.of(
                        oldInstall(
                                skills,
                                fx.sign(Fixture.wasm("echo", "1.0.0", Fixture.HELLO_WAT, "{}")))));
        List<String> notes = new ArrayList<>();
        Registry r = Registry.open(fx.data).onNotice(notes::add);
        assertThat(r.list()).extracting(Registry.Entry::name).containsExactly("fresh");
        assertThat(notes)
                .singleElement()
                .asString()
                .endsWith(
                        "index.json was not imported: the store already holds skills (install"
                                + " them again, or rename the file to stop this notice)");
        assertThat(skills.resolve("index.json")).exists();
    }

    @Test
    void anUnreadableIndexIsReportedAndLeftAsItIs() throws Exception {
        Fixture fx = new Fixture(tmp);
        Files.createDirectories(fx.registry.dir());
        Files.writeString(fx.registry.dir().resolve("index.json"), "{not json");
        List<String> notes = new ArrayList<>();
        Registry r = Registry.open(fx.data).onNotice(notes::add);
        assertThat(r.list()).isEmpty();
        assertThat(notes).singleElement().asString().startsWith("cannot import ");
        assertThat(fx.registry.dir().resolve("index.json")).exists();
        // the registry works meanwhile
        fx.install(Fixture.wasm("fresh", "1.0.0", Fixture.HELLO_WAT, "{}"));
        assertThat(r.list()).hasSize(1);
    }
}
