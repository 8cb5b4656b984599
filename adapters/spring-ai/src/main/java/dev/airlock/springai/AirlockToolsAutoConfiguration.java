package dev.airlock.springai;

import dev.airlock.lang.CodeInterpreter;
import dev.airlock.lang.CodeTool;
import dev.airlock.lang.Language;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Spring Boot auto-configuration: an {@link AirlockToolCallbacks} bean (a {@code
 * ToolCallbackProvider} of {@code runPython} and {@code runJavaScript}) configured by the {@code
 * airlock.tools.*} properties ({@link AirlockToolsProperties}), unless the application defines its
 * own or sets {@code airlock.tools.enabled=false}. It runs on a {@link CodeInterpreter} bean if
 * there is one, else on {@link CodeTool#sharedInterpreter()}.
 */
@AutoConfiguration
@ConditionalOnClass(ToolCallback.class)
@ConditionalOnProperty(
        prefix = "airlock.tools",
        name = "enabled",
        havingValue = "true",
        matchIfMissing = true)
@EnableConfigurationProperties(AirlockToolsProperties.class)
public class AirlockToolsAutoConfiguration {
    /**
     * The tool callbacks, closed with the context.
     *
     * @throws IllegalArgumentException if a property has a value the sandbox rejects
     */
    @Bean
    @ConditionalOnMissingBean
    public AirlockToolCallbacks airlockToolCallbacks(
            AirlockToolsProperties properties, ObjectProvider<CodeInterpreter> interpreter) {
        CodeTool.Builder tool =
                CodeTool.builder()
                        .timeout(properties.getTimeout())
                        .memoryBytes(properties.getMemory().toBytes())
                        .maxOutputBytes(properties.getMaxOutput().toBytes())
                        .maxResultChars(properties.getMaxResultChars());
        interpreter.ifAvailable(tool::interpreter);
        return AirlockToolCallbacks.builder()
                .tool(tool.build())
                .sessions(properties.isSessions())
                .maxSessions(properties.getMaxSessions())
                .languages(properties.getLanguages().toArray(new Language[0]))
                .build();
    }
}
