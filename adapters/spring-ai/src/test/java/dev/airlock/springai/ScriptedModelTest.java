package dev.airlock.springai;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.model.tool.ToolCallingManager;
import org.springframework.ai.model.tool.ToolExecutionResult;

/**
 * Airlock's callbacks in Spring AI's own tool calling loop (the one a provider's chat model runs),
 * with a scripted model: no network, no real model.
 */
class ScriptedModelTest {
    /** Calls runPython with each script line in turn, then answers with the last tool result. */
    static final class ScriptedModel implements ChatModel {
        final List<String> script;
        final List<Prompt> prompts = new ArrayList<>();

        ScriptedModel(String... script) {
            this.script = List.of(script);
        }

        @Override
        public ChatResponse call(Prompt prompt) {
            prompts.add(prompt);
            int step = prompts.size() - 1;
            AssistantMessage reply;
            if (step < script.size()) {
                String args = "{\"code\": \"" + script.get(step) + "\"}";
                reply =
                        AssistantMessage.builder()
                                .content("")
                                .toolCalls(
                                        List.of(
                                                new AssistantMessage.ToolCall(
                                                        "call-" + step,
                                                        "function",
                                                        "runPython",
                                                        args)))
                                .build();
            } else {
                List<Message> history = prompt.getInstructions();
                ToolResponseMessage last = (ToolResponseMessage) history.get(history.size() - 1);
                reply =
                        new AssistantMessage(
                                "The sandbox said: " + last.getResponses().get(0).responseData());
            }
            return new ChatResponse(List.of(new Generation(reply)));
        }
    }

    /** The loop a provider's chat model runs while the model asks for tools. */
    static String converse(ChatModel model, ToolCallingChatOptions options, String question) {
        ToolCallingManager tools = ToolCallingManager.builder().build();
        Prompt prompt = new Prompt(List.of(new UserMessage(question)), options);
        ChatResponse response = model.call(prompt);
        while (response.hasToolCalls()) {
            ToolExecutionResult result = tools.executeToolCalls(prompt, response);
            prompt = new Prompt(result.conversationHistory(), options);
            response = model.call(prompt);
        }
        return response.getResult().getOutput().getText();
    }

    @Test
    void theModelCallsPythonAndReadsItsOutput() {
        ScriptedModel model = new ScriptedModel("print(6 * 7)");
        ToolCallingChatOptions options =
                ToolCallingChatOptions.builder()
                        .toolCallbacks(AirlockToolCallbacks.create().getToolCallbacks())
                        .build();

        String answer = converse(model, options, "What is 6 times 7?");

        assertThat(answer)
                .isEqualTo("The sandbox said: Finished normally (exit code 0).\nstdout:\n42\n");
    }

    @Test
    void aConversationKeepsItsSession() {
        ScriptedModel model = new ScriptedModel("total = 6 * 7", "print(total)");
        try (AirlockToolCallbacks callbacks =
                AirlockToolCallbacks.builder().sessions(true).build()) {
            ToolCallingChatOptions options =
                    ToolCallingChatOptions.builder()
                            .toolCallbacks(callbacks.getToolCallbacks())
                            .toolContext(ChatMemory.CONVERSATION_ID, "conversation-1")
                            .build();

            String answer = converse(model, options, "Compute 6 times 7, then show it.");

            assertThat(answer).endsWith("stdout:\n42\n");
            assertThat(model.prompts).hasSize(3);
        }
    }
}
