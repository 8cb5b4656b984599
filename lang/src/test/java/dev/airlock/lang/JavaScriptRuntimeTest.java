package dev.airlock.lang;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.ClockMode;
import dev.airlock.core.LimitKind;
import dev.airlock.core.Limits;
import dev.airlock.core.Policy;
import dev.airlock.core.RandomMode;
import dev.airlock.core.Status;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The JavaScript runtime's behaviour beyond the conformance programs: errors, limits, policy. */
class JavaScriptRuntimeTest {
    static final CodeInterpreter CI = CodeInterpreter.create();

    @AfterAll
    static void close() {
        CI.close();
    }

    private static Capture js(String code, Policy policy) {
        Capture c = new Capture();
        CI.run(Language.JAVASCRIPT, code, policy, c.stdio());
        return c;
    }

    private static String run(Session s, String code) {
        Capture c = new Capture();
        Execution e = s.run(code, c.stdio());
        assertThat(e.exitCode()).as(c.err()).isZero();
        return c.out();
    }

    @Test
    void deepRecursionIsACatchableRangeErrorAndTheSessionGoesOn() throws Exception {
        try (Session s = CI.openSession(Language.JAVASCRIPT, Policy.defaults())) {
            assertThat(
                            run(
                                    s,
                                    "let depth = 0;"
                                            + "try { (function r() { depth++; r(); })(); }"
                                            + " catch (e) { console.log(e instanceof RangeError,"
                                            + " e.message, depth > 1000); }"))
                    .isEqualTo("true Maximum call stack size exceeded true\n");
            assertThat(
                            run(
                                    s,
                                    "let deep = {}; let at = deep;"
                                            + " for (let i = 0; i < 200000; i++) { at.a = {}; at = at.a; }"
                                            + " try { JSON.stringify(deep); } catch (e) {"
                                            + " console.log(e.name, e.message); }"))
                    .isEqualTo("RangeError Maximum call stack size exceeded\n");
            assertThat(run(s, "console.log(depth > 1000, typeof deep)")).isEqualTo("true object\n");
        }
    }

