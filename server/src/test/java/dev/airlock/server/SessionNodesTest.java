package dev.airlock.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.server.http.Json;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Sessions kept in the store that the nodes share: a session opened on one node continues on
 * another (state, files, snapshots, forks), with no sticky routing; one call at a time across
 * nodes; a node that dies mid-call loses only that call, and another node continues the session
 * from its last answered state once the dead node's hold passes; idle expiry and closing hold on
 * every node.
 */
class SessionNodesTest extends NodesFixture {

    /** A wall clock the test moves forward. */
    static final class Moving extends Clock {
        volatile Duration ahead = Duration.ZERO;

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(ahead);
        }
    }

    String open(AirlockServer node, String key) throws Exception {
        HttpResponse<String> r =
                send(
                        node,
                        "POST",
                        "/v1/sessions",
                        key,
                        "{\"language\":\"python\",\"limits\":{\"timeoutMs\":5000}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return json(r).get("id").asText();
    }

    HttpResponse<String> exec(AirlockServer node, String key, String session, String code)
            throws Exception {
        return send(
                node,
                "POST",
                "/v1/sessions/" + session + "/executions",
                key,
                Json.MAPPER.writeValueAsString(java.util.Map.of("code", code)));
    }

    String out(AirlockServer node, String key, String session, String code) throws Exception {
        HttpResponse<String> r = exec(node, key, session, code);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode j = json(r);
        assertThat(j.get("status").asText()).as(r.body()).isEqualTo("ok");
        return j.get("stdout").asText();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void aSessionContinuesOnWhicheverNodeARequestReaches(String backend) throws Exception {
        AirlockServer a = node(backend, "node-a");
        AirlockServer b = node(backend, "node-b");
        String key = tenantKey(a, "acme", "{}");
        String s = open(a, key);

        assertThat(out(a, key, s, "x = 41\nimport json")).isEmpty();
        assertThat(out(b, key, s, "x += 1\nprint(x, json.dumps([x]))")).isEqualTo("42 [42]\n");
        assertThat(out(a, key, s, "print(x)")).isEqualTo("42\n"); // B's change reached A

        HttpResponse<String> up =
                send(b, "PUT", "/v1/sessions/" + s + "/files/n.txt", key, "\"seven\"");
        assertThat(up.statusCode()).as(up.body()).isIn(200, 204);
        assertThat(out(a, key, s, "print(open('/workspace/n.txt').read())"))
                .isEqualTo("\"seven\"\n");
        HttpResponse<String> down = send(b, "GET", "/v1/sessions/" + s + "/files/n.txt", key, null);
        assertThat(down.statusCode()).as(down.body()).isEqualTo(200);

        HttpResponse<String> snap = send(a, "POST", "/v1/sessions/" + s + "/snapshots", key, null);
        assertThat(snap.statusCode()).as(snap.body()).isEqualTo(201);
        String snapId = json(snap).get("id").asText();
        assertThat(out(b, key, s, "x = 0\nprint(x)")).isEqualTo("0\n");
        HttpResponse<String> back =
                send(
                        b,
                        "POST",
                        "/v1/sessions/" + s + "/restore",
                        key,
                        "{\"snapshotId\":\"" + snapId + "\"}");
        assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
        assertThat(out(a, key, s, "print(x)")).isEqualTo("42\n");

        HttpResponse<String> fork = send(b, "POST", "/v1/sessions/" + s + "/fork", key, null);
        assertThat(fork.statusCode()).as(fork.body()).isEqualTo(201);
        String copy = json(fork).get("id").asText();
        assertThat(out(a, key, copy, "x *= 2\nprint(x)")).isEqualTo("84\n");
        assertThat(out(b, key, s, "print(x)")).isEqualTo("42\n");

        JsonNode listed = json(send(b, "GET", "/v1/sessions", key, null));
        assertThat(listed.toString()).contains(s).contains(copy).contains(snapId);
        String other = tenantKey(b, "other", "{}");
        assertThat(send(a, "GET", "/v1/sessions/" + s, other, null).statusCode()).isEqualTo(404);
        assertThat(exec(b, other, s, "print(x)").statusCode()).isEqualTo(404);

        assertThat(send(b, "DELETE", "/v1/sessions/" + s, key, null).statusCode()).isIn(200, 204);
        assertThat(exec(a, key, s, "print(x)").statusCode()).isEqualTo(404);
        assertThat(send(a, "GET", "/v1/sessions/" + s, key, null).statusCode()).isEqualTo(404);
        assertThat(out(b, key, copy, "print(x)")).isEqualTo("84\n");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void aNodeThatDiesMidCallLosesOnlyThatCall(String backend) throws Exception {
        Moving clockB = new Moving();
        AirlockServer a = node(backend, "node-a");
        AirlockServer b = node(backend, "node-b", clockB);
        String key = tenantKey(a, "acme", "{}");
        String s = open(a, key);
        assertThat(out(a, key, s, "answered = 'kept'")).isEmpty();

        CompletableFuture<HttpResponse<String>> stuck =
                CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return exec(a, key, s, "answered = 'lost'\nwhile True: pass");
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        });
        while (a.service().activeExecutions() == 0 && !stuck.isDone()) {
            Thread.onSpinWait();
        }
        // one call at a time, across nodes
        HttpResponse<String> busy = exec(b, key, s, "print(answered)");
        assertThat(busy.statusCode()).as(busy.body()).isEqualTo(409);
        assertThat(busy.body()).contains("node-a");

        // node A dies: its store connection goes first, so nothing more of it is written
        ((dev.airlock.audit.store.Store) open.get(0)).close();
        // A's hold lasts the call's time limit plus 30 s, but A stopped beating: after 15 s of
        // silence B takes over
        clockB.ahead = Duration.ofSeconds(20);
        assertThat(out(b, key, s, "print(answered)")).isEqualTo("kept\n");
        assertThat(out(b, key, s, "print('after', answered)")).isEqualTo("after kept\n");
        // A's call ends at its time limit, with nothing kept
        assertThat(stuck.get().statusCode()).isNotEqualTo(200);
        assertThat(out(b, key, s, "print(answered)")).isEqualTo("kept\n");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void aDamagedStateIsRefusedWithoutNamingTheStore(String backend) throws Exception {
        AirlockServer a = node(backend, "node-a");
        AirlockServer b = node(backend, "node-b");
        String key = tenantKey(a, "acme", "{}");
        String s = open(a, key);
        assertThat(out(a, key, s, "z = 5")).isEmpty();
        update(backend, "UPDATE state_chunks SET data = ?", new byte[] {1, 2, 3});
        // B has never seen the session: it must load every chunk, and none is sound
        HttpResponse<String> r = exec(b, key, s, "print(z)");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
        assertThat(r.body())
                .contains("cannot load session " + s)
                .doesNotContain("jdbc")
                .doesNotContain("Exception")
                .doesNotContain("dev.airlock")
                .doesNotContain("is damaged");
        // A's own copy is current: it goes on
        assertThat(out(a, key, s, "print(z)")).isEqualTo("5\n");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void idleSessionsExpireOnEveryNode(String backend) throws Exception {
        Moving clockB = new Moving();
        AirlockServer a = node(backend, "node-a");
        AirlockServer b = node(backend, "node-b", clockB);
        String key = tenantKey(a, "acme", "{}");
        String s = open(a, key);
        assertThat(out(a, key, s, "y = 1")).isEmpty();
        assertThat(b.service().expireIdleSessions()).isZero();
        clockB.ahead = Duration.ofMinutes(11); // past the default idle timeout of ten minutes
        assertThat(b.service().expireIdleSessions()).isEqualTo(1);
        assertThat(exec(a, key, s, "print(y)").statusCode()).isEqualTo(404);
        assertThat(send(a, "GET", "/v1/sessions", key, null).body()).doesNotContain(s);
    }
}
