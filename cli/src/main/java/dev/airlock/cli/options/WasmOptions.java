package dev.airlock.cli.options;

import dev.airlock.cli.Invocation;
import dev.airlock.core.ClockMode;
import dev.airlock.core.Limits;
import dev.airlock.core.Policy;
import dev.airlock.core.RandomMode;
import dev.airlock.core.Size;
import dev.airlock.nn.NnGrant;
import dev.airlock.nn.WasiNn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * What only a WebAssembly module given by the user can use, for {@code run} and {@code inspect}:
 * the table limit, fuel metering and determinism, and WASI-NN. ({@code py} and {@code js} run an
 * interpreter started from an unmetered image that imports no WASI-NN.)
 */
public final class WasmOptions implements PolicyOptions.Part {
    @Option(
            names = "--max-table",
            paramLabel = "N",
            description = "Table size limit, in elements. Default: 100000.")
    Integer maxTable;

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

    @Override
    public void limits(Limits.Builder l) {
        if (maxTable != null) {
            l.tableElements(maxTable);
        }
        if (fuel != null) {
            l.fuel(parseFuel(fuel));
        }
    }

    @Override
    public void grants(Policy.Builder p, PolicyOptions shared) {
        if (deterministic) {
            ClockMode clockMode = shared.clockMode();
            RandomMode randomMode = shared.randomMode();
            if (fuel == null) {
                throw new IllegalArgumentException(
                        "--deterministic needs a fuel budget: add --fuel N");
            }
            if (shared.clock != null && clockMode != ClockMode.FROZEN) {
                throw new IllegalArgumentException(
                        "--deterministic freezes the clock; it cannot be --clock " + shared.clock);
            }
            if (shared.random != null && randomMode.kind() == RandomMode.Kind.REAL) {
                throw new IllegalArgumentException(
                        "--deterministic needs seeded randomness; it cannot be --random "
                                + shared.random);
            }
            p.clock(ClockMode.FROZEN);
            if (shared.random == null) {
                p.random(RandomMode.seeded(0));
            }
        }
        WasiNn.grant(p, nnGrant());
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
            Path file = Invocation.current().path(m.substring(eq + 1));
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
}
