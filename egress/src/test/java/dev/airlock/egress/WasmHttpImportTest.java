package dev.airlock.egress;

import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.wabt.Wat2Wasm;
import dev.airlock.core.Airlock;
import dev.airlock.core.Denial;
import dev.airlock.core.Outcome;
import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import dev.airlock.core.Stdio;
import dev.airlock.core.event.Event;
import dev.airlock.core.event.HostCallEvent;
import dev.airlock.core.net.Egress;
import dev.airlock.core.net.HttpImport;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The airlock_http host import of plain modules, against a local server. */
class WasmHttpImportTest {
    private static final Airlock AIRLOCK = Airlock.builder().compile(false).build();
    private final LocalServer a = new LocalServer();
    private final List<Event> events = new ArrayList<>();

    @AfterEach
    void stop() {
        a.close();
    }

    /** A module that sends {@code wire} and prints the answer. */
    private static byte[] module(String wire) {
        StringBuilder data = new StringBuilder();
        for (byte b : wire.getBytes(StandardCharsets.UTF_8)) {
            data.append(String.format("\\%02x", b & 0xff));
        }
        return Wat2Wasm.parse(
                "(module\n"
                        + " (import \"airlock_http\" \"request\" (func $req (param i32 i32) (result i32)))\n"
                        + " (import \"airlock_http\" \"answer\" (func $ans (param i32 i32) (result i32)))\n"
                        + " (import \"wasi_snapshot_preview1\" \"fd_write\""
                        + "   (func $w (param i32 i32 i32 i32) (result i32)))\n"
                        + " (memory (export \"memory\") 4)\n"
                        + " (data (i32.const 1024) \""
                        + data
                        + "\")\n"
                        + " (func (export \"_start\") (local $n i32)\n"
                        + "  (local.set $n (call $req (i32.const 1024) (i32.const "
                        + wire.getBytes(StandardCharsets.UTF_8).length
                        + ")))\n"
                        + "  (local.set $n (call $ans (i32.const 16384) (local.get $n)))\n"
                        + "  (i32.store (i32.const 0) (i32.const 16384))\n"
                        + "  (i32.store (i32.const 4) (local.get $n))\n"
                        + "  (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 16)))))");
    }

    private Outcome run(Policy policy, String wire, ByteArrayOutputStream out) throws Exception {
        return AIRLOCK.run(
                AIRLOCK.load(module(wire)), policy, Stdio.of(out, System.err), events::add);
    }

    @Test
    void aModuleFetchesAnAllowedUrl() throws Exception {
        Egress e =
                Egress.builder()
                        .allow("GET " + a.url("/json"))
                        .transport(new ApacheTransport())
                        .build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Outcome o =
                run(
                        HttpImport.grant(Policy.builder(), e).build(),
                        "GET " + a.url("/json") + "\n\n",
                        out);
        assertThat(o.status()).isEqualTo(Status.OK);
        String answer = out.toString(StandardCharsets.UTF_8);
        assertThat(answer).startsWith("{\"ok\":true,\"result\":{\"status\":200,\"reason\":\"OK\"");
        String body = answer.replaceAll(".*\"body\":\"([^\"]*)\".*", "$1");
        assertThat(new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8))
                .isEqualTo("{\"hello\": \"world\", \"n\": 42}");
        assertThat(events)
                .filteredOn(
                        ev ->
                                ev instanceof HostCallEvent h
                                        && h.call().equals("airlock_http.request"))
                .singleElement()
                .satisfies(
                        ev -> assertThat(((HostCallEvent) ev).args()).containsEntry("status", 200));
    }

    @Test
    void aRefusedRequestAnswersTheRuleAndIsADenial() throws Exception {
        Egress e =
                Egress.builder()
                        .allow("GET " + a.url("/json"))
                        .transport(new ApacheTransport())
                        .build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Outcome o =
                run(
                        HttpImport.grant(Policy.builder(), e).build(),
                        "DELETE " + a.url("/json") + "\n\n",
                        out);
        assertThat(o.status()).isEqualTo(Status.OK);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .startsWith("{\"ok\":false,\"error\":\"network request denied (net.no-rule)")
                .endsWith("\"rule\":\"net.no-rule\"}");
        assertThat(o.denials()).extracting(Denial::rule).containsExactly("net.no-rule");
        assertThat(a.seenHeaders).isEmpty();
    }

    @Test
    void withoutTheGrantTheModuleIsRejected() throws Exception {
        Outcome o =
                run(
                        Policy.defaults(),
                        "GET " + a.url("/json") + "\n\n",
                        new ByteArrayOutputStream());
        assertThat(o.status()).isEqualTo(Status.REJECTED);
        assertThat(o.message()).contains("airlock_http");
    }
}
