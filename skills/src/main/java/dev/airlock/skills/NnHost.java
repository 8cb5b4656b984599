package dev.airlock.skills;

import dev.airlock.core.HostImport;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The WASI-NN host functions for a skill that declares models ({@code capabilities.nn}), found with
 * {@link ServiceLoader} so that this module need not depend on the ONNX Runtime one. A declared
 * model {@code NAME} is the skill's own, signed file {@code models/NAME.onnx}; a skill gets exactly
 * its declared models, nothing else, under its manifest's {@code limits.tensor} and {@code
 * limits.computations} (or WASI-NN's defaults).
 */
public interface NnHost {
    /** Where a declared model lives in a skill. */
    String MODELS = "models";

    /**
     * The {@code wasi_ephemeral_nn} imports granting exactly {@code models}.
     *
     * @param models model name to its {@code .onnx} file
     * @param maxTensorBytes the largest tensor, or {@code null} for the default
     * @param maxComputations computations per run, or {@code null} for the default
     */
    List<HostImport> imports(Map<String, Path> models, Long maxTensorBytes, Long maxComputations);

    /**
     * Why the skill's model file must not be granted (say, tensor data in external files, which
     * ONNX Runtime would read from the host), or {@code null}. Asked before each run.
     */
    default String problem(Path model) {
        return null;
    }

    /** The first provider on the class path, or {@code null} when there is none. */
    static NnHost find() {
        return ServiceLoader.load(NnHost.class, NnHost.class.getClassLoader())
                .findFirst()
                .orElse(null);
    }
}
