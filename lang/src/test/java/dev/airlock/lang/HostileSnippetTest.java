package dev.airlock.lang;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.LimitKind;
import dev.airlock.core.Limits;
import dev.airlock.core.Mount;
import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snippets written to break out or to exhaust the host; each ends in its documented outcome. */
class HostileSnippetTest {
    static final CodeInterpreter CI = CodeInterpreter.create();
    static final Policy TIGHT =
            Policy.builder()
                    .limits(
                            Limits.builder()
                                    .timeout(Duration.ofSeconds(30))
                                    .maxOutputBytes(64 << 10)
                                    .build())
                    .build();

    static final Policy LOOP =
            Policy.builder()
                    .limits(Limits.builder().timeout(Duration.ofSeconds(2)).build())
                    .build();

    @AfterAll
    static void close() {
        CI.close();
    }

    static Execution py(String code, Capture c) {
        return CI.run(Language.PYTHON, code, TIGHT, c.stdio());
    }

    static Execution js(String code, Capture c) {
        return CI.run(Language.JAVASCRIPT, code, TIGHT, c.stdio());
    }

    @Test
    void pythonCannotReadHostFiles() {
        Capture c = new Capture();
        Execution e = py("print(open('/etc/passwd').read())", c);
        assertThat(e.exitCode()).as(e.outcome().message() + " " + c.err()).isEqualTo(1);
        assertThat(c.err()).contains("FileNotFoundError");
        assertThat(c.out()).isEmpty();
    }

    @Test
    void pythonCannotClimbOutOfTheWorkspace() {
        Capture c = new Capture();
        Execution e = py("import os\nprint(sorted(os.listdir('../../..')))", c);
        // either refused (PermissionError) or the sandbox's own root, never the host's
        assertThat(e.exitCode()).as(e.outcome().message() + " " + c.err()).isIn(0, 1);
        assertThat(c.out()).doesNotContain("etc").doesNotContain("root");
        assertThat(c.out() + c.err()).doesNotContain("passwd");
    }

    @Test
    void pythonHasNoProcesses() {
        Capture c = new Capture();
        Execution e = py("import os\nos.system('id')", c);
        assertThat(e.exitCode()).as(e.outcome().message() + " " + c.err()).isEqualTo(1);
        assertThat(c.err()).contains("PermissionError").contains("cannot run programs");
        Capture d = new Capture();
        Execution f = py("import subprocess\nsubprocess.run(['id'])", d);
        assertThat(f.exitCode()).isEqualTo(1);
        assertThat(d.out()).isEmpty();
        assertThat(d.err()).contains("PermissionError").contains("cannot run programs");
    }

    @Test
    void pythonHasNoSockets() {
        Capture c = new Capture();
        Execution e = py("import socket\ns = socket.socket()\ns.connect(('93.184.216.34', 80))", c);
        assertThat(e.exitCode()).as(e.outcome().message() + " " + c.err()).isEqualTo(1);
        assertThat(c.err()).contains("PermissionError").contains("grants no sockets");
    }

    @Test
    void pythonHasNoCtypes() {
        Capture c = new Capture();
        Execution e = py("import ctypes", c);
        assertThat(e.exitCode()).as(e.outcome().message() + " " + c.err()).isEqualTo(1);
        assertThat(c.err()).contains("ModuleNotFoundError");
    }

    @Test
    void infiniteLoopsHitTheTimeout() {
        for (Language l : Language.values()) {
            assertHitsTheTimeout(l, l == Language.PYTHON ? "while True:\n    pass" : "for (;;) {}");
        }
    }

    /** QuickJS calls built-in functions straight from its loop (patch 04): still stopped. */
    @Test
    void javascriptLoopsOfBuiltinCallsHitTheTimeout() {
        assertHitsTheTimeout(
                Language.JAVASCRIPT, "let n = 0; for (;;) { n += Math.abs(-1); [].push(n); }");
    }

    /** A loop of reads along a 20,000-link prototype chain, each walked in C: still stopped. */
    @Test
    void javascriptLoopsOfDeepPrototypeReadsHitTheTimeout() {
        assertHitsTheTimeout(
                Language.JAVASCRIPT,
                "let o = { end: 1 }; for (let i = 0; i < 20000; i++) o = Object.create(o);"
                        + " let n = 0; for (;;) { n += o.end; if (o.missing) break; }");
    }

