package dev.airlock.skills;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** Bounds and combinations in skill schemas: each checked in the manifest and enforced. */
class SchemaBoundsTest {
    static JsonNode j(String s) throws Exception {
        return Json.MAPPER.readTree(s);
    }

    static String validate(String schema, String value) throws Exception {
        Schemas.check(j(schema), "s");
        return Schemas.validate(j(schema), j(value));
    }

    @Test
    void numbersStringsAndArraysAreBounded() throws Exception {
        String u8 = "{\"type\":\"integer\",\"minimum\":0,\"maximum\":255}";
        assertThat(validate(u8, "255")).isNull();
        assertThat(validate(u8, "256")).isEqualTo("$: above the maximum 255");
        assertThat(validate(u8, "-1")).isEqualTo("$: below the minimum 0");
        String u64 = "{\"type\":\"integer\",\"minimum\":0,\"maximum\":18446744073709551615}";
        assertThat(validate(u64, "18446744073709551615")).isNull();
        assertThat(validate(u64, "18446744073709551616")).contains("above the maximum");
        String chr = "{\"type\":\"string\",\"minLength\":1,\"maxLength\":1}";
        assertThat(validate(chr, "\"\uD83D\uDE00\"")).isNull();
        assertThat(validate(chr, "\"ab\"")).isEqualTo("$: longer than 1 characters");
        String pair =
                "{\"type\":\"array\",\"prefixItems\":[{\"type\":\"string\"},{\"type\":\"integer\"}],"
                        + "\"minItems\":2,\"maxItems\":2}";
        assertThat(validate(pair, "[\"a\", 1]")).isNull();
        assertThat(validate(pair, "[1, 1]")).isEqualTo("$[0]: expected string, got integer");
        assertThat(validate(pair, "[\"a\"]")).isEqualTo("$: fewer than 2 items");
        String set = "{\"type\":\"array\",\"uniqueItems\":true}";
        assertThat(validate(set, "[\"r\",\"r\"]")).isEqualTo("$: items are not unique");
    }

    @Test
    void oneOfAndConst() throws Exception {
        String opt = "{\"oneOf\":[{\"type\":\"null\"},{\"type\":\"string\"}]}";
        assertThat(validate(opt, "null")).isNull();
        assertThat(validate(opt, "\"x\"")).isNull();
        assertThat(validate(opt, "1")).startsWith("$: fits none of the alternatives");
        String both = "{\"oneOf\":[{\"type\":\"integer\"},{\"type\":\"number\"}]}";
        assertThat(validate(both, "1")).isEqualTo("$: fits more than one alternative");
        assertThat(validate("{\"const\":\"empty\"}", "\"full\""))
                .isEqualTo("$: expected \"empty\"");
    }

    @Test
    void badBoundsAreManifestErrors() {
        assertThatThrownBy(() -> Schemas.check(j("{\"minimum\":\"0\"}"), "in"))
                .hasMessage("in: minimum: expected a number");
        assertThatThrownBy(() -> Schemas.check(j("{\"oneOf\":[]}"), "in"))
                .hasMessage("in: oneOf: expected a non-empty list of schemas");
        assertThatThrownBy(() -> Schemas.check(j("{\"oneOf\":[{\"pattern\":\"x\"}]}"), "in"))
                .hasMessageContaining("unknown key 'pattern'");
    }
}
