package dev.airlock.lang;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import dev.airlock.core.event.Event;
import dev.airlock.core.event.HostCallEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Host tools called from guest code, granted or not, with hostile requests. */
class ToolBridgeTest {
    static final CodeInterpreter CI = CodeInterpreter.create();
    static final Policy TOOLS =
            Policy.builder()
                    .tool(
                            "add",
                            args -> {
                                // {"a": 1, "b": 2} -> 3, parsed crudely: the test's own tool
                                String digits = args.replaceAll("[^0-9,]", "");
                                String[] parts = digits.split(",");
                                return String.valueOf(
                                        Integer.parseInt(parts[0]) + Integer.parseInt(parts[1]));
                            })
                    .tool(
                            "fail",
                            args -> {
                                throw new IllegalStateException("refused");
                            })
                    .tool("len", args -> String.valueOf(args.length()))
                    .tool(
                            "broken",
                            args -> {
                                throw new NullPointerException();
                            })
                    .build();

    @AfterAll
    static void close() {
        CI.close();
    }

    @Test
    void pythonCallsAGrantedTool() {
        Capture c = new Capture();
        List<Event> events = new ArrayList<>();
        Execution e =
                CI.run(
                        Language.PYTHON,
                        "import airlock\nprint(airlock.call('add', {'a': 1, 'b': 2}))",
                        TOOLS,
                        c.stdio(),
                        events::add);
        assertThat(c.err()).isEmpty();
        assertThat(c.out()).isEqualTo("3\n");
        assertThat(e.outcome().status()).isEqualTo(Status.OK);
        assertThat(events)
                .filteredOn(ev -> ev instanceof HostCallEvent)
                .map(ev -> ((HostCallEvent) ev).call())
                .contains("airlock.tool/add");
    }

    @Test
    void javascriptCallsAGrantedTool() {
        Capture c = new Capture();
        Execution e =
                CI.run(
                        Language.JAVASCRIPT,
                        "console.log(airlock.call('add', {a: 20, b: 22}))",
                        TOOLS,
                        c.stdio());
        assertThat(c.err()).isEmpty();
        assertThat(c.out()).isEqualTo("42\n");
        assertThat(e.exitCode()).isZero();
    }

    @Test
    void ungrantedToolFailsInTheGuestAndIsADenial() {
        for (Language l : Language.values()) {
            Capture c = new Capture();
            String code =
                    l == Language.PYTHON
                            ? "import airlock\ntry:\n    airlock.call('rm', {})\nexcept airlock.ToolError as e:\n    print('denied:', e)"
                            : "try { airlock.call('rm', {}) } catch (e) { console.log('denied: ' + e.message) }";
            Execution e = CI.run(l, code, TOOLS, c.stdio());
            assertThat(c.out()).as(l.id() + c.err()).startsWith("denied: tool 'rm' is not granted");
            assertThat(e.outcome().denials())
                    .anySatisfy(d -> assertThat(d.rule()).isEqualTo("tool.not-granted"));
        }
    }

    @Test
    void toolErrorsReachTheGuest() {
        Capture c = new Capture();
        CI.run(
                Language.PYTHON,
                "import airlock\ntry:\n    airlock.call('fail')\nexcept airlock.ToolError as e:\n    print(e)",
                TOOLS,
                c.stdio());
        assertThat(c.out()).isEqualTo("refused\n");
    }

    @Test
    void aToolFailingWithoutAMessageNamesNoJavaClass() {
        Capture c = new Capture();
        CI.run(
                Language.PYTHON,
                "import airlock\ntry:\n    airlock.call('broken')\nexcept airlock.ToolError as e:\n    print(e)",
                TOOLS,
                c.stdio());
        assertThat(c.out()).isEqualTo("the tool failed\n");
    }

    @Test
    void hugeRequestsAreRefusedBeforeReachingTheTool() {
        for (Language l : Language.values()) {
            Capture c = new Capture();
            String code =
                    l == Language.PYTHON
                            ? "import airlock\ntry:\n    airlock.call('len', 'x' * 3000000)\nexcept airlock.ToolError as e:\n    print('refused:', e)"
                            : "try { airlock.call('len', 'x'.repeat(3000000)) } catch (e) { console.log('refused: ' + e.message) }";
            Execution e = CI.run(l, code, TOOLS, c.stdio());
            assertThat(c.out()).as(l.id() + c.err()).startsWith("refused:");
            assertThat(e.exitCode()).isZero();
        }
    }
}
