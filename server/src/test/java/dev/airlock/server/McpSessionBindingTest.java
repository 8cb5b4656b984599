package dev.airlock.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.server.http.Json;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A hostile MCP client: another tenant's key on a transport session it learnt the id of, and bodies
 * written to break the transport. Answers are 404 or JSON-RPC errors without internals.
 */
class McpSessionBindingTest {
    static final String INIT =
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
                    + "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
                    + "\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}";
    static final String LIST = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}";

    static ServerKit kit;
    static String alice;
    static String bob;

    @BeforeAll
    static void start() throws Exception {
        kit = ServerKit.start();
        alice = kit.key("alice");
        bob = kit.key("bob");
    }

    @AfterAll
    static void stop() throws Exception {
        kit.close();
    }

    static HttpResponse<String> send(String method, String key, String session, String body)
            throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(kit.uri("/mcp"))
                        .timeout(Duration.ofSeconds(60))
                        .header("Authorization", "Bearer " + key)
                        .header("Accept", "application/json, text/event-stream");
        if (session != null) {
            b.header("Mcp-Session-Id", session);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
            b.method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return kit.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A fresh, initialized transport session of this key. */
    static String session(String key) throws Exception {
        HttpResponse<String> r = send("POST", key, null, INIT);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String id = r.headers().firstValue("Mcp-Session-Id").orElseThrow();
        HttpResponse<String> ok =
                send(
                        "POST",
                        key,
                        id,
                        "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(202);
        return id;
    }

    static void clean(HttpResponse<String> r) {
        assertThat(r.headers().firstValue("Content-Type").orElse(""))
                .as(r.body())
                .containsAnyOf("application/json", "application/problem+json");
        assertThat(r.body())
                .doesNotContain(
                        "stackTrace",
                        "Exception",
                        "io.modelcontextprotocol",
                        "java.",
                        "<html",
                        "reactor.");
    }

    /** A JSON-RPC error answer without internals; returns its error object. */
    static JsonNode rpcError(HttpResponse<String> r, int status) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        clean(r);
        JsonNode j = Json.MAPPER.readTree(r.body());
        assertThat(j.get("jsonrpc").asText()).isEqualTo("2.0");
        assertThat(j.get("error").get("code").isInt()).isTrue();
        assertThat(j.get("error").get("message").asText()).isNotBlank();
        return j.get("error");
    }

    static void listsTools(String key, String session) throws Exception {
        HttpResponse<String> r = send("POST", key, session, LIST);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("run_python");
    }

    @Test
    void anotherTenantCannotDeleteASession() throws Exception {
        String mine = session(alice);
        rpcError(send("DELETE", bob, mine, null), 404);
        listsTools(alice, mine);
        assertThat(send("DELETE", alice, mine, null).statusCode()).isEqualTo(200);
        rpcError(send("POST", alice, mine, LIST), 404);
    }

    @Test
    void anotherTenantCannotSendOnOrListenToASession() throws Exception {
        String mine = session(alice);
        rpcError(send("POST", bob, mine, LIST), 404);
        rpcError(
                send(
                        "POST",
                        bob,
                        mine,
                        "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":"
                                + "{\"name\":\"run_python\",\"arguments\":{\"code\":\"print(1)\"}}}"),
                404);
        rpcError(send("GET", bob, mine, null), 404);
        listsTools(alice, mine);
    }

    @Test
    void anEarlyAnswerLeavesTheConnectionUsable() throws Exception {
        String mine = session(alice);
        URI u = kit.uri("/mcp");
        try (Socket s = new Socket(u.getHost(), u.getPort())) {
            s.setSoTimeout(60_000);
            OutputStream out = s.getOutputStream();
            byte[] body = LIST.getBytes(StandardCharsets.UTF_8);
            String head =
                    "POST /mcp HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
                            + "Mcp-Session-Id: %s\r\nAccept: application/json, text/event-stream"
                            + "\r\nContent-Type: application/json\r\nContent-Length: %d\r\n%s\r\n";
            // another tenant's session: refused before the body is needed, which arrives late
            out.write(
                    String.format(head, bob, mine, body.length, "")
                            .getBytes(StandardCharsets.UTF_8));
            out.flush();
            Thread.sleep(300);
            out.write(body);
            // then the owner's request on the same connection, which it closes after answering
            out.write(
                    String.format(head, alice, mine, body.length, "Connection: close\r\n")
                            .getBytes(StandardCharsets.UTF_8));
            out.write(body);
            out.flush();
            String answers = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answers).startsWith("HTTP/1.1 404").contains("run_python");
        }
    }

    @Test
    void unknownSessionIsACleanNotFound() throws Exception {
        rpcError(send("POST", alice, "no-such-session", LIST), 404);
        rpcError(send("DELETE", alice, "no-such-session", null), 404);
        rpcError(send("GET", alice, "no-such-session", null), 404);
    }

    @Test
    void malformedBodiesAreJsonRpcErrorsWithoutInternals() throws Exception {
        String mine = session(alice);
        assertThat(rpcError(send("POST", alice, mine, "{not json"), 400).get("code").asInt())
                .isEqualTo(-32700);
        rpcError(send("POST", alice, null, "{not json"), 400);
        rpcError(send("POST", alice, mine, "[1,2,3]"), 400);
        rpcError(send("POST", alice, mine, "{\"jsonrpc\":\"2.0\"}"), 400);
        rpcError(send("POST", alice, mine, "\"text\""), 400);
        rpcError(send("POST", alice, mine, ""), 400);
        rpcError(
                send(
                        "POST",
                        alice,
                        mine,
                        "{\"jsonrpc\":\"2.0\",\"id\":1,\"id\":2,\"method\":\"tools/list\"}"),
                400);
        listsTools(alice, mine);
    }

    @Test
    void missingSessionOrAcceptIsACleanBadRequest() throws Exception {
        rpcError(send("POST", alice, null, LIST), 400);
        HttpResponse<String> noAccept =
                kit.http.send(
                        HttpRequest.newBuilder(kit.uri("/mcp"))
                                .header("Authorization", "Bearer " + alice)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(INIT))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(noAccept.statusCode()).as(noAccept.body()).isBetween(400, 499);
        clean(noAccept);
    }

    @Test
    void hostileMessagesInsideASessionShowNoInternals() throws Exception {
        String mine = session(alice);
        String[] bodies = {
            "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"no/such/method\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"tools/call\",\"params\":"
                    + "{\"name\":\"no_such_tool\",\"arguments\":{}}}",
            "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":\"x\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"tools/call\",\"params\":"
                    + "{\"name\":\"run_python\",\"arguments\":{\"code\":{\"a\":1}}}}",
            "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"tools/call\",\"params\":"
                    + "{\"name\":\"run_python\",\"arguments\":\"print(1)\"}}",
            "{\"jsonrpc\":\"2.0\",\"id\":{\"a\":1},\"method\":\"tools/list\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":10,\"result\":{\"x\":1}}",
        };
        for (String body : bodies) {
            HttpResponse<String> r = send("POST", alice, mine, body);
            // a response to a request the server never sent is a clean 500
            assertThat(r.statusCode()).as(body + " -> " + r.body()).isLessThanOrEqualTo(500);
            assertThat(r.body())
                    .as(body)
                    .doesNotContain(
                            "stackTrace", "Exception", "io.modelcontextprotocol", "java.", "$");
        }
        listsTools(alice, mine);
    }
}
