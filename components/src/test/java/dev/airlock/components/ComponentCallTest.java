package dev.airlock.components;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airlock.core.Airlock;
import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import dev.airlock.core.Stdio;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every WIT value type through the test component's echo functions, and the ABI's traps. */
class ComponentCallTest {
    static final String I = "test:types/echo#";
    static final ObjectMapper JSON = new ObjectMapper();
    static Airlock airlock;
    static Component component;

    @BeforeAll
    static void load() throws Exception {
        airlock = Airlock.create();
        component = Component.load(ComponentWorldTest.resource("types.wasm"));
    }

    @AfterAll
    static void done() {
        airlock = null;
    }

    static ComponentInstance instance() throws Exception {
        return ComponentInstance.create(airlock, component, Policy.defaults());
    }

    static JsonNode call(ComponentInstance ci, String fn, String args) throws Exception {
        ComponentResult r = ci.call(fn, args, Stdio.discard());
        assertThat(r.outcome().status()).as(r.outcome().message()).isEqualTo(Status.OK);
        return r.value();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "echo-bool|true",
                "echo-bool|false",
                "echo-s8|-128",
                "echo-s8|127",
                "echo-u8|255",
                "echo-s16|-32768",
                "echo-u16|65535",
                "echo-s32|-2147483648",
                "echo-u32|4294967295",
                "echo-s64|-9223372036854775808",
                "echo-u64|18446744073709551615",
                "echo-u64|9223372036854775808",
                "echo-f32|1.5",
                "echo-f32|\"NaN\"",
                "echo-f32|\"-Infinity\"",
                "echo-f64|-2.5E-300",
                "echo-char|\"x\"",
                "echo-char|\"\uD83D\uDE00\"",
                "echo-string|\"\"",
                "echo-string|\"h\u00e9llo \u4e16\u754c \uD83D\uDE00\"",
                "echo-string-utf16|\"h\u00e9llo \u4e16\u754c \uD83D\uDE00\"",
                "echo-string-latin1|\"caf\u00e9\"",
                "echo-string-latin1|\"\u4e16\u754c\"",
                "echo-bytes|[0,1,255]",
                "echo-list|[1,65535,0]",
                "echo-list|[]",
                "echo-points|[{\"x\":1,\"y\":-2},{\"x\":3,\"y\":4}]",
                "echo-strings|[\"a\",\"\",\"\u00fcber\"]",
                "echo-nested|[[null,{\"circle\":1.5}],[],[{\"label\":\"l\"},{\"empty\":null},{\"rect\":{\"x\":1,\"y\":2}}]]",
                "echo-mixed|{\"a\":7,\"b\":1099511627777,\"c\":513,\"d\":1.5,\"e\":\"abc\"}",
                "echo-shape|{\"circle\":2.25}",
                "echo-shape|{\"rect\":{\"x\":-1,\"y\":2147483647}}",
                "echo-shape|{\"empty\":null}",
                "echo-shape|{\"label\":\"hi\"}",
                "echo-color|\"blue\"",
                "echo-perms|[\"read\",\"exec\"]",
                "echo-perms|[]",
                "echo-option|null",
                "echo-option|\"some\"",
                "echo-option-u32|null",
                "echo-option-u32|0",
                "echo-result|{\"ok\":42}",
                "echo-result|{\"error\":\"bad\"}",
                "echo-tuple|[200,\"t\",-0.5]",
            })
    void roundTrips(String fn, String value) throws Exception {
        try (ComponentInstance ci = instance()) {
            JsonNode got = call(ci, I + fn, "[" + value + "]");
            assertThat(got.toString()).isEqualTo(JSON.readTree(value).toString());
        }
    }

    @Test
    void acceptsBareCaseNamesAndNumbersForFloats() throws Exception {
        try (ComponentInstance ci = instance()) {
            assertThat(call(ci, I + "echo-shape", "[\"empty\"]"))
                    .isEqualTo(JSON.readTree("{\"empty\":null}"));
            assertThat(call(ci, I + "echo-f64", "[3]").asDouble()).isEqualTo(3.0);
        }
    }

    @Test
    void liftsWhatTheGuestLaidOutItself() throws Exception {
        try (ComponentInstance ci = instance()) {
            assertThat(call(ci, I + "make-mixed", "[]").toString())
                    .isEqualTo("{\"a\":7,\"b\":1099511627777,\"c\":513,\"d\":1.5,\"e\":\"abc\"}");
            assertThat(call(ci, I + "greet", "[\"W\u00f6rld\"]").asText())
                    .isEqualTo("hello, W\u00f6rld");
            assertThat(call(ci, "add", "[40, 2]").asLong()).isEqualTo(42);
        }
    }

    @Test
    void spillsMoreThanSixteenParametersToMemory() throws Exception {
        try (ComponentInstance ci = instance()) {
            StringBuilder args = new StringBuilder("[");
            for (int i = 1; i <= 17; i++) {
                args.append(i == 1 ? "" : ",").append(i);
            }
            assertThat(call(ci, I + "sum17", args + "]").asLong()).isEqualTo(153);
        }
    }

    @Test
    void callsPostReturnAfterLifting() throws Exception {
        try (ComponentInstance ci = instance()) {
            assertThat(call(ci, I + "post-count", "[]").asLong()).isZero();
            call(ci, I + "echo-string", "[\"x\"]");
            call(ci, I + "echo-string-utf16", "[\"x\"]");
            assertThat(call(ci, I + "post-count", "[]").asLong()).isEqualTo(1);
        }
    }

    @Test
    void resourcesOwnedAndBorrowed() throws Exception {
        try (ComponentInstance ci = instance()) {
            long h = call(ci, I + "[constructor]counter", "[5]").asLong();
            call(ci, I + "[method]counter.add", "[" + h + ", 3]");
            assertThat(call(ci, I + "[method]counter.get", "[" + h + "]").asLong()).isEqualTo(8);
            assertThat(call(ci, I + "take-counter", "[" + h + "]").asLong()).isEqualTo(8);
            assertThatThrownBy(
                            () ->
                                    ci.call(
                                            I + "[method]counter.get",
                                            "[" + h + "]",
                                            Stdio.discard()))
                    .isInstanceOf(ComponentException.class)
                    .hasMessageContaining("no handle " + h);
        }
    }

    @Test
    void eachCallIsMeteredWithTheBudgetAfresh() throws Exception {
        Policy metered =
                Policy.builder()
                        .limits(dev.airlock.core.Limits.builder().fuel(1_000_000).build())
                        .build();
        try (ComponentInstance ci = ComponentInstance.create(airlock, component, metered)) {
            ComponentResult a = ci.call(I + "echo-string", "[\"fuel\"]", Stdio.discard());
            ComponentResult b = ci.call(I + "echo-string", "[\"fuel\"]", Stdio.discard());
            assertThat(a.outcome().status()).as(a.outcome().message()).isEqualTo(Status.OK);
            assertThat(a.outcome().usage().fuel()).isPositive();
            // the same call costs the same fuel every time: a budget per call, not per instance
            assertThat(b.outcome().usage().fuel()).isEqualTo(a.outcome().usage().fuel());
        }
        Policy tiny =
                Policy.builder().limits(dev.airlock.core.Limits.builder().fuel(50).build()).build();
        try (ComponentInstance ci = ComponentInstance.create(airlock, component, tiny)) {
            ComponentResult r = ci.call("spin", "[]", Stdio.discard());
            assertThat(r.outcome().status()).isEqualTo(Status.LIMIT);
            assertThat(r.outcome().limitKind()).isEqualTo(dev.airlock.core.LimitKind.FUEL);
        }
    }

    @Test
    void resultErrorsAreFlagged() throws Exception {
        try (ComponentInstance ci = instance()) {
            ComponentResult r =
                    ci.call(I + "echo-result", "[{\"error\":\"boom\"}]", Stdio.discard());
            assertThat(r.error()).isTrue();
            r = ci.call(I + "echo-result", "[{\"ok\":1}]", Stdio.discard());
            assertThat(r.error()).isFalse();
        }
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "bad-char|invalid char 0xd800",
                "bad-string|string is not valid UTF-8",
                "huge-list|out-of-bounds",
                "trap|unreachable",
            })
    void guestsBreakingTheAbiTrap(String fn, String message) throws Exception {
        try (ComponentInstance ci = instance()) {
            ComponentResult r = ci.call(I + fn, "[]", Stdio.discard());
            assertThat(r.outcome().status()).isEqualTo(Status.TRAP);
            assertThat(r.outcome().message()).contains(message).doesNotContain("Exception");
            assertThat(ci.isUsable()).isFalse();
        }
    }

    @Test
    void aReallocAnsweringOutOfBoundsTraps() throws Exception {
        try (ComponentInstance ci = instance()) {
            ComponentResult r = ci.call("bad-realloc", "[\"abc\"]", Stdio.discard());
            assertThat(r.outcome().status()).isEqualTo(Status.TRAP);
            assertThat(r.outcome().message())
                    .isEqualTo("trap: canonical ABI: realloc returned 0xfffffff0, out of bounds");
            // the other core instance is a separate guest: its calls are unaffected until then
            assertThat(ci.isUsable()).isFalse();
        }
        try (ComponentInstance ci = instance()) {
            assertThat(call(ci, "add", "[1, 2]").asLong()).isEqualTo(3);
        }
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "echo-u8|[256]|argument x: expected u8 (0 to 255)",
                "echo-u8|[1, 2]|takes a JSON array of 1 argument",
                "echo-s8|[1.5]|expected s8",
                "echo-char|[\"ab\"]|expected a string of one character",
                "echo-string|[\"\\ud800\"]|unpaired surrogate",
                "echo-mixed|[{\"a\":1}]|missing field b",
                "echo-shape|[{\"square\":1}]|unknown case square",
                "echo-color|[\"pink\"]|expected one of [red, green, blue]",
                "echo-perms|[[\"fly\"]]|expected flag names",
                "echo-result|[{\"ok\":1,\"error\":\"x\"}]|expected {\"ok\": value}",
                "take-counter|[99]|no handle 99",
                "nope|[]|no exported function",
                "echo-u8|[1|not valid JSON",
            })
    void badArgumentsAreRefusedBeforeRunning(String fn, String args, String message)
            throws Exception {
        try (ComponentInstance ci = instance()) {
            assertThatThrownBy(() -> ci.call(I + fn, args, Stdio.discard()))
                    .isInstanceOf(ComponentException.class)
                    .hasMessageContaining(message)
                    .extracting(e -> ((ComponentException) e).kind())
                    .isEqualTo(ComponentException.Kind.BAD_CALL);
            assertThat(ci.isUsable()).isTrue();
        }
    }

    @Test
    void snapshotsForkIndependentInstancesWithTheirHandles() throws Exception {
        try (ComponentInstance ci = instance()) {
            long h = call(ci, I + "[constructor]counter", "[5]").asLong();
            ComponentSnapshot snap = ci.snapshot();
            call(ci, I + "[method]counter.add", "[" + h + ", 100]");
            try (ComponentInstance a =
                            ComponentInstance.restore(
                                    airlock,
                                    component,
                                    snap,
                                    Policy.defaults(),
                                    dev.airlock.core.event.EventSink.none());
                    ComponentInstance b =
                            ComponentInstance.restore(
                                    airlock,
                                    component,
                                    snap,
                                    Policy.defaults(),
                                    dev.airlock.core.event.EventSink.none())) {
                // each fork holds the counter as it was (5), with the same handle
                call(a, I + "[method]counter.add", "[" + h + ", 1]");
                assertThat(call(a, I + "[method]counter.get", "[" + h + "]").asLong()).isEqualTo(6);
                assertThat(call(b, I + "[method]counter.get", "[" + h + "]").asLong()).isEqualTo(5);
            }
            assertThat(call(ci, I + "[method]counter.get", "[" + h + "]").asLong()).isEqualTo(105);
        }
        Component other = Component.load(ComponentWorldTest.resource("compose/time.wasm"));
        try (ComponentInstance ci = instance()) {
            ComponentSnapshot snap = ci.snapshot();
            assertThatThrownBy(
                            () ->
                                    ComponentInstance.restore(
                                            airlock,
                                            other,
                                            snap,
                                            Policy.defaults(),
                                            dev.airlock.core.event.EventSink.none()))
                    .isInstanceOf(ComponentException.class)
                    .hasMessage("the snapshot was taken from another component");
        }
    }
}
