package dev.airlock.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.core.event.Decision;
import dev.airlock.core.event.HostCallEvent;
import dev.airlock.core.event.LifecycleEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The byte-level encoder writes exactly what a JSON parser and the verifier read back: numbers as
 * {@link Long#toString}, strings as their escaped UTF-8 form, whatever the characters.
 */
class RecordEncodingTest {
    static final List<String> HOSTILE =
            List.of(
                    "",
                    "plain/path.txt",
                    "quote \" and backslash \\",
                    "control \u0000\u0001\n\r\t\u001f and DEL \u007f",
                    "line separators \u2028 \u2029",
                    "latin-1 \u00e9\u00ff and beyond \u0141\u4e2d",
                    "emoji \ud83d\ude00 pair",
                    "lone surrogates \ud800 x \udfff",
                    "x".repeat(300));

    @TempDir Path dir;

    @Test
    void numbersAreWrittenAsLongToStringWrites() {
        List<Long> values =
                new ArrayList<>(
                        List.of(
                                0L,
                                1L,
                                9L,
                                10L,
                                99L,
                                100L,
                                101L,
                                -1L,
                                -10L,
                                (long) Integer.MAX_VALUE,
                                Integer.MAX_VALUE + 1L,
                                (long) Integer.MIN_VALUE,
                                999_999_999_999_999_999L,
                                1_000_000_000_000_000_000L,
                                Long.MAX_VALUE,
                                Long.MIN_VALUE,
                                Long.MIN_VALUE + 1));
        Random r = new Random(42);
        for (int i = 0; i < 10_000; i++) {
            values.add(r.nextLong() >> r.nextInt(64));
        }
        RecordBuffer b = new RecordBuffer(4);
        for (long v : values) {
            b.clear();
            b.number(v);
            assertThat(b.text(0, b.length)).isEqualTo(Long.toString(v));
        }
    }

    @Test
    void stringsAreTheirEscapedUtf8Form() throws Exception {
        RecordBuffer b = new RecordBuffer(1);
        for (String s : HOSTILE) {
            for (int round = 0; round < 2; round++) {
                b.clear();
                if (round == 0) {
                    b.string(s);
                } else {
                    b.recurring(s);
                    b.recurring(s); // from the cache the second time
                }
                String expected = AuditRecords.quoted(s);
                byte[] want = expected.getBytes(StandardCharsets.UTF_8);
                byte[] got = java.util.Arrays.copyOf(b.bytes, b.length);
                if (round == 1) {
                    want = (expected + expected).getBytes(StandardCharsets.UTF_8);
                }
                assertThat(got).as(s).isEqualTo(want);
            }
            // what a reader of the written bytes gets back
            String parsed =
                    AuditRecords.json()
                            .readTree(AuditRecords.quoted(s).getBytes(StandardCharsets.UTF_8))
                            .asText();
            String valid = new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
            assertThat(parsed).as(s).isEqualTo(valid);
        }
        b.clear();
        b.string(null);
        assertThat(b.text(0, b.length)).isEqualTo("null");
    }

    @Test
    void hostileValuesVerifyAndReadBack() throws Exception {
        AuditKeys keys = AuditKeys.loadOrCreate(dir.resolve("keys"));
        Path file = dir.resolve("trail.jsonl");
        try (AuditTrail t = new AuditTrail(new JsonlSink(file), keys, HashChain.start(), 4)) {
            long seq = 0;
            for (String s : HOSTILE) {
                Map<String, Object> args = new LinkedHashMap<>();
                args.put("path", s);
                args.put("n", -7L);
                args.put("ok", true);
                args.put("ratio", 0.25);
                args.put(s, 1);
                t.accept(
                        new HostCallEvent(
                                ++seq,
                                1_700_000_000_000L,
                                "run-" + s,
                                s.isEmpty() ? null : "session " + s,
                                "ab".repeat(32),
                                "tools." + s,
                                args,
                                Decision.DENY,
                                "rule " + s,
                                seq % 2 == 0 ? null : -seq,
                                seq * 1000));
            }
            t.accept(
                    new LifecycleEvent(
                            ++seq,
                            1L,
                            "run",
                            "ab".repeat(32),
                            LifecycleEvent.Type.OUTCOME,
                            Map.of("message", HOSTILE.get(3))));
        }
        AuditVerifier.Result r = AuditVerifier.verify(file, keys.publicKey());
        assertThat(r.ok()).as(String.valueOf(r.reason())).isTrue();

        List<JsonNode> calls = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            JsonNode n = AuditRecords.json().readTree(line);
            if (n.path("type").asText().equals("call")) {
                calls.add(n);
            }
        }
        assertThat(calls).hasSize(HOSTILE.size());
        for (int i = 0; i < HOSTILE.size(); i++) {
            String s =
                    new String(
                            HOSTILE.get(i).getBytes(StandardCharsets.UTF_8),
                            StandardCharsets.UTF_8);
            JsonNode n = calls.get(i);
            assertThat(n.path("call").asText()).isEqualTo("tools." + s);
            assertThat(n.path("run").asText()).isEqualTo("run-" + s);
            assertThat(n.path("rule").asText()).isEqualTo("rule " + s);
            assertThat(n.path("decision").asText()).isEqualTo("deny");
            assertThat(n.path("args").path("n").asLong()).isEqualTo(-7L);
            assertThat(n.path("args").path("ok").asBoolean()).isTrue();
            assertThat(n.path("args").path("ratio").asDouble()).isEqualTo(0.25);
            assertThat(n.path("nanos").asLong()).isEqualTo((i + 1) * 1000L);
            if (i % 2 == 0) {
                assertThat(n.path("result").asLong()).isEqualTo(-(i + 1L));
            } else {
                assertThat(n.path("result").isNull()).isTrue();
            }
            if (s.isEmpty()) {
                assertThat(n.has("session")).isFalse();
            } else {
                assertThat(n.path("session").asText()).isEqualTo("session " + s);
                // the record's field order is fixed: session between run and runSeq
                String line = n.toString();
                assertThat(line.indexOf("\"run\"")).isLessThan(line.indexOf("\"session\""));
                assertThat(line.indexOf("\"session\"")).isLessThan(line.indexOf("\"runSeq\""));
            }
            // format 2: a call names its run, not the module (the run's lifecycle records do)
            assertThat(n.has("module")).isFalse();
            assertThat(n.has("prev")).isFalse();
            if (!Redactor.isSecret("path", s)) {
                assertThat(n.path("args").path("path").asText()).isEqualTo(s);
            }
        }
    }
}
