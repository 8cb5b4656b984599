package dev.airlock.skills;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Every bad manifest is refused with one line naming the problem. */
class ManifestTest {
    static final String GOOD = Fixture.manifest("ok", "1.0.0", "wasm", "main.wasm", "{}");

    static void refused(String json, String expected) {
        assertThatThrownBy(() -> Manifest.parse(json.getBytes(StandardCharsets.UTF_8)))
                .as(json)
                .isInstanceOfSatisfying(
                        SkillException.class,
                        e -> {
                            assertThat(e.kind()).isEqualTo(SkillException.Kind.INVALID);
                            assertThat(e.getMessage()).contains(expected).doesNotContain("\n");
                        });
    }

    static String with(String from, String to) {
        String s = GOOD.replace(from, to);
        assertThat(s).isNotEqualTo(GOOD);
        return s;
    }

    @Test
    void aGoodManifestParses() throws Exception {
        Manifest m = Manifest.parse(GOOD.getBytes(StandardCharsets.UTF_8));
        assertThat(m.name()).isEqualTo("ok");
        assertThat(m.tools()).extracting(Manifest.ToolSpec::name).containsExactly("run");
        assertThat(m.capabilities().mounts()).isEmpty();
        assertThat(m.limits().memoryBytes()).isNull();
    }

    @Test
    void badManifestsAreRefused() {
        refused("[]", "must be a JSON object");
        refused("{\"name\":\"a\",\"name\":\"b\"}", "Duplicate field 'name'");
        refused(GOOD + "{}", "skill.json");
        refused(with("\"name\":\"ok\"", "\"name\":\"ok\",\"extra\":1"), "unknown key 'extra'");
        refused(with("\"name\":\"ok\"", "\"name\":\"Bad_Name\""), "name: 'Bad_Name'");
        refused(with("\"name\":\"ok\"", "\"name\":\"../x\""), "name: '../x'");
        refused(with("1.0.0", "1.0"), "not a semantic version");
        refused(with("1.0.0", "01.0.0"), "not a semantic version");
        refused(with("\"publisher\":\"acme\",", ""), "publisher: missing");
        refused(with("\"kind\":\"wasm\"", "\"kind\":\"native\""), "entry.kind: 'native'");
        refused(with("\"file\":\"main.wasm\"", "\"file\":\"../main.wasm\""), "entry.file");
        refused(with("\"file\":\"main.wasm\"", "\"file\":\"/etc/passwd\""), "entry.file");
        refused(with("\"type\":\"object\"}", "\"type\":\"objekt\"}"), "unknown type 'objekt'");
        refused(
                with(
                        "\"inputSchema\":{\"type\":\"object\"}",
                        "\"inputSchema\":{\"pattern\":\"x\"}"),
                "unknown key 'pattern'");
        refused(with("\"name\":\"run\"", "\"name\":\"Run Tool\""), "tools[0].name");
        refused(
                with("\"capabilities\":{}", "\"capabilities\":{\"net\":true}"),
                "capabilities.net: expected a list of network rules or an object {allow, limits}");
        refused(
                with(
                        "\"capabilities\":{}",
                        "\"capabilities\":{\"net\":[\"ftp://api.example.com/\"]}"),
                "capabilities.net[0]: invalid network rule 'ftp://api.example.com/': scheme must"
                        + " be http or https");
        refused(
                with(
                        "\"capabilities\":{}",
                        "\"capabilities\":{\"net\":[\"FETCH https://api.example.com/\"]}"),
                "capabilities.net[0]: invalid network rule 'FETCH https://api.example.com/':"
                        + " unknown method 'FETCH'");
        refused(
                with("\"capabilities\":{}", "\"capabilities\":{\"net\":[]}"),
                "capabilities.net: expected at least one network rule");
        refused(
                with(
                        "\"capabilities\":{}",
                        "\"capabilities\":{\"net\":{\"limits\":{\"requests\":1}}}"),
                "capabilities.net.allow: expected a list of network rules");
        refused(
                with(
                        "\"capabilities\":{}",
                        "\"capabilities\":{\"net\":{\"allow\":[\"https://api.example.com/\"],"
                                + "\"limits\":{\"requests\":-1}}}"),
                "capabilities.net.limits.requests: expected an integer of at least 0");
        refused(
                with(
                        "\"capabilities\":{}",
                        "\"capabilities\":{\"net\":{\"allow\":[\"https://api.example.com/\"],"
                                + "\"limits\":{\"timeout\":\"1h\"}}}"),
                "capabilities.net.limits: request timeout must be above 0 and at most 10m");
        refused(
                with(
                        "\"capabilities\":{}",
                        "\"capabilities\":{\"net\":{\"allow\":[\"https://api.example.com/\"],"
                                + "\"limits\":{\"bytes\":\"1MiB\"}}}"),
                "unknown key 'bytes'");
        refused(
                with("\"capabilities\":{}", "\"capabilities\":{\"env\":[\"A=B\"]}"),
                "capabilities.env: bad name");
        refused(
                with(
                        "\"capabilities\":{}",
                        "\"capabilities\":{\"mounts\":[{\"guest\":\"/../etc\",\"mode\":\"ro\",\"purpose\":\"x\"}]}"),
                "must not contain");
        refused(
                with(
                        "\"capabilities\":{}",
                        "\"capabilities\":{\"mounts\":[{\"guest\":\"/skill\",\"mode\":\"ro\",\"purpose\":\"x\"}]}"),
                "reserved");
        refused(
                with(
                        "\"capabilities\":{}",
                        "\"capabilities\":{\"mounts\":[{\"guest\":\"/data\",\"mode\":\"rwx\",\"purpose\":\"x\"}]}"),
                "expected ro or rw");
        refused(
                with(
                        "\"capabilities\":{}",
                        "\"capabilities\":{},\"limits\":{\"memory\":\"100KiB\"}"),
                "multiple of 64KiB");
        refused(
                with("\"capabilities\":{}", "\"capabilities\":{},\"limits\":{\"fuel\":-1}"),
                "limits.fuel");
        refused(
                with(
                        "\"capabilities\":{}",
                        "\"capabilities\":{},\"limits\":{\"timeout\":\"soon\"}"),
                "limits");
        refused(
                Fixture.manifest("py", "1.0.0", "python", "main.py", "{},\"limits\":{\"fuel\":5}"),
                "only wasm skills can be metered");
        String twice =
                GOOD.replace(
                        "\"tools\":[{",
                        "\"tools\":[{\"name\":\"run\",\"description\":\"t\",\"inputSchema\":true,\"outputSchema\":true},{");
        refused(twice, "duplicate tool 'run'");
    }

