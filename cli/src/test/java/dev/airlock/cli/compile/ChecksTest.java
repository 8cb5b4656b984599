package dev.airlock.cli.compile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.airlock.nn.onnx.OnnxModel;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The operator-set ceilings that {@code --secure} checks are the bundled ONNX Runtime's. */
class ChecksTest {
    static byte[] relu(String domain, long version) {
        OnnxModel m = new OnnxModel("o").opset(domain, (int) version);
        if (!domain.isEmpty()) {
            m.opset("", 13);
        }
        return m.input("x", OnnxModel.FLOAT, 1, 4)
                .node("Relu", List.of("x"), List.of("y"))
                .output("y", OnnxModel.FLOAT, 1, 4)
                .toByteArray();
    }

    static boolean loads(byte[] model) {
        try (OrtSession s =
                OrtEnvironment.getEnvironment()
                        .createSession(model, new OrtSession.SessionOptions())) {
            return s.getInputInfo().containsKey("x");
        } catch (OrtException e) {
            return false;
        }
    }

    @Test
    void theNewestOperatorSetsAreWhatOnnxRuntimeLoads() throws Exception {
        for (Map.Entry<String, Long> e : Checks.MAX_OPSET.entrySet()) {
            long max = e.getValue();
            byte[] newest = relu(e.getKey(), max);
            byte[] newer = relu(e.getKey(), max + 1);
            assertThat(loads(newest)).as("%s %d", e.getKey(), max).isTrue();
            assertThat(loads(newer)).as("%s %d", e.getKey(), max + 1).isFalse();
            assertThat(Checks.check(newest, true, Set.of()).lines().get(0))
                    .contains("no external data");
            assertThatThrownBy(() -> Checks.check(newer, true, Set.of()))
                    .hasMessageContaining("is newer than the bundled ONNX Runtime supports");
            // without --secure: a warning
            assertThat(Checks.check(newer, false, Set.of()).warnings()).hasSize(1);
        }
    }
}
