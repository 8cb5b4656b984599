package dev.airlock.springai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airlock.lang.CodeTool;
import dev.airlock.lang.Language;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.model.ToolContext;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.definition.ToolDefinition;

class AirlockToolCallbacksTest {
    static final AirlockToolCallbacks CALLBACKS = AirlockToolCallbacks.create();

    static void assertClean(String answer) {
        assertThat(answer).doesNotContain("java.", "dev.airlock", "Exception:", "\tat ");
    }

    @Test
    void definitionsHaveAValidJsonSchemaWithOneCodeString() throws Exception {
        ToolCallback[] all = CALLBACKS.getToolCallbacks();
        assertThat(all)
                .extracting(c -> c.getToolDefinition().name())
                .containsExactly("runPython", "runJavaScript");
        for (ToolCallback c : all) {
            ToolDefinition d = c.getToolDefinition();
            assertThat(d.description()).contains("sandbox");
            JsonNode schema = new ObjectMapper().readTree(d.inputSchema());
            assertThat(schema.get("type").asText()).isEqualTo("object");
            assertThat(schema.get("properties").size()).isEqualTo(1);
            assertThat(schema.at("/properties/code/type").asText()).isEqualTo("string");
            assertThat(schema.at("/properties/code/description").asText()).startsWith("The ");
            assertThat(schema.get("required").toString()).isEqualTo("[\"code\"]");
            assertThat(schema.get("additionalProperties").asBoolean()).isFalse();
        }
    }

    @Test
    void callRunsPythonAndJavaScript() {
        assertThat(
                        CALLBACKS
                                .callback(Language.PYTHON)
                                .call("{\"code\": \"import math\\nprint(math.factorial(10))\"}"))
                .isEqualTo("Finished normally (exit code 0).\nstdout:\n3628800\n");
        assertThat(
                        CALLBACKS
                                .callback(Language.JAVASCRIPT)
                                .call("{\"code\": \"console.log(JSON.stringify({a: [1, 2]}))\"}"))
                .isEqualTo("Finished normally (exit code 0).\nstdout:\n{\"a\":[1,2]}\n");
    }

    @Test
    void badInputIsAnswered() {
        ToolCallback python = CALLBACKS.callback(Language.PYTHON);
        for (String input : new String[] {"print(1)", "{}", "{\"code\": 42}", "[]", "", null}) {
            assertThat(python.call(input)).as(input).isEqualTo(AirlockToolCallback.BAD_INPUT);
        }
    }

    @Test
    void deniedReadsAndLimitsAreClearAnswers() {
        String denied =
                CALLBACKS
                        .callback(Language.PYTHON)
                        .call("{\"code\": \"open('/root/.ssh/id_rsa')\"}");
        assertThat(denied)
                .startsWith("Failed with exit code 1")
                .contains("no mount holds the path (rule fs.outside-mount)", "FileNotFoundError");
        assertClean(denied);

        AirlockToolCallbacks quick =
                AirlockToolCallbacks.builder()
                        .tool(CodeTool.builder().timeout(Duration.ofMillis(500)).build())
                        .languages(Language.JAVASCRIPT)
                        .build();
        assertThat(quick.getToolCallbacks()).hasSize(1);
        String stopped = quick.callback(Language.JAVASCRIPT).call("{\"code\": \"for (;;) {}\"}");
        assertThat(stopped)
                .startsWith("Stopped by the sandbox: limit exceeded: time (500ms).")
                .contains("do less work");
        assertClean(stopped);
        assertThatThrownBy(() -> quick.callback(Language.PYTHON))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sessionCallbacksKeepStatePerConversation() {
        try (AirlockToolCallbacks callbacks =
                AirlockToolCallbacks.builder().sessions(true).build()) {
            ToolCallback python = callbacks.callback(Language.PYTHON);
            ToolContext alice = new ToolContext(Map.of(ChatMemory.CONVERSATION_ID, "alice"));
            ToolContext bob = new ToolContext(Map.of(ChatMemory.CONVERSATION_ID, "bob"));
            assertThat(python.getToolDefinition().description()).contains("persist");
            python.call("{\"code\": \"x = 41\"}", alice);
            assertThat(python.call("{\"code\": \"print(x + 1)\"}", alice))
                    .endsWith("stdout:\n42\n");
            assertThat(python.call("{\"code\": \"print(x)\"}", bob)).contains("NameError");
            python.call("{\"code\": \"y = 'default'\"}");
            assertThat(python.call("{\"code\": \"print(y)\"}", new ToolContext(Map.of())))
                    .endsWith("stdout:\ndefault\n");
            assertThat(callbacks.sessions().openSessions()).isEqualTo(3);
        }
    }

    @Test
    void theBuilderRejectsBadValues() {
        assertThatThrownBy(() -> AirlockToolCallbacks.builder().maxSessions(0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AirlockToolCallbacks.builder().languages())
                .isInstanceOf(IllegalArgumentException.class);
    }
}
