package dev.airlock.lang;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.LimitKind;
import dev.airlock.core.Limits;
import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Snippets served from a pool of instances restored ahead of time. */
class WarmPoolTest {
    static final Policy POOLED =
            Policy.builder()
                    .limits(Limits.builder().timeout(Duration.ofMillis(1500)).build())
                    .build();
    static CodeInterpreter ci;

    @BeforeAll
    static void start() {
        ci = CodeInterpreter.builder().pool(POOLED, 2).build();
    }

    @AfterAll
    static void stop() {
        ci.close();
    }

    static String run(Language language, String code) {
        Capture c = new Capture();
        Execution e = ci.run(language, code, POOLED, c.stdio());
        assertThat(e.outcome().status()).as(e.outcome().message() + c.err()).isEqualTo(Status.OK);
        return c.out();
    }

    @Test
    void moreSnippetsAtOnceThanThePoolHoldsAllRun() throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(6);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                int n = i;
                Language l = i % 2 == 0 ? Language.PYTHON : Language.JAVASCRIPT;
                String code =
                        l == Language.PYTHON
                                ? "print(" + n + " * 2)"
                                : "console.log(" + n + " * 2)";
                results.add(callers.submit(() -> run(l, code)));
            }
            for (int i = 0; i < results.size(); i++) {
                assertThat(results.get(i).get()).isEqualTo((i * 2) + "\n");
            }
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void nothingLeaksFromOnePooledSnippetToTheNext() {
        for (int round = 0; round < 4; round++) {
            assertThat(
                            run(
                                    Language.PYTHON,
                                    "import os\n"
                                            + "print('leak' in globals(), os.path.exists('/workspace/leak.txt'))\n"
                                            + "leak = 1\n"
                                            + "open('/workspace/leak.txt', 'w').write('x')"))
                    .isEqualTo("False False\n");
            assertThat(run(Language.JAVASCRIPT, "console.log(typeof leaked); var leaked = 1"))
                    .isEqualTo("undefined\n");
        }
    }

    @Test
    void aLimitedSnippetLeavesThePoolServingCleanInstances() {
        Capture c = new Capture();
        Execution stopped = ci.run(Language.PYTHON, "x = 5\nwhile True: pass", POOLED, c.stdio());
        assertThat(stopped.outcome().status()).isEqualTo(Status.LIMIT);
        assertThat(stopped.outcome().limitKind()).isEqualTo(LimitKind.TIME);
        for (int i = 0; i < 3; i++) {
            assertThat(run(Language.PYTHON, "print('x' in globals())")).isEqualTo("False\n");
        }
    }
}
