package dev.airlock.skills;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.LimitKind;
import dev.airlock.core.Limits;
import dev.airlock.core.Status;
import dev.airlock.core.event.Event;
import dev.airlock.core.event.EventSink;
import dev.airlock.core.event.LifecycleEvent;
import dev.airlock.lang.CodeInterpreter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Skill-to-skill calls ({@code airlock.call("skill:NAME/TOOL", ...)}): only declared skills, each
 * in its own instance under its own grant, within the caller's remaining time, no cycles, and every
 * call linked to its caller's run in the audit events.
 */
class SkillCompositionTest {
    static CodeInterpreter interpreters;

    @TempDir static Path tmp;
    static Fixture fx;

    final List<SkillRunner.Call> calls = new CopyOnWriteArrayList<>();
    final List<Event> events = new CopyOnWriteArrayList<>();
    final java.util.concurrent.CompletableFuture<SkillRunner.Call> firstCall =
            new java.util.concurrent.CompletableFuture<>();

    @BeforeAll
    static void install() throws Exception {
        interpreters = CodeInterpreter.builder().airlock(Fixture.AIRLOCK).build();
        fx = new Fixture(tmp);
        fx.install(
                Fixture.python(
                        "c",
                        "import json, sys\n"
                                + "a = json.load(sys.stdin)\n"
                                + "print(json.dumps({'n': a['n'] * 2}))\n",
                        "{}"));
        fx.install(
                Fixture.python(
                        "b",
                        "import airlock, json, sys\n"
                                + "a = json.load(sys.stdin)\n"
                                + "r = airlock.call('skill:c/run', {'n': a['n'] + 1})\n"
                                + "print(json.dumps({'n': r['n']}))\n",
                        "{\"skills\":[\"c\"]}"));
        fx.install(
                Fixture.python(
                        "a",
                        "import airlock, json, sys\n"
                                + "a = json.load(sys.stdin)\n"
                                + "print(json.dumps(airlock.call('skill:b/run', a)))\n",
                        "{\"skills\":[\"b/run\"]}"));
        // d declares c only, and tries b and c
        fx.install(
                Fixture.python(
                        "d",
                        "import airlock, json\n"
                                + "def call(name):\n"
                                + "    try:\n"
                                + "        return airlock.call(name, {'n': 1})\n"
                                + "    except airlock.ToolError as e:\n"
                                + "        return 'refused: ' + str(e)\n"
                                + "print(json.dumps({'b': call('skill:b/run'), 'c': call('skill:c/run')}))\n",
                        "{\"skills\":[\"c\"]}"));
        String ping =
                "import airlock, json\n"
                        + "try:\n"
                        + "    r = airlock.call('skill:%s/run', {})\n"
                        + "except airlock.ToolError as e:\n"
                        + "    r = {'error': str(e)}\n"
                        + "print(json.dumps(r))\n";
        fx.install(Fixture.python("x", String.format(ping, "y"), "{\"skills\":[\"y\"]}"));
        fx.install(Fixture.python("y", String.format(ping, "x"), "{\"skills\":[\"x\"]}"));
        installChain();
        fx.install(Fixture.wasm("wc", "1.0.0", wasmCaller("skill:c/run"), "{\"skills\":[\"c\"]}"));
        fx.install(Fixture.wasm("wb", "1.0.0", wasmCaller("skill:b/run"), "{\"skills\":[\"c\"]}"));
        fx.install(Fixture.python("spin", "while True:\n    pass\n", "{}"));
        fx.install(Fixture.python("hasty", String.format(ping, "spin"), "{\"skills\":[\"spin\"]}"));
    }

    static void installChain() throws Exception {
        String next =
                "import airlock, json\n"
                        + "try:\n"
                        + "    r = airlock.call('skill:%s/run', {})\n"
                        + "except airlock.ToolError as e:\n"
                        + "    r = {'error': str(e)}\n"
                        + "r['at'] = r.get('at', []) + ['%s']\n"
                        + "print(json.dumps(r))\n";
        for (int i = 1; i <= 6; i++) {
            fx.install(
                    Fixture.python(
                            "deep" + i,
                            String.format(next, "deep" + (i + 1), "deep" + i),
                            "{\"skills\":[\"deep" + (i + 1) + "\"]}"));
        }
        fx.install(
                Fixture.python(
                        "envy",
                        "import airlock, json, os\n"
                                + "r = airlock.call('skill:peek/run', {})\n"
                                + "print(json.dumps({'mine': os.environ.get('SECRET'),"
                                + " 'callee': r['secret']}))\n",
                        "{\"env\":[\"SECRET\"],\"skills\":[\"peek\"]}"));
        fx.install(
                Fixture.python(
                        "peek",
                        "import json, os\nprint(json.dumps({'secret': os.environ.get('SECRET')}))\n",
                        "{}"));
    }

