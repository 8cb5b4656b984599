package dev.airlock.lang;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.Policy;
import dev.airlock.core.Snapshot;
import dev.airlock.core.Status;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * {@link CodeInterpreter#prepare} does the first run's loading ahead of it: the run then uses the
 * image it made (one image per language), a run started while it is under way waits for it and runs
 * as usual, and without warm start it loads the module only.
 */
class PrepareTest {
    private static Execution run(CodeInterpreter ci, Capture c) {
        return ci.run(Language.JAVASCRIPT, "console.log(6 * 7)", Policy.defaults(), c.stdio());
    }

    @Test
    void theRunUsesTheImagePreparedForIt() throws Exception {
        try (CodeInterpreter ci = CodeInterpreter.create()) {
            ci.prepare(Language.JAVASCRIPT);
            Snapshot prepared = ci.images().warmImage(Language.JAVASCRIPT);
            Capture c = new Capture();
            assertThat(run(ci, c).outcome().status()).isEqualTo(Status.OK);
            assertThat(c.out()).isEqualTo("42\n");
            assertThat(ci.images().warmImage(Language.JAVASCRIPT)).isSameAs(prepared);
        }
    }

    @Test
    void aRunStartedMeanwhileWaitsAndRunsAsUsual() throws Exception {
        try (CodeInterpreter ci = CodeInterpreter.create()) {
            CompletableFuture<Void> preparing =
                    CompletableFuture.runAsync(
                            () -> {
                                try {
                                    ci.prepare(Language.JAVASCRIPT);
                                } catch (Exception e) {
                                    throw new IllegalStateException(e);
                                }
                            });
            Capture c = new Capture();
            Execution e = run(ci, c);
            preparing.join();
            assertThat(e.outcome().status()).as(e.outcome().message()).isEqualTo(Status.OK);
            assertThat(c.out()).isEqualTo("42\n");
        }
    }

    @Test
    void withoutWarmStartItLoadsTheModuleAndRunsStillStartAnew() throws Exception {
        try (CodeInterpreter ci = CodeInterpreter.builder().warmStart(false).build()) {
            ci.prepare(Language.JAVASCRIPT);
            Capture c = new Capture();
            Execution e = run(ci, c);
            assertThat(e.outcome().status()).isEqualTo(Status.OK);
            assertThat(c.out()).isEqualTo("42\n");
            assertThat(e.outcome().usage().startMillis()).isPositive();
        }
    }
}