    /** Runs {@code code} under {@link #LOOP}: it must end at the time limit, with exit 125. */
    private static void assertHitsTheTimeout(Language language, String code) {
        Capture c = new Capture();
        Execution e = CI.run(language, code, LOOP, c.stdio());
        assertThat(e.outcome().limitKind()).as(language.id()).isEqualTo(LimitKind.TIME);
        assertThat(e.exitCode()).as(e.outcome().message() + " " + c.err()).isEqualTo(125);
    }

    @Test
    void pythonMemoryBombIsAMemoryError() {
        Capture c = new Capture();
        Execution e = py("x = []\nwhile True:\n    x.append(' ' * 1000000)", c);
        assertThat(e.exitCode()).as(e.outcome().message() + " " + c.err()).isEqualTo(1);
        assertThat(c.err()).contains("MemoryError");
    }

    /**
     * The Python image declares a 64 MiB memory maximum; the policy's memory limit is what counts:
     * 100 MiB fit under a 256 MiB limit, and not under a 96 MiB one.
     */
    @Test
    void pythonMemoryFollowsThePolicyNotTheImage() {
        String grab = "b = bytearray(100 * 1024 * 1024)\nb[-1] = 1\nprint(len(b) >> 20, sum(b))";
        Capture c = new Capture();
        Execution e = py(grab, c);
        assertThat(c.out()).as(e.outcome().message() + " " + c.err()).isEqualTo("100 1\n");
        Policy small =
                Policy.builder().limits(Limits.builder().memoryBytes(96L << 20).build()).build();
        Capture d = new Capture();
        Execution f = CI.run(Language.PYTHON, grab, small, d.stdio());
        assertThat(f.exitCode()).as(f.outcome().message()).isEqualTo(1);
        assertThat(d.err()).contains("MemoryError");
    }

    @Test
    void javascriptMemoryBombIsStopped() {
        Capture c = new Capture();
        Execution e = js("let a = []; for (;;) a.push(new Array(1000000).fill(7));", c);
        assertThat(e.outcome().status()).isNotEqualTo(Status.OK);
        assertThat(e.exitCode()).as(e.outcome().message() + " " + c.err()).isIn(1, 125);
    }

    @Test
    void runawayRecursionIsARecursionError() {
        Capture c = new Capture();
        Execution e = py("def f(n):\n    return f(n + 1)\nf(0)", c);
        assertThat(e.exitCode()).as(e.outcome().message() + " " + c.err()).isEqualTo(1);
        assertThat(c.err()).contains("RecursionError");
        Capture d = new Capture();
        Execution j = js("function f(n) { return f(n + 1) } f(0)", d);
        assertThat(j.exitCode()).isIn(1, 125);
        assertThat(j.outcome().status()).isNotEqualTo(Status.OK);
    }

    @Test
    void reasonableRecursionWorks() {
        Capture c = new Capture();
        Execution e =
                py(
                        "import functools\n@functools.lru_cache(None)\ndef fib(n):\n"
                                + "    return n if n < 2 else fib(n - 1) + fib(n - 2)\n"
                                + "def depth(n):\n    return 0 if n == 0 else 1 + depth(n - 1)\n"
                                + "print(fib(900) % 1000, depth(900))",
                        c);
        assertThat(c.err()).as(e.outcome().message()).isEmpty();
        assertThat(c.out()).as(e.outcome().message()).isEqualTo("800 900\n");
        assertThat(e.exitCode()).as(e.outcome().message() + " " + c.err()).isZero();
    }

    /**
     * Recursion through C (each level an lru_cache wrapper calling back into Python) used to
     * overflow the interpreter image's small C stack at 200-300 levels and write over its static
     * data (a trap). On the moved 2 MiB stack it goes as deep as CPython's own limits allow and
     * then is a RecursionError, even with the recursion limit raised as far as it goes.
     */
    @Test
    void runawayRecursionThroughCIsARecursionError() {
        Capture c = new Capture();
        Execution e =
                py(
                        "import functools, sys\nsys.setrecursionlimit(1000000)\n"
                                + "@functools.lru_cache(None)\ndef f(n):\n"
                                + "    return 0 if n == 0 else f(n - 1) + 1\n"
                                + "try:\n    f(200000)\nexcept RecursionError as e:\n"
                                + "    print('RecursionError', e)\n",
                        c);
        assertThat(e.exitCode()).as(e.outcome().message() + " " + c.err()).isZero();
        assertThat(c.out()).startsWith("RecursionError");
    }