    /**
     * A WASI skill that calls {@code tool} with {"n":1} through the airlock_tools import and prints
     * the answer's envelope.
     */
    static String wasmCaller(String tool) {
        return "(module"
                + " (import \"wasi_snapshot_preview1\" \"fd_write\""
                + " (func $w (param i32 i32 i32 i32) (result i32)))"
                + " (import \"airlock_tools\" \"call\""
                + " (func $call (param i32 i32 i32 i32) (result i32)))"
                + " (import \"airlock_tools\" \"answer\" (func $answer (param i32 i32) (result i32)))"
                + " (memory (export \"memory\") 1)"
                + " (data (i32.const 100) \""
                + tool
                + "\")"
                + " (data (i32.const 200) \"{\\\"n\\\":1}\")"
                + " (func (export \"_start\") (local $n i32)"
                + " (drop (call $call (i32.const 100) (i32.const "
                + tool.length()
                + ") (i32.const 200) (i32.const 7)))"
                + " (local.set $n (call $answer (i32.const 1024) (i32.const 4096)))"
                + " (i32.store (i32.const 0) (i32.const 1024))"
                + " (i32.store (i32.const 4) (local.get $n))"
                + " (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))";
    }

    @AfterAll
    static void close() {
        interpreters.close();
    }

    SkillRunner.Result run(String name, String input, Allowance a) throws Exception {
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
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        EventSink sink = events::add;
        return runner.run(s, "run", input.getBytes(StandardCharsets.UTF_8), a, err, sink);
    }

    Map<String, Object> outcomeDetails(String runId) {
        for (Event e : events) {
            if (e instanceof LifecycleEvent l
                    && l.type() == LifecycleEvent.Type.OUTCOME
                    && runId.equals(l.runId())) {
                return l.details();
            }
        }
        throw new AssertionError("no outcome event for run " + runId);
    }

    @Test
    void aChainOfThreeSkillsRunsEachInItsOwnRunLinkedToItsCaller() throws Exception {
        SkillRunner.Result r = run("a", "{\"n\": 1}", Allowance.nothing());
        assertThat(r.exitCode()).as("%s %s", r.outcome(), r.problem()).isZero();
        assertThat(Json.write(r.output())).isEqualTo("{\"n\":4}");
        assertThat(calls).hasSize(2);
        SkillRunner.Call toC = calls.get(0);
        SkillRunner.Call toB = calls.get(1);
        assertThat(toB.caller()).isEqualTo("a");
        assertThat(toB.callee()).isEqualTo("b@1.0.0");
        assertThat(toB.parentRunId()).isEqualTo(r.runId());
        assertThat(toB.depth()).isEqualTo(1);
        assertThat(toC.caller()).isEqualTo("b");
        assertThat(toC.callee()).isEqualTo("c@1.0.0");
        assertThat(toC.parentRunId()).isEqualTo(toB.runId());
        assertThat(toC.depth()).isEqualTo(2);
        assertThat(List.of(r.runId(), toB.runId(), toC.runId())).doesNotHaveDuplicates();
        // the audit events link each callee's run to its caller's
        assertThat(outcomeDetails(toB.runId()))
                .containsEntry("skill", "b")
                .containsEntry("parentRun", "run:" + r.runId())
                .containsEntry("callerSkill", "a");
        assertThat(outcomeDetails(toC.runId()))
                .containsEntry("skill", "c")
                .containsEntry("parentRun", "run:" + toB.runId())
                .containsEntry("callDepth", 2);
        assertThat(outcomeDetails(r.runId()))
                .containsEntry("skill", "a")
                .doesNotContainKey("parentRun");
        // each call passed the mediation point as a host tool of its caller
        assertThat(events).anySatisfy(e -> assertThat(e.toString()).contains("tool/skill:b/run"));
    }

    @Test
    void aSkillCannotCallASkillItDidNotDeclare() throws Exception {
        SkillRunner.Result r = run("d", "{}", Allowance.nothing());
        assertThat(r.exitCode()).as("%s %s", r.outcome(), r.problem()).isZero();
        assertThat(r.output().get("b").asText()).startsWith("refused: ").contains("not granted");
        assertThat(r.output().get("c").get("n").asInt()).isEqualTo(2);
        assertThat(calls).extracting(SkillRunner.Call::callee).containsExactly("c@1.0.0");
    }

