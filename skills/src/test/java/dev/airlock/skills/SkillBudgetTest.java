package dev.airlock.skills;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.LimitKind;
import dev.airlock.core.Limits;
import dev.airlock.core.Status;
import dev.airlock.core.event.EventSink;
import dev.airlock.lang.CodeInterpreter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile callers and callees: a skill that loops forever, called by a skill with a small budget,
 * ends within what its caller had left, by fuel or by time, and what it used counts against the
 * caller's budget.
 */
class SkillBudgetTest {
    static CodeInterpreter interpreters;

    @TempDir static Path tmp;
    static Fixture fx;

    final List<SkillRunner.Call> calls = new CopyOnWriteArrayList<>();
    final CompletableFuture<SkillRunner.Call> firstCall = new CompletableFuture<>();

    /** A wasm skill that loops forever, declaring {@code limits} in its manifest. */
    static SkillFiles loop(String name, String limits) {
        SkillFiles f =
                Fixture.wasm(
                        name,
                        "1.0.0",
                        "(module (memory (export \"memory\") 1)"
                                + " (func (export \"_start\") (loop (br 0))))",
                        "{}");
        TreeMap<String, byte[]> m = new TreeMap<>(f.files());
        m.put(
                Manifest.FILE,
                Fixture.utf8(
                        new String(m.get(Manifest.FILE), StandardCharsets.UTF_8)
                                .replaceFirst("}$", ",\"limits\":" + limits + "}")));
        return new SkillFiles(m);
    }

    @BeforeAll
    static void install() throws Exception {
        interpreters = CodeInterpreter.builder().airlock(Fixture.AIRLOCK).build();
        fx = new Fixture(tmp);
        // asks for far more fuel and time than any caller here has
        fx.install(loop("burn", "{\"fuel\":1000000000000,\"timeout\":\"1h\"}"));
        fx.install(loop("spin", "{\"timeout\":\"1h\"}"));
        String twice =
                "import airlock, json\n"
                        + "def call():\n"
                        + "    try:\n"
                        + "        return airlock.call('skill:%s/run', {})\n"
                        + "    except airlock.ToolError as e:\n"
                        + "        return 'refused: ' + str(e)\n"
                        + "print(json.dumps({'first': call(), 'second': call()}))\n";
        fx.install(
                Fixture.python("greedy", String.format(twice, "burn"), "{\"skills\":[\"burn\"]}"));
        fx.install(
                Fixture.python(
                        "hasty",
                        "import airlock\nairlock.call('skill:spin/run', {})\n",
                        "{\"skills\":[\"spin\"]}"));
        fx.install(
                Fixture.python(
                        "relay",
                        "import airlock, json\n"
                                + "print(json.dumps(airlock.call('skill:greedy/run', {})))\n",
                        "{\"skills\":[\"greedy\"]}"));
    }

    @AfterAll
    static void close() {
        interpreters.close();
    }

    SkillRunner.Result run(String name, Allowance a) throws Exception {
        // not closed: it would close the interpreters the tests share
        SkillRunner runner =
                new SkillRunner(
                        Fixture.AIRLOCK,
                        () -> interpreters,
                        fx.registry,
                        c -> {
                            calls.add(c);
                            firstCall.complete(c);
                        });
        Registry.Installed s = fx.registry.get(name, null, Fixture.AIRLOCK);
        return runner.run(
                s, "run", Fixture.utf8("{}"), a, new ByteArrayOutputStream(), EventSink.none());
    }

    @Test
    void aCalleeThatBurnsFuelGetsOnlyWhatTheCallerHasLeftAndSpendsIt() throws Exception {
        long budget = 200_000;
        SkillRunner.Result r =
                run(
                        "greedy",
                        Allowance.nothing().withLimits(Limits.builder().fuel(budget).build()));
        assertThat(r.exitCode()).as("%s %s", r.outcome(), r.problem()).isZero();
        // the first call spends the whole budget and is stopped by it
        assertThat(calls).hasSize(1);
        SkillRunner.Call burn = calls.get(0);
        assertThat(burn.limits().fuel().getAsLong()).isEqualTo(budget);
        assertThat(burn.outcome().status()).isEqualTo(Status.LIMIT);
        assertThat(burn.outcome().limitKind()).isEqualTo(LimitKind.FUEL);
        assertThat(burn.outcome().usage().fuel()).isEqualTo(budget);
        assertThat(r.output().get("first").asText()).startsWith("refused: ").contains("failed");
        // nothing is left for the second
        assertThat(r.output().get("second").asText())
                .isEqualTo("refused: skill call refused: the caller has no fuel left");
    }

    @Test
    void theBudgetIsSharedDownTheChain() throws Exception {
        // relay calls greedy, which calls burn: burn still gets only the relay's budget
        long budget = 150_000;
        SkillRunner.Result r =
                run("relay", Allowance.nothing().withLimits(Limits.builder().fuel(budget).build()));
        assertThat(r.exitCode()).as("%s %s", r.outcome(), r.problem()).isZero();
        assertThat(r.output().get("second").asText()).contains("no fuel left");
        assertThat(calls)
                .filteredOn(c -> c.callee().startsWith("burn@"))
                .singleElement()
                .satisfies(c -> assertThat(c.limits().fuel().getAsLong()).isEqualTo(budget));
    }

    @Test
    void aCallerWithLittleTimeCallingAnEndlessSkillEndsByItsOwnLimit() throws Exception {
        Duration budget = Duration.ofSeconds(2);
        SkillRunner.Result r =
                run(
                        "hasty",
                        Allowance.nothing().withLimits(Limits.builder().timeout(budget).build()));
        // the caller is stopped by its own time limit, not left waiting for the callee
        assertThat(r.outcome().status()).as(r.outcome().toString()).isEqualTo(Status.LIMIT);
        assertThat(r.outcome().limitKind()).isEqualTo(LimitKind.TIME);
        assertThat(r.exitCode()).isEqualTo(125);
        // the callee, which asked for an hour, got at most what its caller had left, and ended
        // (a guard against a hang, not a measure: the call is made at once)
        SkillRunner.Call spin = firstCall.get(5, java.util.concurrent.TimeUnit.MINUTES);
        assertThat(spin.limits().timeout()).isLessThanOrEqualTo(budget);
        assertThat(spin.outcome().status()).as(spin.outcome().toString()).isEqualTo(Status.LIMIT);
        assertThat(spin.outcome().limitKind()).isEqualTo(LimitKind.TIME);
    }
}
