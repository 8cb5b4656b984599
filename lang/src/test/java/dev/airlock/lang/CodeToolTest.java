package dev.airlock.lang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airlock.core.Denial;
import dev.airlock.core.Outcome;
import dev.airlock.core.Status;
import dev.airlock.core.Usage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CodeTool's text for a model, from outcomes made here (no interpreter runs). */
class CodeToolTest {
    static Execution exec(Status status, Integer code, String kind, String message, Denial... d) {
        return new Execution(
                new Outcome(status, code, kind, message, Usage.NONE, List.of(d), null), false);
    }

    @Test
    void okShowsStdoutAndOnlyANonEmptyStderr() {
        assertThat(ResultText.describe(exec(Status.OK, 0, null, "ok"), "", "", 100))
                .isEqualTo("Finished normally (exit code 0).\nstdout: (empty)");
        assertThat(ResultText.describe(exec(Status.EXIT, 0, null, "exit 0"), "a\n", "w\n", 100))
                .isEqualTo("Finished normally (exit code 0).\nstdout:\na\n\nstderr:\nw\n");
    }

    @Test
    void eachEndingHasItsHeadline() {
        assertThat(ResultText.describe(exec(Status.EXIT, 3, null, "exit 3"), "", "", 100))
                .startsWith("Failed with exit code 3 (an uncaught exception or an explicit exit");
        assertThat(
                        ResultText.describe(
                                exec(Status.LIMIT, null, "memory", "limit exceeded: memory (1MiB)"),
                                "",
                                "",
                                100))
                .startsWith(
                        "Stopped by the sandbox: limit exceeded: memory (1MiB). The code needed"
                                + " more memory than allowed");
        assertThat(
                        ResultText.describe(
                                exec(Status.LIMIT, null, "stack", "limit exceeded: stack"),
                                "",
                                "",
                                100))
                .contains("use a loop instead");
        assertThat(
                        ResultText.describe(
                                exec(Status.TRAP, null, "unreachable", "trap: unreachable"),
                                "",
                                "",
                                100))
                .startsWith("The interpreter crashed in the sandbox: trap: unreachable.");
        assertThat(
                        ResultText.describe(
                                exec(Status.REJECTED, null, "invalid", "module rejected: bad"),
                                "",
                                "",
                                100))
                .startsWith("Could not run the code: module rejected: bad.");
        assertThat(
                        ResultText.describe(
                                exec(Status.ERROR, null, null, "internal error: disk full"),
                                "",
                                "",
                                100))
                .startsWith("The sandbox failed to run the code: internal error: disk full.");
    }

    @Test
    void aResetAndTheDenialsAreSaidOnceEach() {
        Denial net = new Denial("sock_open", "net.none", "no network is granted");
        List<Denial> many = new ArrayList<>(List.of(net, net));
        for (int i = 0; i < 7; i++) {
            many.add(new Denial("path_open", "fs.outside-mount", "no mount holds /d" + i));
        }
        Execution e =
                new Execution(
                        new Outcome(
                                Status.LIMIT,
                                null,
                                "time",
                                "limit exceeded: time (1s)",
                                Usage.NONE,
                                many,
                                null),
                        true);
        String text = ResultText.describe(e, "", "", 100);
        assertThat(text)
                .contains(
                        "\nThe session was reset: variables, functions and imports",
                        "\nThe sandbox denied:\n- no network is granted (rule net.none)\n"
                                + "- no mount holds /d0 (rule fs.outside-mount)\n",
                        "- no mount holds /d3 (rule fs.outside-mount)\n- and 3 more\nstdout:");
        assertThat(text).doesNotContain("/d4");
    }

    @Test
    void longOutputKeepsItsBeginningAndEnd() {
        String s = "a".repeat(60) + "b".repeat(60);
        assertThat(ResultText.cut(s, 120)).isEqualTo(s);
        assertThat(ResultText.cut(s, 100))
                .isEqualTo(
                        "a".repeat(50) + "\n[... 20 characters not shown ...]\n" + "b".repeat(50));
    }

    @Test
    void theBuilderRejectsBadValuesAtOnce() {
        CodeTool.Builder b = CodeTool.builder();
        assertThatThrownBy(() -> b.maxResultChars(99))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxResultChars must be at least 100: 99");
        assertThatThrownBy(() -> b.timeout(java.time.Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CodeSessions(CodeTool.create(), 0))
                .isInstanceOf(IllegalArgumentException.class);
        CodeTool t = b.timeout(java.time.Duration.ofSeconds(3)).memoryBytes(64L << 20).build();
        assertThat(t.policy().limits().timeout()).isEqualTo(java.time.Duration.ofSeconds(3));
        assertThat(t.policy().limits().memoryBytes()).isEqualTo(64L << 20);
        assertThat(t.policy().limits().maxOutputBytes()).isEqualTo(1L << 20);
    }
}