    @Test
    void aCycleIsRefused() throws Exception {
        SkillRunner.Result r = run("x", "{}", Allowance.nothing());
        assertThat(r.exitCode()).as("%s %s", r.outcome(), r.problem()).isZero();
        // x calls y, whose call back to x is refused; y answers with the refusal
        assertThat(r.output().get("error").asText())
                .contains("skill call cycle refused: x -> y -> x");
        assertThat(calls).extracting(SkillRunner.Call::callee).containsExactly("y@1.0.0");
    }

    @Test
    void aCalleeGetsNoMoreThanTheCallersRemainingTime() throws Exception {
        Limits ceiling = Limits.builder().timeout(Duration.ofSeconds(3)).build();
        run("hasty", "{}", Allowance.nothing().withLimits(ceiling));
        // hasty is stopped when its time is up; spin, stopped by its own limit, reports after
        SkillRunner.Call spin = firstCall.get();
        // the operator would give spin 3s; it gets no more than what hasty had left of its 3s
        assertThat(spin.limits().timeout()).isLessThanOrEqualTo(Duration.ofSeconds(3));
        assertThat(spin.outcome().status()).as(spin.outcome().toString()).isEqualTo(Status.LIMIT);
        assertThat(spin.outcome().limitKind()).isEqualTo(LimitKind.TIME);
    }

    @Test
    void callsNestAtMostFourDeep() throws Exception {
        SkillRunner.Result r = run("deep1", "{}", Allowance.nothing());
        assertThat(r.exitCode()).as("%s %s", r.outcome(), r.problem()).isZero();
        // deep5 runs at depth 4; its call to deep6 would be at depth 5
        assertThat(r.output().get("error").asText())
                .contains("calls nest at most " + SkillRunner.MAX_DEPTH + " deep");
        assertThat(r.output().get("at").toString())
                .isEqualTo("[\"deep5\",\"deep4\",\"deep3\",\"deep2\",\"deep1\"]");
        assertThat(calls).extracting(SkillRunner.Call::depth).containsExactly(4, 3, 2, 1);
    }

    @Test
    void aCalleeGetsItsOwnGrantNeverItsCallers() throws Exception {
        SkillRunner.Result r =
                run("envy", "{}", Allowance.nothing().withEnv(Map.of("SECRET", "s3")));
        assertThat(r.exitCode()).as("%s %s", r.outcome(), r.problem()).isZero();
        assertThat(Json.write(r.output())).isEqualTo("{\"mine\":\"s3\",\"callee\":null}");
    }

    @Test
    void aWasmSkillCallsTheSkillItDeclaredThroughItsToolImport() throws Exception {
        SkillRunner.Result r = run("wc", "{}", Allowance.nothing());
        assertThat(r.exitCode()).as("%s %s", r.outcome(), r.problem()).isZero();
        assertThat(Json.write(r.output())).isEqualTo("{\"ok\":true,\"result\":{\"n\":2}}");
        assertThat(calls).extracting(SkillRunner.Call::callee).containsExactly("c@1.0.0");
        assertThat(calls.get(0).parentRunId()).isEqualTo(r.runId());
        SkillRunner.Result refused = run("wb", "{}", Allowance.nothing());
        assertThat(refused.output().get("ok").asBoolean()).isFalse();
        assertThat(refused.output().get("error").asText()).contains("not granted");
        assertThat(refused.outcome().denials())
                .anySatisfy(d -> assertThat(d.rule()).isEqualTo("tool.not-granted"));
    }

    @Test
    void aWasmSkillThatCallsToolsCannotDeclareFuel() throws Exception {
        SkillFiles f =
                Fixture.wasm("metered", "1.0.0", wasmCaller("skill:c/run"), "{\"skills\":[\"c\"]}");
        java.util.TreeMap<String, byte[]> m = new java.util.TreeMap<>(f.files());
        m.put(
                Manifest.FILE,
                new String(m.get(Manifest.FILE), StandardCharsets.UTF_8)
                        .replaceFirst("}$", ",\"limits\":{\"fuel\":1000}}")
                        .getBytes(StandardCharsets.UTF_8));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> fx.install(new SkillFiles(m)))
                .isInstanceOf(SkillException.class)
                .hasMessageContaining("cannot declare limits.fuel");
    }
}
