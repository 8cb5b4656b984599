package dev.airlock.springai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.lang.Language;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class AirlockToolsAutoConfigurationTest {
    final ApplicationContextRunner runner =
            new ApplicationContextRunner()
                    .withConfiguration(AutoConfigurations.of(AirlockToolsAutoConfiguration.class));

    @Test
    void propertiesConfigureTheCallbacks() {
        runner.withPropertyValues(
                        "airlock.tools.timeout=2s",
                        "airlock.tools.memory=64MB",
                        "airlock.tools.max-output=4KB",
                        "airlock.tools.sessions=true",
                        "airlock.tools.languages=python")
                .run(
                        context -> {
                            AirlockToolCallbacks callbacks =
                                    context.getBean(AirlockToolCallbacks.class);
                            assertThat(callbacks.getToolCallbacks()).hasSize(1);
                            AirlockToolCallback python = callbacks.callback(Language.PYTHON);
                            assertThat(python.isSession()).isTrue();
                            var limits = callbacks.sessions().tool().policy().limits();
                            assertThat(limits.timeout()).isEqualTo(Duration.ofSeconds(2));
                            assertThat(limits.memoryBytes()).isEqualTo(64L << 20);
                            assertThat(limits.maxOutputBytes()).isEqualTo(4096);
                            assertThat(python.call("{\"code\": \"print('x' * 10000)\"}"))
                                    .startsWith("Stopped by the sandbox: limit exceeded: output");
                        });
    }

    @Test
    void theDefaultsAndTheSwitch() {
        runner.run(
                context ->
                        assertThat(context.getBean(AirlockToolCallbacks.class).getToolCallbacks())
                                .extracting(c -> c.getToolDefinition().name())
                                .containsExactly("runPython", "runJavaScript"));
        runner.withPropertyValues("airlock.tools.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(AirlockToolCallbacks.class));
    }

    @Test
    void aRejectedValueStopsTheContextWithItsMessage() {
        runner.withPropertyValues("airlock.tools.memory=1000B")
                .run(
                        context ->
                                assertThat(context)
                                        .getFailure()
                                        .rootCause()
                                        .hasMessageContaining(
                                                "memory limit must be a multiple of 64KiB"));
    }
}
