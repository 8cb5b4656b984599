package dev.airlock.langchain4j;

import static dev.airlock.langchain4j.AirlockCodeExecutionEngineTest.assertClean;
import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.lang.CodeTool;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.agent.tool.ToolSpecifications;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import dev.langchain4j.service.tool.DefaultToolExecutor;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class AirlockToolsTest {
    static final AirlockTools TOOLS = new AirlockTools();
    static final AirlockSessionTools SESSIONS = AirlockSessionTools.create();

    @AfterAll
    static void close() {
        SESSIONS.close();
    }

    static Map<String, ToolSpecification> specs(Object tools) {
        return ToolSpecifications.toolSpecificationsFrom(tools).stream()
                .collect(Collectors.toMap(ToolSpecification::name, s -> s));
    }

    /** Runs a tool as an AI service does: by name, with the model's JSON arguments. */
    static String call(Object tools, String name, String json, Object memoryId) throws Exception {
        Method method =
                List.of(tools.getClass().getMethods()).stream()
                        .filter(m -> m.getName().equals(name))
                        .findFirst()
                        .orElseThrow();
        ToolExecutionRequest request =
                ToolExecutionRequest.builder().id("call-1").name(name).arguments(json).build();
        return new DefaultToolExecutor(tools, method).execute(request, memoryId);
    }

    @Test
    void eachToolTakesOneCodeString() {
        for (Object tools : List.of(TOOLS, SESSIONS)) {
            Map<String, ToolSpecification> specs = specs(tools);
            assertThat(specs).containsOnlyKeys("runPython", "runJavaScript");
            for (ToolSpecification s : specs.values()) {
                assertThat(s.description())
                        .contains("sandbox")
                        .containsIgnoringCase("time and memory are limited");
                assertThat(s.parameters().properties()).containsOnlyKeys("code");
                assertThat(s.parameters().properties().get("code"))
                        .isInstanceOf(JsonStringSchema.class);
                assertThat(s.parameters().required()).containsExactly("code");
            }
        }
        assertThat(specs(SESSIONS).get("runPython").description()).contains("persist");
        assertThat(specs(TOOLS).get("runJavaScript").parameters().properties().get("code"))
                .extracting(p -> ((JsonStringSchema) p).description())
                .isEqualTo(CodeTool.JAVASCRIPT_CODE_DESCRIPTION);
    }

    @Test
    void theExecutorRunsPythonAndJavaScript() throws Exception {
        assertThat(call(TOOLS, "runPython", "{\"code\": \"print(2 ** 10)\"}", null))
                .isEqualTo("Finished normally (exit code 0).\nstdout:\n1024\n");
        assertThat(call(TOOLS, "runJavaScript", "{\"code\": \"console.log(2 ** 10)\"}", null))
                .isEqualTo("Finished normally (exit code 0).\nstdout:\n1024\n");
    }

    @Test
    void missingCodeIsAnswered() throws Exception {
        String answer = call(TOOLS, "runPython", "{}", null);
        assertThat(answer).isEqualTo(CodeTool.NO_CODE);
    }

    @Test
    void aSyntaxErrorIsAnAnswer() throws Exception {
        String answer = call(TOOLS, "runPython", "{\"code\": \"print(\"}", null);
        assertThat(answer).startsWith("Failed with exit code 1").contains("SyntaxError");
        assertClean(answer);
    }

    @Test
    void sessionsKeepStatePerConversation() throws Exception {
        assertThat(call(SESSIONS, "runPython", "{\"code\": \"x = 41\"}", "alice"))
                .isEqualTo("Finished normally (exit code 0).\nstdout: (empty)");
        assertThat(call(SESSIONS, "runPython", "{\"code\": \"print(x + 1)\"}", "alice"))
                .isEqualTo("Finished normally (exit code 0).\nstdout:\n42\n");
        assertThat(call(SESSIONS, "runPython", "{\"code\": \"print(x)\"}", "bob"))
                .contains("NameError");
        assertThat(call(SESSIONS, "runJavaScript", "{\"code\": \"let n = 1\"}", "alice"))
                .startsWith("Finished normally");
        assertThat(call(SESSIONS, "runJavaScript", "{\"code\": \"console.log(n + 1)\"}", "alice"))
                .endsWith("stdout:\n2\n");

        SESSIONS.endSessions("alice");
        assertThat(call(SESSIONS, "runPython", "{\"code\": \"print(x)\"}", "alice"))
                .contains("NameError");
    }

    @Test
    void theOldestSessionIsClosedPastTheMaximum() throws Exception {
        try (AirlockSessionTools tools = AirlockSessionTools.builder().maxSessions(2).build()) {
            tools.runPython("a", "x = 'a'");
            tools.runPython("b", "x = 'b'");
            assertThat(tools.runPython("a", "print(x)")).endsWith("stdout:\na\n");
            tools.runPython("c", "x = 'c'"); // closes b's, used longest ago
            assertThat(tools.sessions().openSessions()).isEqualTo(2);
            assertThat(tools.runPython("a", "print(x)")).endsWith("stdout:\na\n");
            assertThat(tools.runPython("b", "print(x)")).contains("NameError");
        }
    }

    @Test
    void aLimitResetsTheSessionAndSaysSo() throws Exception {
        try (AirlockSessionTools tools =
                AirlockSessionTools.builder()
                        .tool(CodeTool.builder().timeout(java.time.Duration.ofMillis(500)).build())
                        .build()) {
            tools.runPython("a", "x = 1\nopen('kept.txt', 'w').write('yes')");
            String answer = tools.runPython("a", "while True:\n    pass");
            assertThat(answer)
                    .startsWith("Stopped by the sandbox: limit exceeded: time (500ms).")
                    .contains("The session was reset");
            assertThat(tools.runPython("a", "print(open('kept.txt').read())"))
                    .endsWith("stdout:\nyes\n");
        }
    }
}
