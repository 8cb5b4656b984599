package dev.airlock.audit.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.core.Denial;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The runs table's denials column is written with a streaming generator; its text is exactly what
 * Jackson's tree model wrote before, so rows written by either read back the same.
 */
class RunRowsDenialsTest {
    private static String asTree(List<Denial> denials) {
        ArrayNode a = new ObjectMapper().createArrayNode();
        for (Denial d : denials) {
            ObjectNode n = a.addObject();
            n.put("call", d.call());
            n.put("rule", d.rule());
            n.put("detail", d.detail());
        }
        return a.toString();
    }

    @Test
    void theColumnIsTheTreeModelsTextForAwkwardStrings() {
        List<Denial> awkward =
                List.of(
                        new Denial("path_open", "fs.read", "/etc/passwd"),
                        new Denial(
                                "sock_connect", "net \"quoted\" \\ back", "tab\tline\nnul\u0000"),
                        new Denial("env", "é ü 漢字 \uD83D\uDE00", "\u007f\u2028\u2029"),
                        new Denial("x", null, null));
        for (List<Denial> list : List.of(List.<Denial>of(), awkward.subList(0, 1), awkward)) {
            assertThat(RunRows.denials(list)).isEqualTo(asTree(list));
        }
        assertThat(RunRows.denials(awkward)).startsWith("[{\"call\":\"path_open\"");
    }
}
