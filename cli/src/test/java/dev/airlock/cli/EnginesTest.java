package dev.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.cli.options.EngineOptions;
import dev.airlock.lang.CodeInterpreter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Engines built per run, or kept per cache folder up to a bound. */
class EnginesTest {
    @TempDir Path tmp;

    private EngineOptions options(String cache) {
        EngineOptions o = new EngineOptions();
        o.cache.cacheDir = tmp.resolve(cache);
        return o;
    }

    @Test
    void perRunBuildsEachTime() {
        Engines e = Engines.perRun();
        assertThat(e.engine(options("a"))).isNotSameAs(e.engine(options("a")));
        CodeInterpreter one = e.interpreter(options("a").cache);
        assertThat(e.interpreter(options("a").cache)).isNotSameAs(one);
        e.done(one);
    }

    @Test
    void sharedKeepsOnePerCacheFolderAndInterpretFlag() {
        Engines e = Engines.shared();
        assertThat(e.engine(options("a"))).isSameAs(e.engine(options("a")));
        assertThat(e.engine(options("a"))).isNotSameAs(e.engine(options("b")));
        EngineOptions interpret = options("a");
        interpret.interpret = true;
        assertThat(e.engine(interpret)).isNotSameAs(e.engine(options("a")));
        CodeInterpreter ci = e.interpreter(options("a").cache);
        e.done(ci); // kept: not closed
        assertThat(e.interpreter(options("a").cache)).isSameAs(ci);
    }

    @Test
    void sharedKeepsAtMostABoundedNumber() {
        Engines e = Engines.shared();
        for (int i = 0; i < Engines.MAX_SHARED; i++) {
            e.engine(options("c" + i));
            e.interpreter(options("c" + i).cache);
        }
        assertThat(e.engine(options("c0"))).isSameAs(e.engine(options("c0")));
        assertThat(e.engine(options("more"))).isNotSameAs(e.engine(options("more")));
        CodeInterpreter extra = e.interpreter(options("more").cache);
        assertThat(e.interpreter(options("more").cache)).isNotSameAs(extra);
        e.done(extra);
    }
}
