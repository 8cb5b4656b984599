package dev.airlock.components;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.Airlock;
import dev.airlock.core.Mount;
import dev.airlock.core.Policy;
import dev.airlock.core.Stdio;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A C program made a WASI 0.2 component (preview 1 adapter): its whole run on Airlock's host. */
class ComponentWasiTest {
    static final String RUN = "wasi:cli/run@0.2.12#run";

    record Ran(ComponentResult result, String stdout, String stderr) {}

    static Ran run(Policy policy) throws Exception {
        Component c = Component.load(ComponentWorldTest.resource("wasi/probe.wasm"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (ComponentInstance ci = ComponentInstance.create(Airlock.create(), c, policy)) {
            ComponentResult r = ci.call(RUN, "[]", Stdio.of(out, err));
            return new Ran(
                    r, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void runsWithArgumentsEnvironmentAndFiles(@TempDir Path dir) throws Exception {
        Ran r =
                run(
                        Policy.builder()
                                .args("files", "/data")
                                .env("GREETING", "hi")
                                .stdin("a line\n".getBytes(StandardCharsets.UTF_8))
                                .mount(Mount.parse(dir + ":/data:rw"))
                                .build());
        System.out.println(r.result().outcome() + " " + r.result().value());
        System.out.println(r.stdout());
        System.out.println(r.stderr());
        assertThat(r.stdout()).contains("GREETING=hi");
    }
}
