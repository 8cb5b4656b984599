package dev.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a client's command line names files and reads its environment in the resident process. */
class InvocationTest {
    private final Invocation client =
            Invocation.of(Path.of("/home/u/work"), Map.of("AIRLOCK_DATA", "d"), Engines.perRun());

    @Test
    void resolvesRelativePathsAgainstTheClientsFolder() {
        assertThat(client.path("in/x.txt")).isEqualTo(Path.of("/home/u/work/in/x.txt"));
        assertThat(client.path("./in")).isEqualTo(Path.of("/home/u/work/in"));
        assertThat(client.path(".//etc")).isEqualTo(Path.of("/home/u/work/etc"));
        assertThat(client.path("../up")).isEqualTo(Path.of("/home/u/work/../up"));
        assertThat(client.path("/abs/file")).isEqualTo(Path.of("/abs/file"));
        assertThat(client.path("-")).isEqualTo(Path.of("-"));
        assertThat(client.path(".")).isEqualTo(Path.of("/home/u/work/."));
    }

    @Test
    void readsTheClientsEnvironmentOnly() {
        assertThat(client.env("AIRLOCK_DATA")).isEqualTo("d");
        assertThat(client.env("PATH")).isNull();
    }

    @Test
    void theProcessKeepsPathsAsGiven() {
        assertThat(Invocation.process().path("./in")).isEqualTo(Path.of("./in"));
        assertThat(Invocation.current()).isSameAs(Invocation.process());
        assertThat(Invocation.within(client, Invocation::current)).isSameAs(client);
        assertThat(Invocation.current()).isSameAs(Invocation.process());
    }

    @Test
    void rejectsARelativeFolder() {
        assertThatThrownBy(() -> Invocation.of(Path.of("work"), Map.of(), Engines.perRun()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("absolute");
    }
}