    @Test
    void outputFloodsHitTheOutputLimit() {
        for (Language l : Language.values()) {
            Capture c = new Capture();
            Execution e =
                    CI.run(
                            l,
                            l == Language.PYTHON
                                    ? "while True:\n    print('x' * 1000)"
                                    : "for (;;) console.log('x'.repeat(1000))",
                            TIGHT,
                            c.stdio());
            assertThat(e.outcome().limitKind()).as(l.id()).isEqualTo(LimitKind.OUTPUT);
            assertThat(c.out.size() + c.err.size()).isLessThanOrEqualTo(64 << 10);
        }
    }

    @Test
    void pythonStatOfEveryDescriptorAnswersWithoutAHostException() {
        Capture c = new Capture();
        Execution e =
                py(
                        "import os, stat\n"
                                + "print(stat.S_ISDIR(os.fstat(3).st_mode))\n"
                                + "for fd in list(range(0, 12)) + [1000]:\n"
                                + "    try:\n"
                                + "        os.fstat(fd)\n"
                                + "    except OSError as x:\n"
                                + "        pass\n"
                                + "print('done')",
                        c);
        assertThat(e.outcome().status()).as(e.outcome().message()).isEqualTo(Status.OK);
        assertThat(c.out()).isEqualTo("True\ndone\n");
        assertThat(e.outcome().message() + c.err()).doesNotContain("com.").doesNotContain("java.");
    }

    @Test
    void pythonCannotChangeAReadOnlyMountThroughAHardLink(@TempDir Path data) throws IOException {
        Files.writeString(data.resolve("victim.txt"), "original");
        Capture c = new Capture();
        Execution e =
                CI.run(
                        Language.PYTHON,
                        "import os\n"
                                + "try:\n"
                                + "    os.link('/data/victim.txt', '/workspace/hl')\n"
                                + "    print('linked')\n"
                                + "except OSError as x:\n"
                                + "    print('refused', x.errno)\n"
                                + "open('/workspace/hl', 'w').write('PWNED')\n"
                                + "print(open('/data/victim.txt').read())",
                        TIGHT.toBuilder()
                                .mount(new Mount(data, "/data", Mount.Mode.READ_ONLY))
                                .build(),
                        c.stdio());
        assertThat(e.exitCode()).as(e.outcome().message() + c.err()).isZero();
        assertThat(c.out()).isEqualTo("refused 75\noriginal\n");
        assertThat(e.outcome().denials())
                .anySatisfy(d -> assertThat(d.rule()).isEqualTo("fs.read-only"));
        assertThat(Files.readString(data.resolve("victim.txt"))).isEqualTo("original");
    }

    @Test
    void pythonAttemptsOnHostPathsAreDenials() {
        Capture c = new Capture();
        Execution e =
                py(
                        "for p in ['/etc/passwd', '/root/.ssh/id_rsa']:\n"
                                + "    try:\n"
                                + "        open(p)\n"
                                + "    except FileNotFoundError:\n"
                                + "        print('no', p)",
                        c);
        assertThat(e.exitCode()).as(e.outcome().message() + c.err()).isZero();
        assertThat(c.out()).isEqualTo("no /etc/passwd\nno /root/.ssh/id_rsa\n");
        assertThat(e.outcome().denials())
                .extracting(d -> d.rule())
                .containsExactly("fs.outside-mount", "fs.outside-mount");
    }

    @Test
    void pythonReadsAnEndlessStdinAsItGoesUpToTheCap() {
        Path zero = Path.of("/dev/zero");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(zero), "needs /dev/zero");
        Capture c = new Capture();
        Execution e =
                CI.run(
                        Language.PYTHON,
                        "import sys\n"
                                + "print(len(sys.stdin.buffer.read(10)))\n"
                                + "print(len(sys.stdin.buffer.read()))",
                        TIGHT.toBuilder().stdin(zero, 1 << 20).build(),
                        c.stdio());
        assertThat(e.exitCode()).as(e.outcome().message() + c.err()).isZero();
        assertThat(c.out()).isEqualTo("10\n" + ((1 << 20) - 10) + "\n");
    }
}
