package dev.airlock.audit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The skill registry's rows, on SQLite and (when configured) PostgreSQL. */
class InstalledSkillsTest extends StoreFixture {
    static SkillRecord skill(String name, String version) {
        return new SkillRecord(
                name,
                version,
                "acme",
                "0123456789abcdef",
                "0123456789abcdef".repeat(4),
                "ab".repeat(32),
                "wasm",
                Instant.ofEpochMilli(T0),
                "{\"name\":\"" + name + "\"}");
    }

    static final byte[] ARCHIVE = {0, 1, 2, (byte) 0xff, 0, 'P', 'K'};

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void rowsAndArchivesRoundTrip(String name) throws Exception {
        try (Store store = open(name)) {
            InstalledSkills skills = store.skills();
            assertThat(skills.isEmpty()).isTrue();
            skills.insert(skill("echo", "1.0.0"), ARCHIVE, null, installed -> {});
            skills.insert(skill("echo", "1.1.0"), new byte[] {9}, null, installed -> {});
            assertThat(skills.list()).extracting(SkillRecord::version).contains("1.0.0", "1.1.0");
            InstalledSkills.Stored s = skills.get("echo", "1.0.0").orElseThrow();
            assertThat(s.record()).isEqualTo(skill("echo", "1.0.0"));
            assertThat(s.archive()).isEqualTo(ARCHIVE);
            assertThat(skills.get("echo", "2.0.0")).isEmpty();
            assertThat(skills.versions("other")).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void aRefusingCheckWritesNothing(String name) throws Exception {
        try (Store store = open(name)) {
            InstalledSkills skills = store.skills();
            skills.insert(skill("echo", "1.0.0"), ARCHIVE, null, installed -> {});
            List<List<SkillRecord>> seen = new ArrayList<>();
            assertThatThrownBy(
                            () ->
                                    skills.insert(
                                            skill("echo", "0.9.0"),
                                            ARCHIVE,
                                            null,
                                            installed -> {
                                                seen.add(installed);
                                                throw new java.io.IOException("older");
                                            }))
                    .isInstanceOf(java.io.IOException.class)
                    .hasMessage("older");
            assertThat(seen).singleElement().asList().hasSize(1);
            assertThat(skills.versions("echo"))
                    .extracting(SkillRecord::version)
                    .containsExactly("1.0.0");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void visibilityGoesWithTheLastVersion(String name) throws Exception {
        try (Store store = open(name)) {
            InstalledSkills skills = store.skills();
            assertThat(skills.setVisibility("echo", List.of("alice"))).isFalse();
            skills.insert(skill("echo", "1.0.0"), ARCHIVE, null, installed -> {});
            skills.insert(skill("echo", "2.0.0"), ARCHIVE, null, installed -> {});
            assertThat(skills.setVisibility("echo", List.of("bob", "alice"))).isTrue();
            assertThat(skills.visibility()).isEqualTo(Map.of("echo", List.of("alice", "bob")));
            assertThat(skills.remove("echo", "1.0.0"))
                    .extracting(SkillRecord::version)
                    .containsExactly("1.0.0");
            assertThat(skills.visibility()).containsKey("echo");
            assertThat(skills.remove("echo", "9.9.9")).isEmpty();
            assertThat(skills.remove("echo", null)).hasSize(1);
            assertThat(skills.visibility()).isEmpty();
            assertThat(skills.isEmpty()).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void anInstallSetsWhoSeesTheSkillInTheSameTransaction(String name) throws Exception {
        try (Store store = open(name)) {
            InstalledSkills skills = store.skills();
            skills.insert(skill("echo", "1.0.0"), ARCHIVE, List.of("alice"), installed -> {});
            assertThat(skills.visibility()).isEqualTo(Map.of("echo", List.of("alice")));
            // refused: neither the row nor the new visibility is written
            assertThatThrownBy(
                            () ->
                                    skills.insert(
                                            skill("echo", "2.0.0"),
                                            ARCHIVE,
                                            List.of("bob"),
                                            installed -> {
                                                throw new java.io.IOException("no");
                                            }))
                    .hasMessage("no");
            assertThat(skills.visibility()).isEqualTo(Map.of("echo", List.of("alice")));
            // null leaves it as it is
            skills.insert(skill("echo", "2.0.0"), ARCHIVE, null, installed -> {});
            assertThat(skills.visibility()).isEqualTo(Map.of("echo", List.of("alice")));
            skills.insert(skill("echo", "3.0.0"), ARCHIVE, List.of("*"), installed -> {});
            assertThat(skills.visibility()).isEqualTo(Map.of("echo", List.of("*")));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void anImportHappensOnlyIntoAnEmptyRegistry(String name) throws Exception {
        try (Store store = open(name)) {
            InstalledSkills skills = store.skills();
            List<InstalledSkills.Stored> old =
                    List.of(new InstalledSkills.Stored(skill("echo", "1.0.0"), ARCHIVE));
            assertThat(skills.importIfEmpty(old, Map.of("echo", List.of("*")))).isTrue();
            assertThat(skills.visibility()).isEqualTo(Map.of("echo", List.of("*")));
            List<InstalledSkills.Stored> more =
                    List.of(new InstalledSkills.Stored(skill("other", "1.0.0"), ARCHIVE));
            assertThat(skills.importIfEmpty(more, Map.of())).isFalse();
            assertThat(skills.list()).extracting(SkillRecord::name).containsExactly("echo");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void ofTwoStoresInstallingTheSameVersionOneWins(String name) throws Exception {
        try (Store a = open(name);
                Store b = backend.open()) {
            for (int round = 0; round < 5; round++) {
                String version = "1.0." + round;
                CountDownLatch go = new CountDownLatch(1);
                List<Callable<String>> tasks = new ArrayList<>();
                for (Store s : List.of(a, b)) {
                    tasks.add(
                            () -> {
                                go.await();
                                try {
                                    s.skills()
                                            .insert(
                                                    skill("race", version),
                                                    ARCHIVE,
                                                    List.of("*"),
                                                    installed -> {
                                                        for (SkillRecord r : installed) {
                                                            if (r.version().equals(version)) {
                                                                throw new IllegalStateException(
                                                                        "exists");
                                                            }
                                                        }
                                                    });
                                    return "installed";
                                } catch (IllegalStateException e) {
                                    return e.getMessage();
                                }
                            });
                }
                ExecutorService pool = Executors.newFixedThreadPool(2);
                try {
                    List<Future<String>> results = new ArrayList<>();
                    for (Callable<String> t : tasks) {
                        results.add(pool.submit(t));
                    }
                    go.countDown();
                    List<String> got = new ArrayList<>();
                    for (Future<String> f : results) {
                        got.add(f.get());
                    }
                    assertThat(got).containsExactlyInAnyOrder("installed", "exists");
                } finally {
                    pool.shutdownNow();
                }
            }
            assertThat(a.skills().versions("race")).hasSize(5);
        }
    }
}
