package dev.airlock.server;

import static dev.airlock.server.ServerKit.json;
import static dev.airlock.server.ServerKit.str;
import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.wabt.Wat2Wasm;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code POST /v1/executions} in each language, with files, limits, runs and their audit. */
class ExecutionApiTest {
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

    @Test
    void pythonPrints() throws Exception {
        HttpResponse<String> r =
                kit.post(
                        "/v1/executions", key, "{\"language\":\"python\",\"code\":\"print(6*7)\"}");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode j = json(r);
        assertThat(j.get("status").asText()).isEqualTo("ok");
        assertThat(j.get("exitCode").asInt()).isZero();
        assertThat(j.get("stdout").asText()).isEqualTo("42\n");
        assertThat(j.get("runId").asText()).isNotBlank();
        assertThat(j.get("usage").get("wallMillis").isNumber()).isTrue();
    }

    @Test
    void javascriptPrintsAndUncaughtIsExitOne() throws Exception {
        JsonNode ok =
                json(
                        kit.post(
                                "/v1/executions",
                                key,
                                "{\"language\":\"javascript\",\"code\":\"console.log([1,2])\"}"));
        assertThat(ok.get("stdout").asText()).isEqualTo("[ 1, 2 ]\n");
        JsonNode bad =
                json(
                        kit.post(
                                "/v1/executions",
                                key,
                                "{\"language\":\"javascript\",\"code\":\"throw new Error('x')\"}"));
        assertThat(bad.get("status").asText()).isEqualTo("exit");
        assertThat(bad.get("exitCode").asInt()).isEqualTo(1);
        assertThat(bad.get("stderr").asText()).contains("Error: x");
    }

    @Test
    void pythonReadsGivenFilesAndReturnsChangedOnes() throws Exception {
        String code =
                "data = open('/workspace/in.txt').read()\n"
                        + "open('/workspace/out/result.txt','w').write(data.upper()) if __import__('os').makedirs('/workspace/out', exist_ok=True) is None else None\n"
                        + "open('/workspace/blob.bin','wb').write(bytes([0,255,1]))\n";
        String body =
                "{\"language\":\"python\",\"code\":"
                        + str(code)
                        + ",\"files\":{\"in.txt\":\"hello\",\"same.txt\":{\"base64\":\""
                        + Base64.getEncoder().encodeToString("kept".getBytes())
                        + "\"}}}";
        JsonNode j = json(kit.post("/v1/executions", key, body));
        assertThat(j.get("status").asText()).as(j.toString()).isEqualTo("ok");
        JsonNode files = j.get("files");
        assertThat(files.get("/workspace/out/result.txt").asText()).isEqualTo("HELLO");
        assertThat(files.get("/workspace/blob.bin").get("base64").asText())
                .isEqualTo(Base64.getEncoder().encodeToString(new byte[] {0, (byte) 255, 1}));
        assertThat(files.has("/workspace/in.txt")).isFalse();
        assertThat(files.has("/workspace/same.txt")).isFalse();
    }

    @Test
    void timeLimitIsALimitOutcome() throws Exception {
        JsonNode j =
                json(
                        kit.post(
                                "/v1/executions",
                                key,
                                "{\"language\":\"python\",\"code\":\"while True: pass\","
                                        + "\"limits\":{\"timeoutMs\":300}}"));
        assertThat(j.get("status").asText()).isEqualTo("limit");
        assertThat(j.get("kind").asText()).isEqualTo("time");
    }

    @Test
    void envReachesTheGuest() throws Exception {
        JsonNode j =
                json(
                        kit.post(
                                "/v1/executions",
                                key,
                                "{\"language\":\"python\",\"code\":\"import os; print(os.environ.get('GREETING'))\","
                                        + "\"env\":{\"GREETING\":\"hi\"}}"));
        assertThat(j.get("stdout").asText()).isEqualTo("hi\n");
    }

