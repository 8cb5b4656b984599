package dev.airlock.langchain4j;

import dev.airlock.lang.CodeTool;
import dev.airlock.lang.Language;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import java.util.Objects;

/**
 * Ready LangChain4j tools that run code in an Airlock sandbox: {@code runPython} and {@code
 * runJavaScript}, each call in a fresh interpreter. Give an instance to an AI service ({@code
 * AiServices.builder(...).tools(new AirlockTools())}); for state kept between calls use {@link
 * AirlockSessionTools}. Thread-safe.
 *
 * <p>Each method answers the text of {@link AirlockCodeExecutionEngine#execute}: how the run ended,
 * denials, stdout and stderr; a limit or an error in the code is an answer, never an exception.
 */
public class AirlockTools {
    /** What a tool answers when the model sent no code. */
    static final String NO_CODE =
            "No code was given: send the program to run in the code argument.";

    private final CodeTool tool;

    /** Tools with the defaults ({@link CodeTool#create()}). */
    public AirlockTools() {
        this(CodeTool.create());
    }

    /** Tools that run on {@code tool}: its policy, limits and interpreter. */
    public AirlockTools(CodeTool tool) {
        this.tool = Objects.requireNonNull(tool, "tool");
    }

    /** The tool these run on. */
    public CodeTool tool() {
        return tool;
    }

    /** Runs Python code in a fresh sandbox; see {@link AirlockTools}. */
    @Tool(
            "Runs Python 3.13 code in a sandbox and returns what it printed. Use print() to show"
                    + " results: the value of the last expression is not shown. The standard"
                    + " library is available; there is no network, no pip and no file but those"
                    + " the code writes in its empty working folder. Every call starts afresh, and"
                    + " time and memory are limited.")
    public String runPython(
            @P(
                            name = "code",
                            value = "The Python program to run, for example: print(sum(range(10)))")
                    String code) {
        return code == null ? NO_CODE : tool.run(Language.PYTHON, code).text();
    }

    /** Runs JavaScript code in a fresh sandbox; see {@link AirlockTools}. */
    @Tool(
            "Runs JavaScript (QuickJS, ES2023) code in a sandbox and returns what it printed. Use"
                    + " console.log() to show results. There is no network, no file system and no"
                    + " package (no require or import). Every call starts afresh, and time and"
                    + " memory are limited.")
    public String runJavaScript(
            @P(
                            name = "code",
                            value =
                                    "The JavaScript program to run, for example: console.log([3, 1, 2].sort())")
                    String code) {
        return code == null ? NO_CODE : tool.run(Language.JAVASCRIPT, code).text();
    }
}