    @Test
    void semanticVersionsOrderByPrecedence() {
        String[] ordered = {
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
            "1.2.0",
            "1.10.0",
            "2.0.0"
        };
        for (int i = 1; i < ordered.length; i++) {
            assertThat(Semver.parse(ordered[i - 1]).compareTo(Semver.parse(ordered[i])))
                    .as(ordered[i - 1] + " < " + ordered[i])
                    .isNegative();
        }
        assertThat(Semver.parse("1.0.0+build.5").compareTo(Semver.parse("1.0.0"))).isZero();
    }

    @Test
    void schemasValidateTheSubsetTheyClaim() throws Exception {
        var schema =
                Json.MAPPER.readTree(
                        "{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\"},"
                                + "\"tags\":{\"type\":\"array\",\"items\":{\"enum\":[\"a\",\"b\"]}}},"
                                + "\"required\":[\"n\"],\"additionalProperties\":false}");
        Schemas.check(schema, "s");
        assertThat(Schemas.validate(schema, Json.MAPPER.readTree("{\"n\":1,\"tags\":[\"a\"]}")))
                .isNull();
        assertThat(Schemas.validate(schema, Json.MAPPER.readTree("{\"n\":1.0}"))).isNull();
        assertThat(Schemas.validate(schema, Json.MAPPER.readTree("{}")))
                .isEqualTo("$: missing required property 'n'");
        assertThat(Schemas.validate(schema, Json.MAPPER.readTree("{\"n\":1.5}")))
                .isEqualTo("$.n: expected integer, got number");
        assertThat(Schemas.validate(schema, Json.MAPPER.readTree("{\"n\":1,\"x\":2}")))
                .isEqualTo("$.x: property not allowed");
        assertThat(Schemas.validate(schema, Json.MAPPER.readTree("{\"n\":1,\"tags\":[\"c\"]}")))
                .startsWith("$.tags[0]: not one of");
    }

    @Test
    void netRulesAndLimitsParseInBothForms() throws Exception {
        Manifest list =
                Manifest.parse(
                        with(
                                        "\"capabilities\":{}",
                                        "\"capabilities\":{\"net\":[\"get https://API.example.com/v1/*\","
                                                + "\"GET https://api.example.com/v1/\"]}")
                                .getBytes(StandardCharsets.UTF_8));
        assertThat(list.capabilities().net().rules())
                .extracting(Object::toString)
                .containsExactly("GET https://api.example.com/v1/");
        assertThat(list.capabilities().net().maxRequests()).isNull();
        Manifest object =
                Manifest.parse(
                        with(
                                        "\"capabilities\":{}",
                                        "\"capabilities\":{\"net\":{\"allow\":[\"https://*.example.com/\"],"
                                                + "\"limits\":{\"requests\":5,\"bytesIn\":\"1MiB\","
                                                + "\"bytesOut\":\"4KiB\",\"timeout\":\"2s\","
                                                + "\"concurrent\":1}}}")
                                .getBytes(StandardCharsets.UTF_8));
        Manifest.NetGrant n = object.capabilities().net();
        assertThat(n.declared()).isTrue();
        dev.airlock.core.net.NetLimits l =
                n.limits(dev.airlock.core.net.NetLimits.defaults().withMaxRequests(3));
        assertThat(l.maxRequests()).isEqualTo(3);
        assertThat(l.maxBytesIn()).isEqualTo(1L << 20);
        assertThat(l.maxBytesOut()).isEqualTo(4096);
        assertThat(l.requestTimeout()).isEqualTo(java.time.Duration.ofSeconds(2));
        assertThat(l.maxConcurrent()).isEqualTo(1);
        assertThat(
                        Manifest.parse(GOOD.getBytes(StandardCharsets.UTF_8))
                                .capabilities()
                                .net()
                                .declared())
                .isFalse();
    }
}
