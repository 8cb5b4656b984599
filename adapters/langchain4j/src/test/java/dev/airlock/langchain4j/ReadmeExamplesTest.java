package dev.airlock.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.lang.Language;
import dev.langchain4j.code.CodeExecutionEngine;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.service.AiServices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The LangChain4j examples of README.md's "Use it from Java", run as written there. */
class ReadmeExamplesTest {
    interface Assistant {
        String chat(String message);
    }

    @Test
    void engine() {
        // README-ENGINE-BEGIN
        CodeExecutionEngine engine =
                AirlockCodeExecutionEngine.builder()
                        .language(Language.PYTHON)
                        .timeout(Duration.ofSeconds(5))
                        .build();
        String answer = engine.execute("print(6 * 7)");
        // answer: "Finished normally (exit code 0).\nstdout:\n42\n"
        // README-ENGINE-END
        assertThat(answer).isEqualTo("Finished normally (exit code 0).\nstdout:\n42\n");
    }

    @Test
    void aiService() {
        ChatModel chatModel = new ScriptedModelTest.ScriptedModel();
        // README-AI-SERVICE-BEGIN
        Assistant assistant =
                AiServices.builder(Assistant.class)
                        .chatModel(chatModel)
                        .tools(new AirlockTools()) // runPython, runJavaScript
                        .build();
        String reply = assistant.chat("What is 6 times 7?");
        // README-AI-SERVICE-END
        assertThat(reply).endsWith("stdout:\n42\n");
    }

    @Test
    void readmeShowsTheseExamplesVerbatim() throws IOException {
        String readme = Files.readString(Path.of("../../README.md"));
        for (String tag : new String[] {"ENGINE", "AI-SERVICE"}) {
            assertThat(readme).contains(example(tag));
        }
    }

    /** The lines between a tag's markers in this file, unindented as the README shows them. */
    static String example(String tag) throws IOException {
        String source =
                Files.readString(
                        Path.of("src/test/java/dev/airlock/langchain4j/ReadmeExamplesTest.java"));
        String begin = "// README-" + tag + "-BEGIN\n";
        String body =
                source.substring(
                        source.indexOf(begin) + begin.length(),
                        source.indexOf("        // README-" + tag + "-END"));
        StringBuilder unindented = new StringBuilder();
        for (String line : body.split("\n", -1)) {
            unindented.append(line.length() >= 8 ? line.substring(8) : line.strip()).append('\n');
        }
        return unindented.toString().stripTrailing();
    }
}