    static final String ECHO_ARGS =
            "(module (import \"wasi_snapshot_preview1\" \"fd_write\""
                    + " (func $w (param i32 i32 i32 i32) (result i32)))"
                    + " (import \"wasi_snapshot_preview1\" \"args_sizes_get\""
                    + " (func $s (param i32 i32) (result i32)))"
                    + " (memory (export \"memory\") 1)"
                    + " (data (i32.const 16) \"wasm!\\n\")"
                    + " (func (export \"_start\")"
                    + "  (i32.store (i32.const 0) (i32.const 16)) (i32.store (i32.const 4) (i32.const 6))"
                    + "  (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))";

    static String module(String wat) {
        return Base64.getEncoder().encodeToString(Wat2Wasm.parse(wat));
    }

    @Test
    void wasmRunsWithFuel() throws Exception {
        JsonNode j =
                json(
                        kit.post(
                                "/v1/executions",
                                key,
                                "{\"language\":\"wasm\",\"module\":\""
                                        + module(ECHO_ARGS)
                                        + "\",\"args\":[\"a\"],\"limits\":{\"fuel\":100000}}"));
        assertThat(j.get("status").asText()).as(j.toString()).isEqualTo("ok");
        assertThat(j.get("stdout").asText()).isEqualTo("wasm!\n");
        assertThat(j.get("usage").get("fuel").asLong()).isPositive();
        JsonNode run = json(kit.get("/v1/runs/" + j.get("runId").asText(), key));
        assertThat(run.get("language").asText()).isEqualTo("wasm");
    }

    @Test
    void garbageModuleIsRejectedOutcome() throws Exception {
        JsonNode j =
                json(
                        kit.post(
                                "/v1/executions",
                                key,
                                "{\"language\":\"wasm\",\"module\":\""
                                        + Base64.getEncoder().encodeToString("not wasm".getBytes())
                                        + "\"}"));
        assertThat(j.get("status").asText()).isEqualTo("rejected");
        assertThat(j.get("kind").asText()).isEqualTo("malformed");
        HttpResponse<String> audit = kit.get("/v1/runs/" + j.get("runId").asText() + "/audit", key);
        assertThat(audit.statusCode()).isEqualTo(200);
        assertThat(audit.body()).contains("module_rejected").contains("malformed");
    }

    @Test
    void runIsRecordedWithItsAuditTrail() throws Exception {
        JsonNode j =
                json(
                        kit.post(
                                "/v1/executions",
                                key,
                                "{\"language\":\"python\",\"code\":\"open('/etc/passwd')\"}"));
        assertThat(j.get("status").asText()).isEqualTo("exit");
        String runId = j.get("runId").asText();
        HttpResponse<String> run = kit.get("/v1/runs/" + runId, key);
        assertThat(run.statusCode()).isEqualTo(200);
        assertThat(json(run).get("status").asText()).isEqualTo("exit");
        assertThat(json(run).get("language").asText()).isEqualTo("python");
        HttpResponse<String> audit = kit.get("/v1/runs/" + runId + "/audit", key);
        assertThat(audit.statusCode()).isEqualTo(200);
        assertThat(audit.headers().firstValue("Content-Type").orElse(""))
                .startsWith("application/x-ndjson");
        assertThat(audit.body().lines()).isNotEmpty().allMatch(l -> l.contains(runId));
        assertThat(audit.body()).contains("path_open");
    }

    @Test
    void aRunWithEnvironmentIsNamedAfterTheCallThatRanTheCode() throws Exception {
        // with env, the interpreter first calls its driver to set it: that call is not the run
        JsonNode j =
                json(
                        kit.post(
                                "/v1/executions",
                                key,
                                "{\"language\":\"python\",\"env\":{\"GREETING\":\"hi\"},"
                                        + "\"code\":\"import os\\nprint(os.environ['GREETING'])"
                                        + "\\nopen('/etc/passwd')\"}"));
        assertThat(j.get("stdout").asText()).isEqualTo("hi\n");
        String runId = j.get("runId").asText();
        HttpResponse<String> audit = kit.get("/v1/runs/" + runId + "/audit", key);
        assertThat(audit.statusCode()).isEqualTo(200);
        assertThat(audit.body().lines()).isNotEmpty().allMatch(l -> l.contains(runId));
        // the code's denied open and the outcome belong to the recorded run
        assertThat(audit.body()).contains("path_open").contains("\"outcome\"");
    }
}