    /**
     * Recursion through C (the parsers, JSON, flat) and through the runtime's JavaScript, each far
     * too deep, ends as a RangeError, never as the engine's stack limit.
     */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "let o = {}, c = o; for (let i = 0; i < 100000; i++) { c.a = {}; c = c.a }"
                        + " JSON.stringify(o)",
                "JSON.parse('['.repeat(100000) + ']'.repeat(100000))",
                "eval('('.repeat(100000) + '1' + ')'.repeat(100000))",
                "eval('{'.repeat(100000) + '}'.repeat(100000))",
                "eval('-'.repeat(100000) + '1')",
                "let o = [], c = o; for (let i = 0; i < 100000; i++) { const n = []; c.push(n); c = n }"
                        + " o.flat(Infinity)",
                "let p = {}; for (let i = 0; i < 100000; i++) { p = new Proxy(p, {}) } p.x",
                "function r(a) { return [a].map(r) } r(1)",
                "async function r(n) { return n ? await r(n - 1) : 0 } r(100000)",
                "let o = {}, c = o; for (let i = 0; i < 100000; i++) { c.a = {}; c = c.a }"
                        + " structuredClone(o)",
                "class A { constructor() { new A() } } new A()"
            })
    void recursionTooDeepIsARangeError(String code) {
        Capture c = new Capture();
        Execution e = CI.run(Language.JAVASCRIPT, code, Policy.defaults(), c.stdio());
        assertThat(e.outcome().status()).as(e.outcome().message()).isEqualTo(Status.EXIT);
        assertThat(c.err()).startsWith("Uncaught RangeError: Maximum call stack size exceeded\n");
    }

    @Test
    void uncaughtRecursionEndsTheSnippetNotTheSession() throws Exception {
        try (Session s = CI.openSession(Language.JAVASCRIPT, Policy.defaults())) {
            run(s, "const kept = 41");
            Capture c = new Capture();
            Execution e = s.run("function r() { return r() + 1 } r()", c.stdio());
            assertThat(e.exitCode()).isEqualTo(1);
            assertThat(e.reset()).isFalse();
            assertThat(c.err())
                    .startsWith("Uncaught RangeError: Maximum call stack size exceeded\n");
            assertThat(run(s, "console.log(kept + 1)")).isEqualTo("42\n");
        }
    }

    @Test
    void uncaughtErrorsPrintLikeNodeWithTheUsersFramesOnly() {
        Capture c =
                js(
                        "function inner() { throw new TypeError('bad thing') }\n"
                                + "function outer() { inner() }\n"
                                + "console.log('before')\nouter()\nconsole.log('after')\n",
                        Policy.defaults());
        assertThat(c.out()).isEqualTo("before\n");
        assertThat(c.err())
                .matches(
                        "Uncaught TypeError: bad thing\n"
                                + "    at inner \\(<input>:1:\\d+\\)\n"
                                + "    at outer \\(<input>:2:\\d+\\)\n"
                                + "    at <eval> \\(<input>:4:\\d+\\)\n");
        Capture thrown = js("throw {code: 7, why: 'x'}", Policy.defaults());
        assertThat(thrown.err()).isEqualTo("Uncaught { code: 7, why: 'x' }\n");
        Capture rejected = js("Promise.reject(new Error('nobody caught me'))", Policy.defaults());
        assertThat(rejected.err()).startsWith("Uncaught Error: nobody caught me\n");
        Capture syntax = js("let x = ;", Policy.defaults());
        assertThat(syntax.err()).startsWith("Uncaught SyntaxError: ");
        for (Capture any : new Capture[] {c, thrown, rejected, syntax}) {
            assertThat(any.err()).doesNotContain("<airlock>", "dev.airlock", "java.", "Exception");
        }
    }

    @Test
    void exitStatusFollowsExitErrorsAndExitCode() {
        Capture c = new Capture();
        Execution e =
                CI.run(
                        Language.JAVASCRIPT,
                        "console.log('a'); setTimeout(() => console.log('never'), 1);"
                                + " try { process.exit(3) } finally { console.log('no') }",
                        Policy.defaults(),
                        c.stdio());
        assertThat(e.exitCode()).isEqualTo(3);
        assertThat(c.out()).isEqualTo("a\n");
        assertThat(
                        CI.run(
                                        Language.JAVASCRIPT,
                                        "process.exitCode = 4",
                                        Policy.defaults(),
                                        c.stdio())
                                .exitCode())
                .isEqualTo(4);
        assertThat(CI.run(Language.JAVASCRIPT, "null.x", Policy.defaults(), c.stdio()).exitCode())
                .isEqualTo(1);
        assertThat(
                        CI.run(
                                        Language.JAVASCRIPT,
                                        "setTimeout(() => { throw new Error('late') }, 5)",
                                        Policy.defaults(),
                                        c.stdio())
                                .exitCode())
                .isEqualTo(1);
    }

    /** Under a frozen clock timers fire in the order of their due times, whatever the load. */
    @Test
    void timersAndPromisesRunInNodesOrderBeforeTheSnippetEnds() throws Exception {
        Policy frozen = Policy.builder().clock(ClockMode.FROZEN).build();
        try (Session s = CI.openSession(Language.JAVASCRIPT, frozen)) {
            assertThat(
                            run(
                                    s,
                                    "const seen = [];"
                                            + "setTimeout(() => seen.push('t20'), 20);"
                                            + "setTimeout(() => seen.push('t0'), 0);"
                                            + "let n = 0; const iv = setInterval(() => {"
                                            + " seen.push('iv'); if (++n === 2) clearInterval(iv) }, 8);"
                                            + "Promise.resolve().then(() => seen.push('p'));"
                                            + "queueMicrotask(() => seen.push('m'));"
                                            + "(async () => { await null; seen.push('a') })();"
                                            + "seen.push('sync')"))
                    .isEmpty();
            assertThat(run(s, "console.log(seen.join(' '))"))
                    .isEqualTo("sync p m a t0 iv iv t20\n");
        }
    }

    @Test
    void anEndlessIntervalRunsUntilTheTimeLimit() {
        Policy quick =
                Policy.builder()
                        .limits(Limits.builder().timeout(Duration.ofMillis(1500)).build())
                        .build();
        Capture c = new Capture();
        Execution e =
                CI.run(
                        Language.JAVASCRIPT,
                        "let n = 0; setInterval(() => { n++ }, 10)",
                        quick,
                        c.stdio());
        assertThat(e.outcome().status()).isEqualTo(Status.LIMIT);
        assertThat(e.outcome().limitKind()).isEqualTo(LimitKind.TIME);
    }

    @Test
    void randomnessFollowsThePolicysSeed() {
        String code =
                "console.log(crypto.getRandomValues(new Uint8Array(12)).join(','),"
                        + " crypto.randomUUID(), Math.random())";
        Policy seven = Policy.builder().random(RandomMode.seeded(7)).build();
        Policy eight = Policy.builder().random(RandomMode.seeded(8)).build();
        String a = js(code, seven).out();
        assertThat(a).matches("(\\d+,){11}\\d+ [0-9a-f-]{36} 0\\.\\d+\\n");
        assertThat(js(code, seven).out()).isEqualTo(a);
        assertThat(js(code, eight).out()).isNotEqualTo(a);
    }

    @Test
    void timeFollowsAFrozenClock() {
        Policy frozen = Policy.builder().clock(ClockMode.FROZEN).build();
        Capture c =
                js(
                        "const t0 = performance.now();"
                                + "setTimeout(() => console.log('timer', performance.now() - t0,"
                                + " new Date().toISOString()), 1000);"
                                + "console.log(t0, Date.now())",
                        frozen);
        assertThat(c.err()).isEmpty();
        assertThat(c.out()).isEqualTo("0 946684800000\ntimer 0 2000-01-01T00:00:00.000Z\n");
    }

    /** Newer than Node 20, so not among the conformance programs (whose output Node 20 makes). */
    @Test
    void groupByIsThere() {
        assertThat(
                        js(
                                        "console.log(Object.groupBy([1, 2, 3], (x) => (x % 2 ? 'odd' : 'even')),"
                                                + " Map.groupBy([1, 2], (x) => x > 1))",
                                        Policy.defaults())
                                .out())
                .isEqualTo(
                        "[Object: null prototype] { odd: [ 1, 3 ], even: [ 2 ] }"
                                + " Map(2) { false => [ 1 ], true => [ 2 ] }\n");
    }

    @Test
    void processEnvHoldsThePolicysEnvironment() {
        Policy env = Policy.builder().env("GREETING", "hello").build();
        assertThat(js("console.log(process.env.GREETING, process.env.HOME)", env).out())
                .isEqualTo("hello undefined\n");
    }

    @Test
    void sessionsSnapshotRestoreAndForkKeepJavaScriptState() throws Exception {
        try (Session s = CI.openSession(Language.JAVASCRIPT, Policy.defaults())) {
            run(
                    s,
                    "let n = 1; const m = new Map([['k', 'v']]); class P { #x = 5; x() { return this.#x } }");
            var snap = s.snapshot();
            run(s, "n = 100");
            try (Session f = s.fork()) {
                run(f, "n += 1");
                assertThat(run(f, "console.log(n, m.get('k'), new P().x())"))
                        .isEqualTo("101 v 5\n");
            }
            s.restore(snap);
            assertThat(run(s, "console.log(n, m.get('k'), new P().x())")).isEqualTo("1 v 5\n");
        }
    }
}
