package dev.airlock.lang;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.LimitKind;
import dev.airlock.core.Limits;
import dev.airlock.core.Policy;
import dev.airlock.core.Snapshot;
import dev.airlock.core.Status;
import dev.airlock.core.Stdio;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class SessionTest {
    static final CodeInterpreter CI = CodeInterpreter.create();

    @AfterAll
    static void close() {
        CI.close();
    }

    static String run(Session s, String code) {
        Capture c = new Capture();
        Execution e = s.run(code, c.stdio());
        assertThat(e.outcome().status()).as(c.err() + e.outcome().message()).isEqualTo(Status.OK);
        return c.out();
    }

    @Test
    void pythonGlobalsPersist() throws Exception {
        try (Session s = CI.openSession(Language.PYTHON, Policy.defaults())) {
            run(s, "x = 41\ndef inc(v):\n    return v + 1\n");
            assertThat(run(s, "print(inc(x))")).isEqualTo("42\n");
        }
    }

    @Test
    void javascriptVarsAndFunctionsPersist() throws Exception {
        try (Session s = CI.openSession(Language.JAVASCRIPT, Policy.defaults())) {
            run(s, "var x = 41; function inc(v) { return v + 1 }");
            assertThat(run(s, "console.log(inc(x))")).isEqualTo("42\n");
        }
    }

    /** Like notebook cells: let, const and class persist, and keep their semantics. */
    @Test
    void javascriptLetConstAndClassPersist() throws Exception {
        try (Session s = CI.openSession(Language.JAVASCRIPT, Policy.defaults())) {
            run(s, "let count = 1; const base = 40; class Box { constructor(v) { this.v = v } }");
            run(s, "count += 1; const box = new Box(base + count);");
            assertThat(run(s, "console.log(box.v, count, typeof Box)"))
                    .isEqualTo("42 2 function\n");
            Capture c = new Capture();
            Execution e = s.run("base = 1", c.stdio()); // still a constant
            assertThat(e.exitCode()).isEqualTo(1);
            assertThat(c.err()).contains("TypeError");
            Capture d = new Capture();
            s.run("let later = 5; throw new Error('boom')", d.stdio());
            assertThat(d.err()).contains("boom");
            assertThat(run(s, "let count = 'again'; console.log(count, base)"))
                    .isEqualTo("again 40\n"); // a later cell may declare a name again
            assertThat(run(s, "console.log(typeof native, typeof hooks, typeof inspect)"))
                    .isEqualTo("undefined undefined undefined\n"); // the prelude's own names
        }
    }

    @Test
    void filesRoundTrip() throws Exception {
        try (Session s = CI.openSession(Language.PYTHON, Policy.defaults())) {
            s.upload("/workspace/in.txt", "hello".getBytes(StandardCharsets.UTF_8));
            run(s, "open('out.txt', 'w').write(open('in.txt').read().upper())");
            assertThat(new String(s.download("/workspace/out.txt"), StandardCharsets.UTF_8))
                    .isEqualTo("HELLO");
            assertThat(s.files(null)).containsExactly("/workspace/in.txt", "/workspace/out.txt");
        }
    }

    @Test
    void snapshotRestoreAndFork() throws Exception {
        try (Session s = CI.openSession(Language.PYTHON, Policy.defaults())) {
            run(s, "n = 1\nopen('f.txt','w').write('one')");
            Snapshot snap = s.snapshot();
            run(s, "n = 2\nopen('f.txt','w').write('two')");
            try (Session fork = s.fork()) {
                run(fork, "n += 10");
                assertThat(run(fork, "print(n, open('f.txt').read())")).isEqualTo("12 two\n");
                assertThat(run(s, "print(n)")).isEqualTo("2\n");
            }
            s.restore(snap);
            assertThat(run(s, "print(n, open('f.txt').read())")).isEqualTo("1 one\n");
            ByteArrayOutputStream saved = new ByteArrayOutputStream();
            snap.writeTo(saved);
            Snapshot loaded = Snapshot.readFrom(new ByteArrayInputStream(saved.toByteArray()));
            try (Session other = CI.openSession(Language.PYTHON, Policy.defaults())) {
                other.restore(loaded);
                assertThat(run(other, "print(n, open('f.txt').read())")).isEqualTo("1 one\n");
            }
        }
    }

    @Test
    void limitResetsTheSessionButKeepsWorkspaceFiles() throws Exception {
        Policy p =
                Policy.builder()
                        .limits(Limits.builder().timeout(Duration.ofMillis(1500)).build())
                        .build();
        try (Session s = CI.openSession(Language.PYTHON, p)) {
            run(s, "x = 5\nopen('keep.txt','w').write('kept')");
            Execution e = s.run("while True:\n    pass\n", Stdio.discard());
            assertThat(e.outcome().status()).isEqualTo(Status.LIMIT);
            assertThat(e.outcome().limitKind()).isEqualTo(LimitKind.TIME);
            assertThat(e.reset()).isTrue();
            assertThat(run(s, "print('x' in globals(), open('keep.txt').read())"))
                    .isEqualTo("False kept\n");
        }
    }

    @Test
    void exceptionKeepsTheSession() throws Exception {
        try (Session s = CI.openSession(Language.PYTHON, Policy.defaults())) {
            run(s, "x = 5");
            Execution e = s.run("raise ValueError('no')", Stdio.discard());
            assertThat(e.exitCode()).isEqualTo(1);
            assertThat(e.reset()).isFalse();
            assertThat(run(s, "print(x)")).isEqualTo("5\n");
        }
    }

    @Test
    void interruptStopsARunningSnippet() throws Exception {
        Session[] self = {null};
        Policy p =
                Policy.builder()
                        .tool(
                                "stop-me",
                                args -> {
                                    self[0].interrupt();
                                    return "null";
                                })
                        .build();
        try (Session s = CI.openSession(Language.PYTHON, p)) {
            self[0] = s;
            Execution e =
                    s.run(
                            "import airlock\nairlock.call('stop-me')\nwhile True:\n    pass\n",
                            Stdio.discard());
            assertThat(e.outcome().limitKind()).isEqualTo(LimitKind.INTERRUPTED);
            assertThat(e.reset()).isTrue();
            assertThat(run(s, "print(1)")).isEqualTo("1\n");
        }
    }
}
