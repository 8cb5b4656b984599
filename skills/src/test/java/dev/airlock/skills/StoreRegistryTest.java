package dev.airlock.skills;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airlock.audit.AuditKeys;
import dev.airlock.audit.store.Store;
import dev.airlock.core.event.EventSink;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The registry in the store, on SQLite and (when configured) PostgreSQL: each node (a data folder
 * with its own trust store and cache) on its own connection to one store.
 */
class StoreRegistryTest {
    @TempDir Path tmp;
    TestStore backend;
    final List<Store> stores = new ArrayList<>();
    AuditKeys key;

    static List<String> backends() {
        return TestStore.names();
    }

    /** A node: its own store connection and data folder, trusting the publisher "acme". */
    Registry node(String backendName, String node) throws Exception {
        if (backend == null) {
            backend = TestStore.create(backendName, tmp.resolve("db"));
            key = AuditKeys.create(tmp.resolve("publisher"), "acme");
        }
        Store store = backend.open();
        stores.add(store);
        Registry r = Registry.open(store, tmp.resolve(node));
        r.trust().add("acme", AuditKeys.encodePublic(key.publicKey()));
        return r;
    }

    @AfterEach
    void close() throws Exception {
        for (Store s : stores) {
            s.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    SkillFiles signed(String name, String version) throws SkillException {
        return Signatures.sign(Fixture.wasm(name, version, Fixture.HELLO_WAT, "{}"), key);
    }

    static SkillException.Kind kind(ThrowingCall call) {
        try {
            call.run();
        } catch (SkillException e) {
            return e.kind();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("not refused");
    }

    interface ThrowingCall {
        void run() throws Exception;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void installListShowVisibilityAndRemoveGoThroughTheStore(String b) throws Exception {
        Registry r = node(b, "a");
        r.install(signed("echo", "1.0.0"), false, Fixture.AIRLOCK);
        r.install(signed("echo", "1.10.0"), false, Fixture.AIRLOCK);
        r.install(signed("other", "0.1.0"), false, Fixture.AIRLOCK);
        assertThat(r.list())
                .extracting(e -> e.name() + "@" + e.version())
                .containsExactly("echo@1.0.0", "echo@1.10.0", "other@0.1.0");
        assertThat(r.find("echo", null).version()).isEqualTo("1.10.0");
        assertThat(kind(() -> r.install(signed("echo", "1.9.0"), false, Fixture.AIRLOCK)))
                .isEqualTo(SkillException.Kind.DOWNGRADE);
        assertThatThrownBy(() -> r.install(signed("echo", "1.10.0"), false, Fixture.AIRLOCK))
                .hasMessage("echo@1.10.0 is already installed");
        Registry.Installed s = r.get("echo", null, Fixture.AIRLOCK);
        assertThat(s.entry().version()).isEqualTo("1.10.0");
        assertThat(s.dir()).isEqualTo(r.dir().resolve("cache").resolve(s.entry().digest()));
        assertThat(SkillFiles.readFolder(s.dir()).files().keySet())
                .containsExactly("main.wasm", "signature.json", "skill.json");
        assertThat(r.manifest(s.entry()).orElseThrow().tools())
                .extracting(Manifest.ToolSpec::name)
                .containsExactly("run");

        assertThat(r.visibleTo("echo", List.of("bob", "alice", "bob")))
                .containsExactly("alice", "bob");
        assertThat(r.visibility()).isEqualTo(Map.of("echo", List.of("alice", "bob")));
        assertThat(r.remove("echo", "1.10.0"))
                .extracting(Registry.Entry::version)
                .containsExactly("1.10.0");
        assertThat(s.dir()).doesNotExist();
        // a version is left: so is who sees the skill
        assertThat(r.visibility()).containsKey("echo");
        assertThat(r.find("echo", null).version()).isEqualTo("1.0.0");
        assertThat(r.remove("echo", null)).hasSize(1);
        assertThat(r.visibility()).isEmpty();
        assertThat(rows("SELECT COUNT(*) FROM skill_visibility")).isZero();
        assertThatThrownBy(() -> r.get("echo", null, Fixture.AIRLOCK))
                .hasMessage("echo is not installed");
        assertThat(kind(() -> r.visibleTo("echo", List.of("alice"))))
                .isEqualTo(SkillException.Kind.NOT_FOUND);
        assertThat(r.list()).extracting(Registry.Entry::name).containsExactly("other");

        // installed for some tenants: row and visibility in one transaction
        r.install(signed("limited", "1.0.0"), false, Fixture.AIRLOCK, List.of("carol"));
        assertThat(r.visibility()).isEqualTo(Map.of("limited", List.of("carol")));
        assertThat(
                        kind(
                                () ->
                                        r.install(
                                                signed("limited", "2.0.0"),
                                                false,
                                                Fixture.AIRLOCK,
                                                List.of("../x"))))
                .isEqualTo(SkillException.Kind.INPUT);
        assertThat(
                        kind(
                                () ->
                                        r.install(
                                                signed("limited", "0.1.0"),
                                                false,
                                                Fixture.AIRLOCK,
                                                List.of("dave"))))
                .isEqualTo(SkillException.Kind.DOWNGRADE);
        assertThat(r.visibility()).isEqualTo(Map.of("limited", List.of("carol")));
        assertThat(r.find("limited", null).version()).isEqualTo("1.0.0");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void aSkillInstalledThroughOneNodeIsListedAndRunsOnAnother(String b) throws Exception {
        Registry a = node(b, "node-a");
        Registry other = node(b, "node-b");
        a.install(Signatures.sign(Fixture.example("wasm-echo"), key), false, Fixture.AIRLOCK);
        a.visibleTo("wasm-echo", List.of("alice"));
        assertThat(other.list()).extracting(Registry.Entry::name).containsExactly("wasm-echo");
        assertThat(other.visibility()).isEqualTo(Map.of("wasm-echo", List.of("alice")));
        Registry.Installed s = other.get("wasm-echo", null, Fixture.AIRLOCK);
        assertThat(s.dir()).startsWith(tmp.resolve("node-b"));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (SkillRunner runner = new SkillRunner(Fixture.AIRLOCK)) {
            SkillRunner.Result res =
                    runner.run(
                            s,
                            "echo",
                            "{\"a\":1}".getBytes(StandardCharsets.UTF_8),
                            Allowance.nothing(),
                            err,
                            EventSink.none());
            assertThat(res.exitCode()).as(err.toString()).isZero();
            assertThat(Json.write(res.output())).isEqualTo("{\"input\":{\"a\":1}}");
        }
        // and removed through the other node, it is gone for both
        other.remove("wasm-echo", null);
        assertThat(a.list()).isEmpty();
        assertThat(a.visibility()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void ofTwoNodesInstallingTheSameVersionAtOnceExactlyOneWins(String b) throws Exception {
        List<Registry> nodes = List.of(node(b, "a"), node(b, "b"));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 4; round++) {
                SkillFiles f = signed("race", "1.0." + round);
                CountDownLatch go = new CountDownLatch(1);
                List<Future<String>> results = new ArrayList<>();
                for (Registry n : nodes) {
                    Callable<String> install =
                            () -> {
                                go.await();
                                try {
                                    return "installed "
                                            + n.install(f, false, Fixture.AIRLOCK).version();
                                } catch (SkillException e) {
                                    return e.line();
                                }
                            };
                    results.add(pool.submit(install));
                }
                go.countDown();
                List<String> got = new ArrayList<>();
                for (Future<String> r : results) {
                    got.add(r.get());
                }
                assertThat(got)
                        .containsExactlyInAnyOrder(
                                "installed 1.0." + round,
                                "exists: race@1.0." + round + " is already installed");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(nodes.get(1).list()).hasSize(4);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void aTamperedRowIsRefusedWhenTakenOut(String b) throws Exception {
        Registry r = node(b, "a");
        Registry.Entry e = r.install(signed("echo", "1.0.0"), false, Fixture.AIRLOCK);
        Registry.Entry other = r.install(signed("other", "1.0.0"), false, Fixture.AIRLOCK);
        byte[] original = archive("echo");

        // one byte of the module changed, the signature left as it was
        SkillFiles good = SkillFiles.readArchive(new java.io.ByteArrayInputStream(original), "x");
        byte[] wasm = good.get("main.wasm").clone();
        wasm[wasm.length - 1] ^= 1;
        setArchive("echo", RegistryRows.pack(good.with("main.wasm", wasm)));
        assertThatThrownBy(() -> r.get("echo", null, Fixture.AIRLOCK))
                .isInstanceOfSatisfying(
                        SkillException.class,
                        x -> {
                            assertThat(x.kind()).isEqualTo(SkillException.Kind.TAMPERED);
                            assertThat(x.getMessage()).isEqualTo("main.wasm changed since signing");
                        });
        // bytes that are no archive
        setArchive("echo", new byte[] {1, 2, 3});
        assertThatThrownBy(() -> r.get("echo", null, Fixture.AIRLOCK))
                .isInstanceOfSatisfying(
                        SkillException.class,
                        x -> {
                            assertThat(x.kind()).isEqualTo(SkillException.Kind.TAMPERED);
                            assertThat(x.getMessage())
                                    .startsWith("echo@1.0.0: the stored archive is damaged");
                        });
        // another trusted skill's archive and digest put in its place
        setArchive("echo", archive("other"));
        update("UPDATE skills SET digest = ? WHERE name = 'echo'", other.digest());
        assertThatThrownBy(() -> r.get("echo", null, Fixture.AIRLOCK))
                .isInstanceOfSatisfying(
                        SkillException.class,
                        x -> {
                            assertThat(x.kind()).isEqualTo(SkillException.Kind.TAMPERED);
                            assertThat(x.getMessage())
                                    .isEqualTo(
                                            "echo@1.0.0: installed files differ from those installed");
                        });
        // a digest that would name a folder elsewhere
        update("UPDATE skills SET digest = ? WHERE name = 'echo'", "../../../outside");
        setArchive("echo", original);
        assertThatThrownBy(() -> r.get("echo", null, Fixture.AIRLOCK))
                .isInstanceOfSatisfying(
                        SkillException.class,
                        x -> assertThat(x.kind()).isEqualTo(SkillException.Kind.TAMPERED));
        // put back, it runs again
        setArchive("echo", original);
        update("UPDATE skills SET digest = ? WHERE name = 'echo'", e.digest());
        assertThat(r.get("echo", null, Fixture.AIRLOCK).entry().digest()).isEqualTo(e.digest());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void aTamperedCacheIsRefusedNotUsed(String b) throws Exception {
        Registry r = node(b, "a");
        Registry.Entry e = r.install(signed("echo", "1.0.0"), false, Fixture.AIRLOCK);
        Path cached = r.dir().resolve("cache").resolve(e.digest());
        Files.writeString(cached.resolve("extra.py"), "print('hi')\n");
        assertThatThrownBy(() -> r.get("echo", null, Fixture.AIRLOCK))
                .isInstanceOfSatisfying(
                        SkillException.class,
                        x -> {
                            assertThat(x.kind()).isEqualTo(SkillException.Kind.TAMPERED);
                            assertThat(x.getMessage())
                                    .startsWith("extra.py was added since signing")
                                    .contains(cached.toString());
                        });
        // deleted, it is written again from the store
        SkillCache.deleteTree(cached);
        assertThat(r.get("echo", null, Fixture.AIRLOCK).dir()).isEqualTo(cached);
        assertThat(cached.resolve("extra.py")).doesNotExist();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void runsTakingOutOneSkillAtOnceWriteItsCacheOnce(String b) throws Exception {
        Registry r = node(b, "a");
        Registry.Entry e = r.install(signed("echo", "1.0.0"), false, Fixture.AIRLOCK);
        Path cached = r.dir().resolve("cache").resolve(e.digest());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 3; round++) {
                SkillCache.deleteTree(cached);
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Path>> dirs = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    dirs.add(
                            pool.submit(
                                    () -> {
                                        go.await();
                                        return r.get("echo", null, Fixture.AIRLOCK).dir();
                                    }));
                }
                go.countDown();
                for (Future<Path> d : dirs) {
                    assertThat(d.get()).isEqualTo(cached);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        try (var s = Files.list(cached.getParent())) {
            // no temporary folder left behind
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly(e.digest());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void badNamesAreRejectedBeforeTheStore(String b) throws Exception {
        Registry r = node(b, "a");
        r.install(signed("echo", "1.0.0"), false, Fixture.AIRLOCK);
        for (String bad :
                new String[] {
                    "",
                    "../echo",
                    "Echo",
                    "echo ",
                    "a b",
                    "e".repeat(65),
                    "echo'; DELETE FROM skills; --"
                }) {
            assertThat(kind(() -> r.get(bad, null, Fixture.AIRLOCK)))
                    .as(bad)
                    .isEqualTo(SkillException.Kind.INPUT);
            assertThat(kind(() -> r.remove(bad, null))).isEqualTo(SkillException.Kind.INPUT);
            assertThat(kind(() -> r.visibleTo(bad, List.of())))
                    .isEqualTo(SkillException.Kind.INPUT);
        }
        assertThatThrownBy(() -> r.find("../echo", null))
                .hasMessageStartingWith("bad skill name '../echo'");
        assertThat(kind(() -> r.visibleTo("echo", List.of("../alice"))))
                .isEqualTo(SkillException.Kind.INPUT);
        assertThat(r.list()).hasSize(1);
        assertThat(r.visibility()).isEmpty();
    }

    private byte[] archive(String name) throws Exception {
        try (Connection c = backend.raw();
                PreparedStatement p =
                        c.prepareStatement("SELECT archive FROM skills WHERE name = ?")) {
            p.setString(1, name);
            try (ResultSet r = p.executeQuery()) {
                assertThat(r.next()).isTrue();
                return r.getBytes(1);
            }
        }
    }

    private void setArchive(String name, byte[] archive) throws Exception {
        try (Connection c = backend.raw();
                PreparedStatement p =
                        c.prepareStatement("UPDATE skills SET archive = ? WHERE name = ?")) {
            p.setBytes(1, archive);
            p.setString(2, name);
            assertThat(p.executeUpdate()).isEqualTo(1);
        }
    }

    private void update(String sql, String arg) throws Exception {
        try (Connection c = backend.raw();
                PreparedStatement p = c.prepareStatement(sql)) {
            p.setString(1, arg);
            assertThat(p.executeUpdate()).isEqualTo(1);
        }
    }

    private long rows(String sql) throws Exception {
        try (Connection c = backend.raw();
                PreparedStatement p = c.prepareStatement(sql);
                ResultSet r = p.executeQuery()) {
            r.next();
            return r.getLong(1);
        }
    }
}
