package dev.airlock.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airlock.core.Limits;
import dev.airlock.core.Policy;
import dev.airlock.lang.CodeTool;
import dev.airlock.lang.Language;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AirlockCodeExecutionEngineTest {
    /** What no answer to a model may hold: Java names or stack frames. */
    static void assertClean(String answer) {
        assertThat(answer).doesNotContain("java.", "dev.airlock", "Exception:", "\tat ");
    }

    @Test
    void pythonUsesTheStandardLibrary() {
        String answer =
                AirlockCodeExecutionEngine.python()
                        .execute(
                                "import json, statistics\nprint(json.dumps(statistics.mean([1, 2, 6])))");
        assertThat(answer).isEqualTo("Finished normally (exit code 0).\nstdout:\n3\n");
    }

    @Test
    void javaScript() {
        AirlockCodeExecutionEngine engine = AirlockCodeExecutionEngine.javaScript();
        assertThat(engine.language()).isEqualTo(Language.JAVASCRIPT);
        assertThat(engine.execute("console.log([3, 1, 2].sort().map(x => x * 2).join(','))"))
                .isEqualTo("Finished normally (exit code 0).\nstdout:\n2,4,6\n");
    }

    @Test
    void anExceptionIsAFailureWithItsTraceback() {
        String answer = AirlockCodeExecutionEngine.python().execute("print('before')\n1 / 0");
        assertThat(answer)
                .startsWith("Failed with exit code 1 (an uncaught exception")
                .contains("stdout:\nbefore\n", "stderr:\nTraceback", "ZeroDivisionError");
        assertClean(answer);
    }

    @Test
    void aFileOutsideTheSandboxIsDeniedAndSaidSo() {
        String answer = AirlockCodeExecutionEngine.python().execute("open('/etc/passwd').read()");
        assertThat(answer)
                .startsWith("Failed with exit code 1")
                .contains(
                        "The sandbox denied:\n- no mount holds the path (rule fs.outside-mount)",
                        "FileNotFoundError");
        assertClean(answer);
    }

    @Test
    void aTimeLimitStopsTheCodeWithAHint() {
        AirlockCodeExecutionEngine engine =
                AirlockCodeExecutionEngine.builder().timeout(Duration.ofMillis(500)).build();
        CodeTool.Result r = engine.run("print('started', flush=True)\nwhile True:\n    pass");
        assertThat(r.isOk()).isFalse();
        assertThat(r.text())
                .startsWith(
                        "Stopped by the sandbox: limit exceeded: time (500ms). The code ran longer"
                                + " than allowed")
                .contains("stdout:\nstarted\n");
        assertClean(r.text());
    }

    @Test
    void anOutputLimitStopsTheCode() {
        String answer =
                AirlockCodeExecutionEngine.builder()
                        .language(Language.JAVASCRIPT)
                        .maxOutputBytes(1000)
                        .build()
                        .execute("for (;;) console.log('x'.repeat(100))");
        assertThat(answer).startsWith("Stopped by the sandbox: limit exceeded: output");
        assertThat(answer).contains("print a summary instead");
    }

    @Test
    void longOutputKeepsItsBeginningAndEnd() {
        String answer =
                AirlockCodeExecutionEngine.builder()
                        .maxResultChars(100)
                        .build()
                        .execute("print('first'); print('-' * 1000); print('last')");
        assertThat(answer)
                .contains("stdout:\nfirst\n", "last\n", "characters not shown")
                .hasSizeLessThan(300);
    }

    @Test
    void theBuilderRejectsBadValues() {
        AirlockCodeExecutionEngine.Builder b = AirlockCodeExecutionEngine.builder();
        assertThatThrownBy(() -> b.timeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timeout must be positive");
        assertThatThrownBy(() -> b.memoryBytes(1000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.maxOutputBytes(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.maxResultChars(10)).isInstanceOf(IllegalArgumentException.class);
        Policy fuel = Policy.builder().limits(Limits.builder().fuel(1000).build()).build();
        assertThatThrownBy(() -> b.policy(fuel))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limit their time instead");
        assertThatThrownBy(
                        () ->
                                AirlockCodeExecutionEngine.builder()
                                        .tool(CodeTool.create())
                                        .timeout(Duration.ofSeconds(1))
                                        .build())
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theDefaultPolicyGrantsNothingAndLimitsEverything() {
        Policy p = AirlockCodeExecutionEngine.python().tool().policy();
        assertThat(p.mounts()).isEmpty();
        assertThat(p.env()).isEmpty();
        assertThat(p.limits().timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(p.limits().memoryBytes()).isEqualTo(256L << 20);
        assertThat(p.limits().maxOutputBytes()).isEqualTo(1L << 20);
        String answer =
                AirlockCodeExecutionEngine.python()
                        .execute(
                                "import os, urllib.request\nprint(sorted(os.environ))\n"
                                        + "urllib.request.urlopen('http://data.invalid/')");
        assertThat(answer)
                .contains(
                        "The sandbox denied:\n- no network is granted (rule net.none)",
                        "stdout:\n[]\n",
                        "URLError: <urlopen error network request denied (net.none)");
        assertClean(answer);
    }
}
