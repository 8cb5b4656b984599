package dev.airlock.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.server.http.Json;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Output streamed as server-sent events when the client asks for text/event-stream. */
class EventStreamTest {
    static ServerKit kit;
    static String key;

    @BeforeAll
    static void start() throws Exception {
        kit = ServerKit.start();
        key = kit.key("acme");
    }

    @AfterAll
    static void stop() throws Exception {
        kit.close();
    }

    record Sse(String event, JsonNode data) {}

    static List<Sse> stream(String path, String body) throws Exception {
        HttpRequest r =
                HttpRequest.newBuilder(kit.uri(path))
                        .header("Authorization", "Bearer " + key)
                        .header("Content-Type", "application/json")
                        .header("Accept", "text/event-stream")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build();
        HttpResponse<java.util.stream.Stream<String>> resp =
                kit.http.send(r, HttpResponse.BodyHandlers.ofLines());
        assertThat(resp.headers().firstValue("Content-Type").orElse(""))
                .startsWith("text/event-stream");
        List<Sse> events = new ArrayList<>();
        String event = null;
        for (String line : (Iterable<String>) resp.body()::iterator) {
            if (line.startsWith("event: ")) {
                event = line.substring(7);
            } else if (line.startsWith("data: ")) {
                events.add(new Sse(event, Json.MAPPER.readTree(line.substring(6))));
            }
        }
        return events;
    }

    @Test
    void outputThenResult() throws Exception {
        List<Sse> events =
                stream(
                        "/v1/executions",
                        "{\"language\":\"python\",\"code\":\"import sys\\nprint('a', flush=True)\\n"
                                + "print('é€😀', file=sys.stderr, flush=True)\\nprint('b')\"}");
        assertThat(events).isNotEmpty();
        Sse last = events.get(events.size() - 1);
        assertThat(last.event()).isEqualTo("result");
        assertThat(last.data().get("status").asText()).isEqualTo("ok");
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        for (Sse e : events.subList(0, events.size() - 1)) {
            assertThat(e.event()).isIn("stdout", "stderr");
            (e.event().equals("stdout") ? out : err).append(e.data().get("text").asText());
        }
        assertThat(out.toString())
                .isEqualTo("a\nb\n")
                .isEqualTo(last.data().get("stdout").asText());
        assertThat(err.toString()).isEqualTo("é€😀\n");
    }

    @Test
    void aRefusalBecomesAnErrorEvent() throws Exception {
        List<Sse> events = stream("/v1/sessions/nope/executions", "{\"code\":\"print(1)\"}");
        assertThat(events).hasSize(1);
        assertThat(events.get(0).event()).isEqualTo("error");
        assertThat(events.get(0).data().get("status").asInt()).isEqualTo(404);
    }

    @Test
    void utf8IsNeverSplit() {
        byte[] euro = "a€".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (int cut = 0; cut <= euro.length; cut++) {
            byte[] part = java.util.Arrays.copyOf(euro, cut);
            int ok = dev.airlock.server.http.EventStreamAccess.completeUpTo(part);
            assertThat(ok).isIn(cut == 2 || cut == 3 ? 1 : cut);
        }
    }
}
