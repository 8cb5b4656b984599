package dev.airlock.cli.skill;

import dev.airlock.core.HostImport;
import dev.airlock.nn.NnGrant;
import dev.airlock.nn.WasiNn;
import dev.airlock.skills.NnHost;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * WASI-NN on ONNX Runtime for skills that declare models (found by the skills module through {@code
 * META-INF/services}): exactly the skill's own models, no loading from guest bytes.
 */
public final class NnSkillHost implements NnHost {
    /** The check WASI-NN applies to guest bytes: self-contained, well-formed ONNX protobuf. */
    @Override
    public String problem(Path model) {
        try {
            return WasiNn.modelProblem(java.nio.file.Files.readAllBytes(model));
        } catch (java.io.IOException e) {
            return "cannot be read";
        }
    }

    @Override
    public List<HostImport> imports(
            Map<String, Path> models, Long maxTensorBytes, Long maxComputations) {
        if (models.isEmpty()) {
            return WasiNn.imports(NnGrant.none());
        }
        NnGrant.Builder g = NnGrant.builder();
        models.forEach(g::model);
        if (maxTensorBytes != null) {
            g.maxTensorBytes(maxTensorBytes);
        }
        if (maxComputations != null) {
            g.maxComputations(maxComputations);
        }
        return WasiNn.imports(g.build());
    }
}
