package dev.airlock.components;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** JSON Schemas of the test component's functions, as JsonCheck maps each WIT type. */
class WitSchemaTest {
    static Component types() throws Exception {
        return Component.load(ComponentWorldTest.resource("types.wasm"));
    }

    static String input(String f) throws Exception {
        return types().inputSchema("test:types/echo#" + f).toString();
    }

    @Test
    void integersCarryTheirRanges() throws Exception {
        assertThat(types().inputSchema("add").toString())
                .isEqualTo(
                        "{\"type\":\"object\",\"properties\":{"
                                + "\"a\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":4294967295},"
                                + "\"b\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":4294967295}},"
                                + "\"required\":[\"a\",\"b\"],\"additionalProperties\":false}");
        assertThat(input("echo-u64")).contains("\"maximum\":18446744073709551615");
        assertThat(input("echo-s8")).contains("\"minimum\":-128,\"maximum\":127");
    }

    @Test
    void compoundTypesFollowTheJsonMapping() throws Exception {
        assertThat(input("echo-points"))
                .contains(
                        "\"x\":{\"type\":\"array\",\"items\":{\"type\":\"object\","
                                + "\"properties\":{\"x\":{\"type\":\"integer\"");
        assertThat(input("echo-color"))
                .contains("{\"type\":\"string\",\"enum\":[\"red\",\"green\",\"blue\"]}");
        assertThat(input("echo-perms"))
                .contains("\"items\":{\"type\":\"string\",\"enum\":[\"read\",\"write\",\"exec\"]}");
        // a case without payload: the bare name or {"empty": null}
        assertThat(input("echo-shape")).contains("{\"const\":\"empty\"}").contains("\"circle\"");
        assertThat(input("echo-result"))
                .contains("\"required\":[\"ok\"]")
                .contains("\"required\":[\"error\"]");
        assertThat(types().outputSchema("spin").toString()).isEqualTo("{\"type\":\"null\"}");
    }
}
