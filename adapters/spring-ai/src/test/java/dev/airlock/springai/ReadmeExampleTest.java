package dev.airlock.springai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.lang.CodeTool;
import dev.airlock.lang.Language;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The Spring AI example of README.md's "Use it from Java", run as written there. */
class ReadmeExampleTest {
    @Test
    void callbacks() {
        // README-SPRING-AI-BEGIN
        AirlockToolCallbacks callbacks =
                AirlockToolCallbacks.builder()
                        .tool(CodeTool.builder().timeout(Duration.ofSeconds(5)).build())
                        .build(); // a ToolCallbackProvider: runPython, runJavaScript
        String answer = callbacks.callback(Language.PYTHON).call("{\"code\": \"print(6 * 7)\"}");
        // answer: "Finished normally (exit code 0).\nstdout:\n42\n"
        // README-SPRING-AI-END
        assertThat(answer).isEqualTo("Finished normally (exit code 0).\nstdout:\n42\n");
    }

    @Test
    void readmeShowsThisExampleVerbatim() throws IOException {
        String source =
                Files.readString(
                        Path.of("src/test/java/dev/airlock/springai/ReadmeExampleTest.java"));
        String begin = "// README-SPRING-AI-BEGIN\n";
        String body =
                source.substring(
                        source.indexOf(begin) + begin.length(),
                        source.indexOf("        // README-SPRING-AI-END"));
        StringBuilder unindented = new StringBuilder();
        for (String line : body.split("\n", -1)) {
            unindented.append(line.length() >= 8 ? line.substring(8) : line.strip()).append('\n');
        }
        String readme = Files.readString(Path.of("../../README.md"));
        assertThat(readme).contains(unindented.toString().stripTrailing());
    }
}
