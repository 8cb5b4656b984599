package dev.airlock.cli;

import dev.airlock.core.ClockMode;
import dev.airlock.core.Durations;
import dev.airlock.core.Limits;
import dev.airlock.core.Mount;
import dev.airlock.core.Policy;
import dev.airlock.core.RandomMode;
import dev.airlock.core.Size;
import dev.airlock.nn.NnGrant;
import dev.airlock.nn.WasiNn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options that map onto a {@link Policy}, shared by {@code run} and {@code inspect}. */
final class PolicyOptions {
    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            description = "Wall-time limit, host calls included (ms, s, m). Default: 10s.")
    String timeout;

    @Option(
            names = "--memory",
            paramLabel = "SIZE",
            description = "Linear memory limit (KiB, MiB, GiB). Default: 256MiB.")
    String memory;

    @Option(
            names = "--max-output",
            paramLabel = "SIZE",
            description = "stdout+stderr limit. Default: 16MiB.")
    String maxOutput;

    @Option(
            names = "--max-table",
            paramLabel = "N",
            description = "Table size limit, in elements. Default: 100000.")
    Integer maxTable;

    @Option(
            names = "--fs-quota",
            paramLabel = "SIZE",
            description = "Virtual filesystem byte quota. Default: 128MiB.")
    String fsQuota;

    @Option(
            names = "--fs-files",
            paramLabel = "N",
            description = "Virtual filesystem file-count quota. Default: 10000.")
    Integer fsFiles;

    @Option(
            names = "--stack",
            paramLabel = "SIZE",
            description = "Guest thread stack; deeper recursion is a stack limit. Default: 16MiB.")
    String stack;

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

    @Option(
            names = "--fuel",
            paramLabel = "N",
            description =
                    "Fuel budget: run a metered copy of the module that counts its own work (1 per"
                            + " instruction, more for calls, memory.grow, bulk memory and host calls)"
                            + " and stop it as 'limit exceeded: fuel (N)' when N is spent. The same"
                            + " run uses the same fuel on every machine. Default: none (unmetered).")
    String fuel;

    @Option(
            names = "--deterministic",
            description =
                    "Frozen clock, seeded random (seed:0 unless --random seed:N) and a fuel budget,"
                            + " which --fuel must give: the same module, arguments and input then"
                            + " run the same way everywhere (the wall-clock --timeout stays as a"
                            + " safety net).")
    boolean deterministic;

    @Option(
            names = "--nn-model",
            paramLabel = "NAME=PATH.onnx",
            description =
                    "Grant WASI-NN (wasi_ephemeral_nn) with this ONNX model for load_by_name"
                            + " (repeatable). Without it every WASI-NN call is refused (nn.none).")
    List<String> nnModels = new ArrayList<>();

    @Option(
            names = "--nn-max-computations",
            paramLabel = "N",
            description = "WASI-NN computations per run. Default: 1000.")
    Long nnMaxComputations;

    @Option(
            names = "--nn-max-tensor",
            paramLabel = "SIZE",
            description = "Largest WASI-NN input or output tensor. Default: 64MiB.")
    String nnMaxTensor;

    @Option(
            names = "--nn-load-bytes",
            paramLabel = "SIZE",
            description =
                    "Also let the guest load ONNX models of up to SIZE from its own memory (load)."
                            + " Default: not granted.")
    String nnLoadBytes;

    @Option(
            names = "--stdin",
            paramLabel = "FILE",
            description =
                    "File to serve as the guest's stdin, read as the guest reads it, up to 64 MiB"
                            + " (then end of file). Default: empty.")
    Path stdin;

    @Mixin NetOptions net = new NetOptions();

    /** Builds the policy; throws IllegalArgumentException with a user-facing message. */
    Policy toPolicy(String programName, List<String> args) {
        Limits.Builder l = Limits.builder();
        if (timeout != null) {
            l.timeout(Durations.parse(timeout));
        }
        if (memory != null) {
            long bytes = Size.parse(memory);
            if (bytes % Limits.PAGE != 0) {
                throw new IllegalArgumentException(
                        "--memory must be a multiple of 64KiB: " + memory);
            }
            l.memoryBytes(bytes);
        }
        if (maxOutput != null) {
            l.maxOutputBytes(Size.parse(maxOutput));
        }
        if (maxTable != null) {
            l.tableElements(maxTable);
        }
        if (fsQuota != null) {
            l.fsQuotaBytes(Size.parse(fsQuota));
        }
        if (fsFiles != null) {
            l.fsQuotaFiles(fsFiles);
        }
        if (stack != null) {
            l.stackBytes(Size.parse(stack));
        }
        if (fuel != null) {
            l.fuel(parseFuel(fuel));
        }
        ClockMode clockMode = clockMode(clock == null ? "real" : clock);
        RandomMode randomMode = RandomMode.parse(random == null ? "real" : random);
        if (deterministic) {
            if (fuel == null) {
                throw new IllegalArgumentException(
                        "--deterministic needs a fuel budget: add --fuel N");
            }
            if (clock != null && clockMode != ClockMode.FROZEN) {
                throw new IllegalArgumentException(
                        "--deterministic freezes the clock; it cannot be --clock " + clock);
            }
            if (random != null && randomMode.kind() == RandomMode.Kind.REAL) {
                throw new IllegalArgumentException(
                        "--deterministic needs seeded randomness; it cannot be --random " + random);
            }
            clockMode = ClockMode.FROZEN;
            if (random == null) {
                randomMode = RandomMode.seeded(0);
            }
        }
        Policy.Builder p =
                Policy.builder()
                        .programName(programName)
                        .args(args)
                        .limits(l.build())
                        .clock(clockMode)
                        .random(randomMode);
        for (String e : env) {
            int eq = e.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--env expects K=V: " + e);
            }
            p.env(e.substring(0, eq), e.substring(eq + 1));
        }
        for (String m : mounts) {
            Mount mount = Mount.parse(m);
            if (!Files.isDirectory(mount.host())) {
                throw new IllegalArgumentException("--mount: not a directory: " + mount.host());
            }
            p.mount(mount);
        }
        if (stdin != null) {
            // streamed as the guest reads it: a device or an endless file is never loaded whole
            if (!Files.isReadable(stdin) || Files.isDirectory(stdin)) {
                throw new IllegalArgumentException("--stdin: cannot read " + stdin);
            }
            p.stdin(stdin);
        }
        WasiNn.grant(p, nnGrant());
        net.apply(p);
        return p.build();
    }

    /** The WASI-NN grant: none unless a model or model bytes are granted. */
    NnGrant nnGrant() {
        if (nnModels.isEmpty() && nnLoadBytes == null) {
            if (nnMaxComputations != null || nnMaxTensor != null) {
                throw new IllegalArgumentException(
                        "--nn-max-computations and --nn-max-tensor need --nn-model or"
                                + " --nn-load-bytes");
            }
            return NnGrant.none();
        }
        NnGrant.Builder g = NnGrant.builder();
        for (String m : nnModels) {
            int eq = m.indexOf('=');
            if (eq <= 0 || eq == m.length() - 1) {
                throw new IllegalArgumentException("--nn-model expects NAME=PATH.onnx: " + m);
            }
            Path file = Path.of(m.substring(eq + 1));
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("--nn-model: no such file: " + file);
            }
            g.model(m.substring(0, eq), file);
        }
        if (nnMaxComputations != null) {
            g.maxComputations(nnMaxComputations);
        }
        if (nnMaxTensor != null) {
            g.maxTensorBytes(Size.parse(nnMaxTensor));
        }
        if (nnLoadBytes != null) {
            g.maxModelBytes(Size.parse(nnLoadBytes));
        }
        return g.build();
    }

    /** A non-negative integer, underscores allowed as separators. */
    static long parseFuel(String s) {
        String t = s.trim().replace("_", "");
        try {
            long v = Long.parseLong(t);
            if (v >= 0 && !t.startsWith("+")) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(
                "--fuel expects a whole number from 0 to " + Long.MAX_VALUE + ": " + s);
    }

    private static ClockMode clockMode(String s) {
        try {
            return ClockMode.valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "invalid clock mode '" + s + "' (use real, frozen or deny)");
        }
    }
}
