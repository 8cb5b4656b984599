package dev.airlock.lang;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.LimitKind;
import dev.airlock.core.Limits;
import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The caller's time limit applies to the snippet, never to the interpreter's start: a limit far
 * shorter than any start-up (1 ms) still runs the interpreter up to the snippet, and a runaway
 * snippet ends as a time limit, not as a rejected start. The start-up is reported apart, in {@code
 * usage.startMillis}.
 */
class StartupAllowanceTest {
    private static Policy timeout(Duration d) {
        return Policy.builder().limits(Limits.builder().timeout(d).build()).build();
    }

    @ParameterizedTest
    @EnumSource(Language.class)
    void aTinyTimeLimitNeverRejectsTheStart(Language language) {
        try (CodeInterpreter ci = CodeInterpreter.builder().warmStart(false).build()) {
            Execution e =
                    ci.run(
                            language,
                            language == Language.PYTHON ? "print(1)" : "console.log(1)",
                            timeout(Duration.ofMillis(1)),
                            new Capture().stdio());
            assertThat(e.outcome().status())
                    .as(e.outcome().message())
                    .isIn(Status.OK, Status.LIMIT)
                    .isNotEqualTo(Status.REJECTED);
            if (e.outcome().status() == Status.LIMIT) {
                assertThat(e.outcome().limitKind()).isEqualTo(LimitKind.TIME);
            }
            // starting an interpreter from scratch is never free
            assertThat(e.outcome().usage().startMillis()).isPositive();
        }
    }

    @Test
    void aRunawaySnippetIsATimeLimitNotARejection() {
        try (CodeInterpreter ci = CodeInterpreter.builder().warmStart(false).build()) {
            Capture c = new Capture();
            Execution e =
                    ci.run(
                            Language.PYTHON,
                            "print('started', flush=True)\nwhile True: pass",
                            timeout(Duration.ofMillis(300)),
                            c.stdio());
            assertThat(e.outcome().status()).as(e.outcome().message()).isEqualTo(Status.LIMIT);
            assertThat(e.outcome().limitKind()).isEqualTo(LimitKind.TIME);
            assertThat(c.out()).isEqualTo("started\n");
            assertThat(e.outcome().usage().wallMillis()).isGreaterThanOrEqualTo(300);
        }
    }

    @Test
    void aWarmStartReportsItsRestoreOnly() {
        try (CodeInterpreter ci = CodeInterpreter.create()) {
            Policy p = Policy.defaults();
            ci.run(Language.PYTHON, "pass", p, new Capture().stdio());
            Execution first = ci.run(Language.PYTHON, "pass", p, new Capture().stdio());
            assertThat(first.outcome().status()).isEqualTo(Status.OK);
            assertThat(first.outcome().usage().startMillis()).isNotNegative();
        }
    }
}
