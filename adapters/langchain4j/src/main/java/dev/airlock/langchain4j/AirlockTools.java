package dev.airlock.langchain4j;

import dev.airlock.lang.CodeTool;
import dev.airlock.lang.Language;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import java.util.Objects;

/**
 * Ready LangChain4j tools that run code in an Airlock sandbox: {@code runPython} and {@code
 * runJavaScript}, each taking one string argument {@code code}, each call in a fresh interpreter.
 * Give an instance to an AI service ({@code AiServices.builder(...).tools(new AirlockTools())});
 * for state kept between calls use {@link AirlockSessionTools}. Thread-safe.
 *
 * <p>Each method answers the text of {@link AirlockCodeExecutionEngine#execute}: how the run ended,
 * denials, stdout and stderr; a limit or an error in the code is an answer, never an exception. A
 * call without code is answered {@link CodeTool#NO_CODE}.
 */
public class AirlockTools {
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
    @Tool(CodeTool.PYTHON_DESCRIPTION)
    public String runPython(
            @P(name = "code", value = CodeTool.PYTHON_CODE_DESCRIPTION) String code) {
        return code == null ? CodeTool.NO_CODE : tool.run(Language.PYTHON, code).text();
    }

    /** Runs JavaScript code in a fresh sandbox; see {@link AirlockTools}. */
    @Tool(CodeTool.JAVASCRIPT_DESCRIPTION)
    public String runJavaScript(
            @P(name = "code", value = CodeTool.JAVASCRIPT_CODE_DESCRIPTION) String code) {
        return code == null ? CodeTool.NO_CODE : tool.run(Language.JAVASCRIPT, code).text();
    }
}
