package dev.airlock.lang;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import dev.airlock.core.event.EventSink;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * {@link CodeInterpreter#runPrepared}: the warm-up runs once and its effect is in every run's
 * image; the per-run snippet and the program run each time; a failed warm-up means cold runs.
 */
class PreparedRunsTest {
    static final CodeInterpreter CI = CodeInterpreter.create();

    @AfterAll
    static void close() {
        CI.close();
    }

    static final Map<String, byte[]> FILES =
            Map.of("/app/data.txt", "from the app\n".getBytes(StandardCharsets.UTF_8));

    String run(Prepared app) {
        Capture c = new Capture();
        Execution e =
                CI.runPrepared(
                        Language.PYTHON,
                        app,
                        Program.file(
                                "main.py",
                                "import os, sys\nprint(getattr(sys, 'warmed', 0), os.getcwd(),"
                                        + " open('data.txt').read().strip(), sys.argv)\n",
                                List.of("a")),
                        Policy.defaults(),
                        c.stdio(),
                        EventSink.none());
        assertThat(e.outcome().status()).as(c.err()).isEqualTo(Status.OK);
        return c.out();
    }

    @Test
    void theWarmUpRunsOnceAndEveryRunStartsFromItsImage() {
        Prepared app =
                new Prepared(
                        FILES,
                        "import sys, json\nsys.warmed = getattr(sys, 'warmed', 0) + 1\n",
                        "import os as _o\n_o.chdir('/app')\ndel _o\n",
                        "test-1");
        assertThat(run(app)).isEqualTo("1 /app from the app ['main.py', 'a']\n");
        assertThat(run(app)).isEqualTo("1 /app from the app ['main.py', 'a']\n");
    }

    /** An app that imports random in its warm-up still draws new numbers in every run. */
    @Test
    void everyRunDrawsItsOwnRandomNumbers() {
        Prepared app = new Prepared(FILES, "import random\n", "", "test-3");
        Program draw = Program.of("import random\nprint(random.getrandbits(64))\n");
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < 3; i++) {
            Capture c = new Capture();
            Execution e =
                    CI.runPrepared(
                            Language.PYTHON,
                            app,
                            draw,
                            Policy.defaults(),
                            c.stdio(),
                            EventSink.none());
            assertThat(e.outcome().status()).as(c.err()).isEqualTo(Status.OK);
            seen.add(c.out());
        }
        assertThat(seen).hasSize(3);
    }

    @Test
    void aFailedWarmUpMeansColdRuns() {
        Prepared app =
                new Prepared(
                        FILES,
                        "import sys\nsys.warmed = 1\nraise SystemExit(3)\n",
                        "import os as _o\n_o.chdir('/app')\ndel _o\n",
                        "test-2");
        assertThat(run(app)).isEqualTo("0 /app from the app ['main.py', 'a']\n");
    }
}
