package dev.airlock.springai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.lang.CodeSessions;
import dev.airlock.lang.CodeTool;
import dev.airlock.lang.Language;
import java.util.Objects;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.model.ToolContext;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.definition.ToolDefinition;

/**
 * A Spring AI {@link ToolCallback} that runs Python or JavaScript in an Airlock sandbox: {@code
 * runPython} or {@code runJavaScript}, whose input is the JSON object {@code {"code": "..."}}. Made
 * by {@link AirlockToolCallbacks}. Thread-safe.
 *
 * <p>Each call runs in a fresh interpreter or, for session callbacks, in the conversation's session
 * (the conversation is the tool context's {@value ChatMemory#CONVERSATION_ID}, else {@value
 * ChatMemory#DEFAULT_CONVERSATION_ID}), where variables, imports and files persist. The answer is
 * the text of {@link CodeTool.Result#text()}: how the run ended, denials, stdout and stderr; a
 * limit, an error in the code or input that is not such an object is an answer, never an exception.
 */
public final class AirlockToolCallback implements ToolCallback {
    /** What a call whose input is not {@code {"code": "..."}} is answered. */
    public static final String BAD_INPUT =
            "The input must be a JSON object with a string field code, the program to run: for"
                    + " example {\"code\": \"print(6 * 7)\"}.";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Language language;
    private final CodeTool tool;
    private final CodeSessions sessions;
    private final ToolDefinition definition;

    AirlockToolCallback(Language language, CodeTool tool, CodeSessions sessions) {
        this.language = Objects.requireNonNull(language, "language");
        this.tool = Objects.requireNonNull(tool, "tool");
        this.sessions = sessions;
        boolean python = language == Language.PYTHON;
        String description =
                sessions == null
                        ? (python ? CodeTool.PYTHON_DESCRIPTION : CodeTool.JAVASCRIPT_DESCRIPTION)
                        : (python
                                ? CodeTool.PYTHON_SESSION_DESCRIPTION
                                : CodeTool.JAVASCRIPT_SESSION_DESCRIPTION);
        this.definition =
                ToolDefinition.builder()
                        .name(toolName(language))
                        .description(description)
                        .inputSchema(
                                inputSchema(
                                        python
                                                ? CodeTool.PYTHON_CODE_DESCRIPTION
                                                : CodeTool.JAVASCRIPT_CODE_DESCRIPTION))
                        .build();
    }

    /** The tool's name for a language: {@code runPython} or {@code runJavaScript}. */
    public static String toolName(Language language) {
        return language == Language.PYTHON ? "runPython" : "runJavaScript";
    }

    /** The JSON schema of the input: an object with one required string, {@code code}. */
    static String inputSchema(String codeDescription) {
        ObjectNode schema = JSON.createObjectNode();
        schema.put("type", "object");
        ObjectNode code = schema.putObject("properties").putObject("code");
        code.put("type", "string");
        code.put("description", codeDescription);
        schema.putArray("required").add("code");
        schema.put("additionalProperties", false);
        return schema.toString();
    }

    /** The language this callback runs. */
    public Language language() {
        return language;
    }

    /** Whether calls run in the conversation's session rather than a fresh interpreter. */
    public boolean isSession() {
        return sessions != null;
    }

    @Override
    public ToolDefinition getToolDefinition() {
        return definition;
    }

    /** Runs the input's code, in the default conversation's session for a session callback. */
    @Override
    public String call(String toolInput) {
        return call(toolInput, null);
    }

    /**
     * Runs the input's code, in the tool context's conversation's session for a session callback.
     *
     * @throws IllegalStateException for a session callback whose {@link AirlockToolCallbacks} are
     *     closed
     */
    @Override
    public String call(String toolInput, ToolContext toolContext) {
        String code = code(toolInput);
        if (code == null) {
            return BAD_INPUT;
        }
        if (sessions == null) {
            return tool.run(language, code).text();
        }
        Object conversation =
                toolContext == null
                        ? null
                        : toolContext.getContext().get(ChatMemory.CONVERSATION_ID);
        return sessions.run(
                        conversation == null ? ChatMemory.DEFAULT_CONVERSATION_ID : conversation,
                        language,
                        code)
                .text();
    }

    /** The code of {@code {"code": "..."}}, or null for any other input. */
    private static String code(String input) {
        if (input == null) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(input);
            JsonNode code = node == null ? null : node.get("code");
            return code != null && code.isTextual() ? code.textValue() : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return definition.name() + (sessions == null ? "" : " (sessions)");
    }
}
