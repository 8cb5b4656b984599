package dev.airlock.cli.options;

import dev.airlock.cli.Invocation;
import dev.airlock.core.ClockMode;
import dev.airlock.core.Limits;
import dev.airlock.core.Mount;
import dev.airlock.core.Policy;
import dev.airlock.core.RandomMode;
import dev.airlock.core.Size;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The grants and the memory limit of a {@link Policy}, shared by {@code run}, {@code py}, {@code
 * js} and {@code inspect}. What matters only while code runs is in {@link RunOptions}; what only a
 * WebAssembly module can use ({@code --fuel}, WASI-NN) in {@link WasmOptions}.
 */
public final class PolicyOptions {
    /** Options of another mixin that add to the policy {@link #toPolicy} builds. */
    public interface Part {
        /** Sets this part's limits. */
        default void limits(Limits.Builder limits) {}

        /** Sets this part's grants, after the shared ones (which it may override). */
        default void grants(Policy.Builder policy, PolicyOptions shared) {}
    }

    @Option(
            names = "--memory",
            paramLabel = "SIZE",
            description =
                    "Linear memory limit, a multiple of 64KiB (K, M, G are binary: 256M = 256MB ="
                            + " 256MiB). Default: 256MiB.")
    String memory;

    @Option(
            names = "--mount",
            paramLabel = "HOST:GUEST[:ro|:rw]",
            description =
                    "Copy a host folder into the guest's in-memory filesystem (default ro). With :rw,"
                            + " changes are copied back after a run that ended by itself.")
    List<String> mounts = new ArrayList<>();

    @Option(
            names = "--env",
            paramLabel = "K=V",
            description = "Grant one environment variable (repeatable). Default: none.")
    List<String> env = new ArrayList<>();

    @Option(
            names = "--clock",
            paramLabel = "MODE",
            description = "real (ms resolution), frozen or deny. Default: real.")
    String clock;

    @Option(
            names = "--random",
            paramLabel = "MODE",
            description = "real, seed:N or deny. Default: real.")
    String random;

    @Mixin NetOptions net = new NetOptions();

    /** Builds the policy; throws IllegalArgumentException with a user-facing message. */
    public Policy toPolicy(String programName, List<String> args, Part... parts) {
        Limits.Builder l = Limits.builder();
        if (memory != null) {
            long bytes = Size.parse(memory);
            if (bytes % Limits.PAGE != 0) {
                throw new IllegalArgumentException(
                        "--memory must be a multiple of 64KiB: " + memory);
            }
            l.memoryBytes(bytes);
        }
        for (Part part : parts) {
            part.limits(l);
        }
        Policy.Builder p =
                Policy.builder()
                        .programName(programName)
                        .args(args)
                        .limits(l.build())
                        .clock(clockMode())
                        .random(randomMode());
        for (String e : env) {
            int eq = e.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--env expects K=V: " + e);
            }
            p.env(e.substring(0, eq), e.substring(eq + 1));
        }
        for (String m : mounts) {
            Mount parsed = parseMount(m);
            Mount mount =
                    new Mount(
                            Invocation.current().path(parsed.host()),
                            parsed.guestPath(),
                            parsed.mode());
            if (!Files.isDirectory(mount.host())) {
                throw new IllegalArgumentException("--mount: not a directory: " + mount.host());
            }
            p.mount(mount);
        }
        for (Part part : parts) {
            part.grants(p, this);
        }
        net.apply(p);
        return p.build();
    }

    /** The clock the options give (real unless {@code --clock}). */
    ClockMode clockMode() {
        String s = clock == null ? "real" : clock;
        try {
            return ClockMode.valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "invalid clock mode '" + s + "' (use real, frozen or deny)");
        }
    }

    /** The randomness the options give (real unless {@code --random}). */
    RandomMode randomMode() {
        return RandomMode.parse(random == null ? "real" : random);
    }

    private static Mount parseMount(String spec) {
        try {
            return Mount.parse(spec);
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            throw new IllegalArgumentException(
                    "--mount: " + (m.startsWith("invalid") ? m : m + " in '" + spec + "'"));
        }
    }
}
