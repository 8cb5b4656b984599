package dev.airlock.core.engine.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airlock.core.Airlock;
import dev.airlock.core.GuestModule;
import dev.airlock.core.InstanceSetup;
import dev.airlock.core.Limits;
import dev.airlock.core.ModuleInfo;
import dev.airlock.core.ModuleRejectedException;
import dev.airlock.core.Outcome;
import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import dev.airlock.core.Stdio;
import dev.airlock.core.event.Event;
import dev.airlock.core.event.EventSink;
import dev.airlock.core.event.LifecycleEvent;
import dev.airlock.core.testing.Guests;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run or an instance the policy refuses before it starts (an import nothing resolves, no entry
 * point, memory above the limit) is refused from the module's sections: nothing is compiled or
 * metered for it.
 */
class RefusedWithoutCompileTest {
    /** A command that imports a function no policy provides. */
    private static final byte[] UNKNOWN_IMPORT =
            Guests.wat(
                    "(module (import \"env\" \"steal\" (func $steal))"
                            + " (memory (export \"memory\") 1)"
                            + " (func (export \"_start\") (call $steal)))");

    /** A library: no _start. */
    private static final byte[] NO_START =
            Guests.wat("(module (func (export \"f\") (result i32) (i32.const 7)))");

    /** A command asking for 64 MiB of memory at once. */
    private static final byte[] BIG_MEMORY =
            Guests.wat("(module (memory (export \"memory\") 1024) (func (export \"_start\")))");

    private static Policy fuel() {
        return Policy.builder().limits(Limits.builder().fuel(1_000_000).build()).build();
    }

    private static Policy smallMemory() {
        return Policy.builder()
                .limits(Limits.builder().memoryBytes(16L << 20).fuel(1_000).build())
                .build();
    }

    @Test
    void refusedRunsCompileNothing(@TempDir Path cache) throws Exception {
        Airlock airlock = Airlock.builder().diskCache(cache).build();
        expectRefused(airlock, UNKNOWN_IMPORT, Policy.defaults(), "unknown-import");
        expectRefused(airlock, UNKNOWN_IMPORT, fuel(), "unknown-import");
        expectRefused(airlock, NO_START, Policy.defaults(), "no-entry-point");
        expectRefused(airlock, NO_START, fuel(), "no-entry-point");
        expectRefused(airlock, BIG_MEMORY, smallMemory(), "memory");
        assertThat(files(cache)).isEmpty();

        // the same airlock compiles (and caches on disk) a module it runs
        Guests.Run ok = Guests.run(airlock, Guests.wat(Guests.helloWat("hi\n")), fuel());
        assertThat(ok.outcome().status()).isEqualTo(Status.OK);
        assertThat(ok.stdout()).isEqualTo("hi\n");
        assertThat(files(cache)).isNotEmpty();
    }

    @Test
    void refusedInstancesCompileNothing(@TempDir Path cache) throws Exception {
        Airlock airlock = Airlock.builder().diskCache(cache).build();
        GuestModule m = airlock.load(UNKNOWN_IMPORT);
        for (InstanceSetup setup :
                List.of(
                        InstanceSetup.defaults(),
                        InstanceSetup.builder().fuelPerCall(true).build())) {
            assertThatThrownBy(() -> airlock.instantiate(m, fuel(), setup))
                    .isInstanceOf(ModuleRejectedException.class)
                    .extracting(e -> ((ModuleRejectedException) e).reason())
                    .isEqualTo("unknown-import");
        }
        GuestModule big = airlock.load(BIG_MEMORY);
        assertThatThrownBy(() -> airlock.instantiate(big, smallMemory(), InstanceSetup.defaults()))
                .isInstanceOf(ModuleRejectedException.class)
                .extracting(e -> ((ModuleRejectedException) e).reason())
                .isEqualTo("memory");
        assertThat(files(cache)).isEmpty();
    }

    @Test
    void problemsAreReadWithoutCompiling() throws Exception {
        ModuleLoader loader = new ModuleLoader(4, null, true);
        LoadedModule m = loader.loadDeferred(UNKNOWN_IMPORT);
        List<String> problems = m.problems(Policy.defaults());
        assertThat(problems).hasSize(1);
        assertThat(problems.get(0)).startsWith("import env.steal");
        assertThat(ModuleInfo.reasonOf(problems.get(0))).isEqualTo("unknown-import");
        assertThat(m.compiledIfDone()).isNull();

        // once compiled, the compiled module's sections say the same
        m.compiled();
        assertThat(m.problems(Policy.defaults())).isEqualTo(problems);

        LoadedModule big = loader.loadDeferred(BIG_MEMORY);
        assertThat(big.problems(Policy.defaults())).isEmpty();
        assertThat(big.problems(smallMemory())).singleElement().asString().startsWith("memory 0");
        assertThat(big.compiledIfDone()).isNull();
    }

    @Test
    void airlockSaysWhatRunWouldRefuse() throws Exception {
        Airlock airlock = Airlock.create();
        GuestModule lib = airlock.load(NO_START);
        assertThat(airlock.problems(lib, fuel()))
                .containsExactlyElementsOf(airlock.inspect(lib, Policy.defaults()).problems());
        GuestModule hello = airlock.load(Guests.wat(Guests.helloWat("x")));
        assertThat(airlock.problems(hello, fuel())).isEmpty();
    }

    @Test
    void importsAreReadWithoutCompiling(@TempDir Path cache) throws Exception {
        Airlock airlock = Airlock.builder().diskCache(cache).build();
        GuestModule m = airlock.load(UNKNOWN_IMPORT);
        List<ModuleInfo.Import> imports = airlock.imports(m, Policy.defaults());
        assertThat(imports).singleElement().satisfies(i -> assertThat(i.name()).isEqualTo("steal"));
        assertThat(files(cache)).isEmpty();
        assertThat(imports).isEqualTo(airlock.inspect(m, Policy.defaults()).imports());
        assertThat(files(cache)).isNotEmpty(); // inspect compiled it
    }

    @Test
    void theRefusalIsAudited() throws Exception {
        Airlock airlock = Airlock.create();
        GuestModule m = airlock.load(UNKNOWN_IMPORT);
        List<Event> events = new ArrayList<>();
        EventSink sink = events::add;
        Outcome o =
                airlock.run(
                        m,
                        fuel(),
                        Stdio.of(new ByteArrayOutputStream(), new ByteArrayOutputStream()),
                        sink);
        assertThat(o.status()).isEqualTo(Status.REJECTED);
        assertThat(events)
                .anySatisfy(
                        e -> {
                            assertThat(e).isInstanceOf(LifecycleEvent.class);
                            assertThat(((LifecycleEvent) e).type())
                                    .isEqualTo(LifecycleEvent.Type.MODULE_REJECTED);
                            assertThat(e.moduleSha256()).isEqualTo(m.sha256());
                        });
    }

    private static void expectRefused(Airlock airlock, byte[] wasm, Policy policy, String kind) {
        Guests.Run r = Guests.run(airlock, wasm, policy);
        assertThat(r.outcome().status()).isEqualTo(Status.REJECTED);
        assertThat(r.outcome().kind()).isEqualTo(kind);
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }
}
