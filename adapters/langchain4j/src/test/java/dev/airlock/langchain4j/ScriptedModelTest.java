package dev.airlock.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.service.AiServices;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An AI service with Airlock's tools, driven by a scripted model: no network, no real model. */
class ScriptedModelTest {
    interface Assistant {
        String chat(String message);
    }

    /**
     * Asks for {@code runPython} with fixed code, then answers with the tool's result: what a model
     * would do with the question "what is 6 times 7?".
     */
    static final class ScriptedModel implements ChatModel {
        final List<ChatRequest> requests = new ArrayList<>();

        @Override
        public ChatResponse doChat(ChatRequest request) {
            requests.add(request);
            ChatMessage last = request.messages().get(request.messages().size() - 1);
            AiMessage reply =
                    last instanceof ToolExecutionResultMessage result
                            ? AiMessage.from("The sandbox said: " + result.text())
                            : AiMessage.from(
                                    List.of(
                                            ToolExecutionRequest.builder()
                                                    .id("1")
                                                    .name("runPython")
                                                    .arguments("{\"code\": \"print(6 * 7)\"}")
                                                    .build()));
            return ChatResponse.builder().aiMessage(reply).build();
        }
    }

    @Test
    void theModelCallsPythonAndReadsItsOutput() {
        ScriptedModel model = new ScriptedModel();
        Assistant assistant =
                AiServices.builder(Assistant.class)
                        .chatModel(model)
                        .tools(new AirlockTools())
                        .build();

        String answer = assistant.chat("What is 6 times 7?");

        assertThat(answer)
                .isEqualTo("The sandbox said: Finished normally (exit code 0).\nstdout:\n42\n");
        assertThat(model.requests).hasSize(2);
        assertThat(model.requests.get(0).toolSpecifications())
                .extracting(ToolSpecification::name)
                .containsExactlyInAnyOrder("runPython", "runJavaScript");
    }
}
