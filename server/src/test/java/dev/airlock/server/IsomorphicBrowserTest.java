package dev.airlock.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.core.ModuleSource;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The same module and policy in the browser and on the server: each test module runs through {@code
 * POST /v1/executions} and, in headless Chromium, through {@code /web/airlock-web.js} after {@code
 * POST /v1/executions/portable}; both must give the same status, exit code, output, host calls,
 * changed files and fuel. Skipped when Chromium or chromedriver is missing.
 */
class IsomorphicBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long FUEL = 50_000_000;

    static ServerKit kit;
    static String key;
    static ChromeDriver driver;

    @BeforeAll
    static void start() throws Exception {
        if (!Chromium.installed()) {
            return;
        }
        kit = ServerKit.start();
        key = kit.key("iso");
        driver = Chromium.start();
        driver.manage().timeouts().scriptTimeout(WAIT);
        driver.get(kit.uri("/").toString()); // the console's origin: its CSP applies
    }

    @BeforeEach
    void needsTheBrowser() {
        assumeTrue(
                driver != null,
                "chromium and chromedriver are not installed (apt-get install chromium"
                        + " chromium-driver): the browser runs are not checked");
    }

    @AfterAll
    static void stop() throws Exception {
        if (driver != null) {
            driver.quit();
        }
        if (kit != null) {
            kit.close();
        }
    }

    private static String module(String name) throws Exception {
        byte[] bytes;
        if (name.endsWith(".wasm")) {
            bytes = Files.readAllBytes(examples().resolve(name));
        } else {
            try (InputStream in =
                    IsomorphicBrowserTest.class.getResourceAsStream("browser/" + name)) {
                bytes = ModuleSource.toBinary(in.readAllBytes());
            }
        }
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static Path examples() {
        return Path.of(System.getProperty("basedir", "."), "..", "examples")
                .toAbsolutePath()
                .normalize();
    }

    private static ObjectNode request(String module) throws Exception {
        ObjectNode r = JSON.createObjectNode();
        r.put("language", "wasm");
        r.put("module", module(module));
        r.putObject("limits").put("fuel", FUEL).put("timeoutMs", 60_000);
        return r;
    }

    private static JsonNode onTheServer(ObjectNode request) throws Exception {
        HttpRequest r =
                HttpRequest.newBuilder(kit.uri("/v1/executions"))
                        .timeout(WAIT)
                        .header("Authorization", "Bearer " + key)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(request.toString()))
                        .build();
        HttpResponse<String> res = kit.http.send(r, HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        return JSON.readTree(res.body());
    }

    private static JsonNode inTheBrowser(ObjectNode request) throws Exception {
        Object answer =
                ((JavascriptExecutor) driver)
                        .executeAsyncScript(
                                "const done = arguments[arguments.length - 1];"
                                        + " const key = arguments[0], body = arguments[1];"
                                        + " import('/web/airlock-web.js').then(async (w) => {"
                                        + "   try {"
                                        + "     const plan = await w.prepare('', key,"
                                        + "         JSON.parse(body));"
                                        + "     done(JSON.stringify(await w.runInBrowser(plan)));"
                                        + "   } catch (e) { done(JSON.stringify({error:"
                                        + " String(e)})); }"
                                        + " });",
                                key,
                                request.toString());
        JsonNode r = JSON.readTree((String) answer);
        assertThat(r.has("error")).as(String.valueOf(r.get("error"))).isFalse();
        assertThat(r.get("where").asText()).isEqualTo("browser");
        return r;
    }

    /** Runs the request on both sides; asserts that they agree and answers the server's result. */
    private static JsonNode bothAgree(ObjectNode request) throws Exception {
        JsonNode server = onTheServer(request);
        JsonNode browser = inTheBrowser(request);
        for (String field : new String[] {"status", "exitCode", "stdout", "stderr"}) {
            assertThat(value(browser.path(field)))
                    .as(field + " in the browser")
                    .isEqualTo(value(server.path(field)));
        }
        assertThat(browser.path("usage").path("fuel"))
                .as("fuel in the browser")
                .isEqualTo(server.path("usage").path("fuel"));
        assertThat(browser.path("usage").path("hostCalls"))
                .as("host calls in the browser")
                .isEqualTo(server.path("usage").path("hostCalls"));
        JsonNode files = server.path("files");
        assertThat(browser.path("files"))
                .as("files in the browser")
                .isEqualTo(files.isMissingNode() ? JSON.createObjectNode() : files);
        return server;
    }

    /** A field's value, absent and null alike (the API leaves out null fields). */
    private static JsonNode value(JsonNode n) {
        return n.isMissingNode() ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : n;
    }

    @Test
    void helloPrintsItsArgumentsWithTheSameFuel() throws Exception {
        ObjectNode r = request("hello.wasm");
        r.putArray("args").add("one").add("two");
        JsonNode server = bothAgree(r);
        assertThat(server.get("stdout").asText()).contains("one\ntwo");
        assertThat(server.get("usage").get("fuel").asLong()).isPositive();
    }

    @Test
    void aCountedLoopUsesTheSameFuelAndExitsWithItsCode() throws Exception {
        JsonNode server = bothAgree(request("loop.wat"));
        assertThat(server.get("status").asText()).isEqualTo("exit");
        assertThat(server.get("exitCode").asInt()).isEqualTo(7);
        assertThat(server.get("usage").get("fuel").asLong()).isGreaterThan(200_000);
    }

    @Test
    void aLoopOutOfFuelStopsAtTheSamePoint() throws Exception {
        ObjectNode r = request("loop.wat");
        ((ObjectNode) r.get("limits")).put("fuel", 100_000);
        JsonNode server = bothAgree(r);
        assertThat(server.get("status").asText()).isEqualTo("limit");
        assertThat(server.get("kind").asText()).isEqualTo("fuel");
    }

    @Test
    void theEnvironmentHoldsOnlyTheGrantedVariables() throws Exception {
        ObjectNode r = request("env.wat");
        r.putObject("env").put("GREETING", "hello").put("LANG", "C");
        JsonNode server = bothAgree(r);
        assertThat(server.get("stdout").asText()).isEqualTo("GREETING=hello\nLANG=C\n");
    }

    @Test
    void aGrantedFileIsWrittenUnderTheWorkspace() throws Exception {
        ObjectNode r = request("writer.wat");
        r.putObject("files").put("/workspace/seed.txt", "seeded\n");
        JsonNode server = bothAgree(r);
        assertThat(server.get("stdout").asText()).isEqualTo("wrote\n");
        assertThat(server.get("files").get("/workspace/out.txt").asText())
                .isEqualTo("written by the guest\n");
    }

    @Test
    void withoutFilesThereIsNoDirectoryToWriteTo() throws Exception {
        JsonNode server = bothAgree(request("writer.wat"));
        assertThat(server.get("stdout").asText()).isEqualTo("open failed\n");
    }

    @Test
    void anImportNobodyGrantsIsRefusedOnBothSides() throws Exception {
        JsonNode server = bothAgree(request("refused.wat"));
        assertThat(server.get("status").asText()).isEqualTo("rejected");
        // the browser library refuses it by itself too, without the server's verdict
        ObjectNode plan = JSON.createObjectNode();
        plan.put("module", module("refused.wat"));
        plan.putArray("argv").add("main.wasm");
        plan.putObject("limits")
                .put("timeoutMs", 10_000)
                .put("maxOutputBytes", 1 << 20)
                .put("memoryBytes", 64 << 20);
        plan.put("clock", "real").put("random", "real");
        Object answer =
                ((JavascriptExecutor) driver)
                        .executeAsyncScript(
                                "const done = arguments[arguments.length - 1];"
                                        + " import('/web/airlock-web.js').then(async (w) =>"
                                        + "   done(JSON.stringify(await w.runInBrowser("
                                        + "JSON.parse(arguments[0])))));",
                                plan.toString());
        JsonNode own = JSON.readTree((String) answer);
        assertThat(own.get("status").asText()).isEqualTo("rejected");
        assertThat(own.get("kind").asText()).isEqualTo("unknown-import");
        assertThat(own.get("message").asText()).contains("env.secret");
    }

    @Test
    void anEndlessLoopIsStoppedAtTheTimeLimit() throws Exception {
        String wat =
                "(module (memory (export \"memory\") 1)"
                        + " (func (export \"_start\") (loop $l (br $l))))";
        ObjectNode r = JSON.createObjectNode();
        r.put("language", "wasm");
        r.put("module", Base64.getEncoder().encodeToString(ModuleSource.toBinary(wat.getBytes())));
        r.putObject("limits").put("timeoutMs", 500);
        JsonNode browser = inTheBrowser(r);
        assertThat(browser.get("status").asText()).isEqualTo("limit");
        assertThat(browser.get("kind").asText()).isEqualTo("time");
    }

    private static ObjectNode javascript(String code) {
        ObjectNode r = JSON.createObjectNode();
        r.put("language", "javascript");
        r.put("code", code);
        r.putObject("limits").put("timeoutMs", 60_000);
        return r;
    }

    @Test
    void javascriptPrintsWhatTheServerPrints() throws Exception {
        ObjectNode r =
                javascript(
                        "const xs = [3, 1, 2].sort();\n"
                                + "console.log(xs.map((x) => x * 2).join(','),"
                                + " JSON.stringify({a: [1, {b: null}]}), typeof process.env);\n"
                                + "console.log(process.env.GREETING, Object.keys(process.env).length);\n"
                                + "class P { #x = 1; get x() { return this.#x; } }\n"
                                + "console.log(new P().x, [...'abc'].reverse().join(''), 2n ** 70n);");
        r.putObject("env").put("GREETING", "hi");
        JsonNode server = bothAgree(r);
        assertThat(server.get("stdout").asText())
                .isEqualTo(
                        "2,4,6 {\"a\":[1,{\"b\":null}]} object\nhi 1\n1 cba 1180591620717411303424n\n");
    }

    @Test
    void timersAndPromisesRunInTheSameOrder() throws Exception {
        ObjectNode r =
                javascript(
                        "setTimeout(() => console.log('timer'), 30);\n"
                                + "Promise.resolve().then(() => console.log('job'));\n"
                                + "console.log('now');");
        // output and status only: how often a timer's wait reads the clock depends on timing
        JsonNode server = onTheServer(r);
        JsonNode browser = inTheBrowser(r);
        assertThat(server.get("stdout").asText()).isEqualTo("now\njob\ntimer\n");
        assertThat(browser.get("stdout")).isEqualTo(server.get("stdout"));
        assertThat(browser.get("status")).isEqualTo(server.get("status"));
    }

    @Test
    void anUncaughtErrorAndProcessExitGiveTheSameStatus() throws Exception {
        JsonNode thrown = bothAgree(javascript("function f() { null.x; }\nf();"));
        assertThat(thrown.get("status").asText()).isEqualTo("exit");
        assertThat(thrown.get("exitCode").asInt()).isEqualTo(1);
        assertThat(thrown.get("stderr").asText()).contains("TypeError");
        JsonNode exited = bothAgree(javascript("console.log('bye'); process.exit(3);"));
        assertThat(exited.get("exitCode").asInt()).isEqualTo(3);
    }

    /** A C program of the WASI test suite (wasi-libc's start-up, stdio, preopens probing). */
    private static String wasiTestsuite(String name) throws Exception {
        Path zip =
                Path.of(System.getProperty("basedir", "."), "..", "testdata", "wasi-testsuite")
                        .resolve("wasi-testsuite.zip");
        try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(zip.toFile())) {
            java.util.zip.ZipEntry e = z.getEntry("tests/c/testsuite/wasm32-wasip1/" + name);
            try (InputStream in = z.getInputStream(e)) {
                return Base64.getEncoder().encodeToString(in.readAllBytes());
            }
        }
    }

    @Test
    void cProgramsOfTheWasiTestsuiteUseTheSameFuel() throws Exception {
        for (String name :
                new String[] {
                    "clock_getres-monotonic.wasm",
                    "clock_getres-realtime.wasm",
                    "clock_gettime-monotonic.wasm",
                    "clock_gettime-realtime.wasm",
                    "sock_shutdown-invalid_fd.wasm",
                    "sock_shutdown-not_sock.wasm",
                    "fopen-with-no-access.wasm"
                }) {
            ObjectNode r = JSON.createObjectNode();
            r.put("language", "wasm");
            r.put("module", wasiTestsuite(name));
            r.putObject("limits").put("fuel", FUEL).put("timeoutMs", 60_000);
            JsonNode server = bothAgree(r);
            assertThat(server.get("status").asText()).as(name).isEqualTo("ok");
        }
    }

    @Test
    void theRunPageRunsAModuleInThisBrowser() throws Exception {
        WebDriverWait wait = new WebDriverWait(driver, WAIT);
        driver.get(kit.uri("/#/login").toString());
        ((JavascriptExecutor) driver).executeScript("sessionStorage.clear()");
        driver.navigate().refresh();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("key")))
                .sendKeys(key, org.openqa.selenium.Keys.ENTER);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("code")));
        driver.get(kit.uri("/#/run").toString());
        new Select(wait.until(ExpectedConditions.elementToBeClickable(By.id("language"))))
                .selectByValue("wasm");
        driver.findElement(By.id("module")).sendKeys(examples().resolve("hello.wasm").toString());
        driver.findElement(By.id("args")).sendKeys("in the browser");
        driver.findElement(By.id("fuel")).sendKeys("1000000");
        driver.findElement(By.id("run-browser")).click();
        WebElement result =
                wait.until(
                        ExpectedConditions.visibilityOfElementLocated(
                                By.cssSelector("#result .outcome")));
        assertThat(driver.findElement(By.cssSelector("#result pre.output")).getText())
                .startsWith("Hello from inside Airlock!")
                .contains("in\nthe\nbrowser");
        assertThat(result.findElement(By.id("status")).getText()).isEqualTo("ok");
        assertThat(result.findElement(By.id("where")).getText()).isEqualTo("in this browser");
        Path shots = Path.of(System.getProperty("basedir", "."), "target", "console-screenshots");
        Files.createDirectories(shots);
        Files.write(
                shots.resolve("browser-run.png"),
                ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    }
}
