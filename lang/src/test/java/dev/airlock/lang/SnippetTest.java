package dev.airlock.lang;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class SnippetTest {
    static final CodeInterpreter CI = CodeInterpreter.create();

    @AfterAll
    static void close() {
        CI.close();
    }

    @Test
    void pythonPrints() {
        Capture c = new Capture();
        Execution e = CI.run(Language.PYTHON, "print(6 * 7)", Policy.defaults(), c.stdio());
        assertThat(e.outcome().message()).isEqualTo("ok");
        assertThat(c.err()).isEmpty();
        assertThat(e.outcome().status()).isEqualTo(Status.OK);
        assertThat(c.out()).isEqualTo("42\n");
        assertThat(e.exitCode()).isZero();
    }

    @Test
    void pythonExceptionPrintsTracebackAndExitsOne() {
        Capture c = new Capture();
        Execution e = CI.run(Language.PYTHON, "x = 1\n1/0\n", Policy.defaults(), c.stdio());
        assertThat(e.exitCode()).isEqualTo(1);
        assertThat(e.outcome().status()).isEqualTo(Status.EXIT);
        assertThat(c.err())
                .startsWith("Traceback (most recent call last):\n")
                .contains("File \"<string>\", line 2, in <module>")
                .endsWith("ZeroDivisionError: division by zero\n");
    }

    @Test
    void pythonSysExit() {
        Capture c = new Capture();
        Execution e =
                CI.run(Language.PYTHON, "import sys\nsys.exit(3)", Policy.defaults(), c.stdio());
        assertThat(e.exitCode()).isEqualTo(3);
    }

    @Test
    void pythonWorkspaceIsWorkingFolder() {
        Capture c = new Capture();
        Execution e =
                CI.run(
                        Language.PYTHON,
                        "import os\nopen('a.txt','w').write('hi')\nprint(os.getcwd(), open('/workspace/a.txt').read())",
                        Policy.defaults(),
                        c.stdio());
        assertThat(c.err()).isEmpty();
        assertThat(c.out()).isEqualTo("/workspace hi\n");
        assertThat(e.exitCode()).isZero();
    }

    @Test
    void javascriptPrints() {
        Capture c = new Capture();
        Execution e =
                CI.run(
                        Language.JAVASCRIPT,
                        "console.log(6 * 7, 'x', [1, 'a'], {a: 1, b: {c: null}})",
                        Policy.defaults(),
                        c.stdio());
        assertThat(c.err()).isEmpty();
        assertThat(c.out()).isEqualTo("42 x [ 1, 'a' ] { a: 1, b: { c: null } }\n");
        assertThat(e.exitCode()).isZero();
    }

    @Test
    void javascriptUncaughtExitsOne() {
        Capture c = new Capture();
        Execution e =
                CI.run(
                        Language.JAVASCRIPT,
                        "throw new TypeError('bad')",
                        Policy.defaults(),
                        c.stdio());
        assertThat(e.exitCode()).isEqualTo(1);
        assertThat(c.err()).startsWith("Uncaught TypeError: bad");
    }

    @Test
    void javascriptSyntaxErrorExitsOne() {
        Capture c = new Capture();
        Execution e = CI.run(Language.JAVASCRIPT, "function (", Policy.defaults(), c.stdio());
        assertThat(e.exitCode()).isEqualTo(1);
        assertThat(c.err()).contains("SyntaxError");
    }
}
