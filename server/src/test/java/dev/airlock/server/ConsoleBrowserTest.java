package dev.airlock.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.airlock.audit.store.Store;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in a real browser: headless Chromium driven by chromedriver (Debian's {@code
 * chromium} and {@code chromium-driver}; skipped when either is missing), against a real server.
 * Screenshots of the main pages go to {@code target/console-screenshots/}.
 */
class ConsoleBrowserTest {
    /** Generous, for a loaded machine; each wait ends as soon as its condition holds. */
    private static final Duration WAIT = Duration.ofSeconds(120);

    static ServerKit kit;
    static String key;
    static ChromeDriver driver;
    static WebDriverWait wait;
    static String base;
    static Path shots;

    @BeforeAll
    static void start() throws Exception {
        if (!Chromium.installed()) {
            return; // each test is then skipped, saying why
        }
        kit = ServerKit.start();
        key = kit.key("acme");
        base = kit.uri("/").toString();
        warmUp();
        driver = Chromium.start();
        wait = new WebDriverWait(driver, WAIT);
        shots = Path.of(System.getProperty("basedir", "."), "target", "console-screenshots");
        Files.createDirectories(shots);
    }

    /**
     * Starts the server's Python interpreter through the API before the browser is used (a cold
     * start compiles it: minutes on a loaded machine), so that the waits below wait for the page.
     */
    private static void warmUp() throws Exception {
        HttpRequest r =
                HttpRequest.newBuilder(kit.uri("/v1/executions"))
                        .timeout(Duration.ofMinutes(10))
                        .header("Authorization", "Bearer " + key)
                        .header("Content-Type", "application/json")
                        .POST(
                                HttpRequest.BodyPublishers.ofString(
                                        "{\"language\":\"python\",\"code\":\"pass\","
                                                + "\"limits\":{\"timeoutMs\":60000}}"))
                        .build();
        HttpResponse<String> res = kit.http.send(r, HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    }

    @BeforeEach
    void needsTheBrowser() {
        assumeTrue(
                driver != null,
                "chromium and chromedriver are not installed (apt-get install chromium"
                        + " chromium-driver): the console's browser tests are skipped");
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

    @Test
    void aKeyLogsInAndPythonPrints42() throws Exception {
        login(key);
        WebElement result = run("print(6*7)");
        assertThat(result.findElement(By.cssSelector("pre.output")).getText()).isEqualTo("42");
        assertThat(result.findElement(By.id("status")).getText()).isEqualTo("ok");
        // the output came as server-sent stdout events (the JSON answer has no such parts)
        assertThat(result.findElements(By.cssSelector("pre.output span.stdout"))).isNotEmpty();
        // the key is in the tab's storage, never in the address
        assertThat(driver.getCurrentUrl()).doesNotContain(key);
        assertThat(js("return sessionStorage.getItem('airlock.key')")).isEqualTo(key);
        assertThat(js("return localStorage.getItem('airlock.key')")).isNull();
        // not an admin key: no tenants page in the navigation, and the page says why
        assertThat(driver.findElement(By.id("nav-admin")).isDisplayed()).isFalse();
        shot("run");
        driver.get(base + "#/admin");
        assertThat(
                        wait.until(
                                        ExpectedConditions.visibilityOfElementLocated(
                                                By.cssSelector("main .notice")))
                                .getText())
                .contains("not an admin key");
    }

    @Test
    void anAdminKeySeesTenantsAndKeys() throws Exception {
        String admin;
        try (Store store = Store.open(kit.data)) {
            admin = store.apiKeys().create("acme", true, "console admin").secret();
        }
        login(admin);
        wait.until(ExpectedConditions.elementToBeClickable(By.id("nav-admin"))).click();
        WebElement tables =
                wait.until(
                        ExpectedConditions.visibilityOfElementLocated(
                                By.cssSelector("main table")));
        assertThat(tables.getText()).contains("acme");
        assertThat(driver.findElement(By.tagName("main")).getText()).contains("console admin");
        driver.findElement(By.id("verify-audit")).click();
        WebElement verified =
                wait.until(
                        ExpectedConditions.visibilityOfElementLocated(
                                By.cssSelector("#verification table")));
        assertThat(driver.findElement(By.id("verification")).getText()).startsWith("Intact");
        assertThat(verified.getText()).contains("Sealed up to");
        shot("admin");
    }

    @Test
    void anAdminChangesATenantsLimits() throws Exception {
        String admin;
        try (Store store = Store.open(kit.data)) {
            admin = store.apiKeys().create("acme", true, "limits admin").secret();
        }
        login(admin);
        wait.until(ExpectedConditions.elementToBeClickable(By.id("nav-admin"))).click();
        new Select(wait.until(ExpectedConditions.elementToBeClickable(By.id("limits-tenant"))))
                .selectByValue("acme");
        driver.findElement(By.id("limits-rate")).sendKeys("77");
        driver.findElement(By.id("save-limits")).click();
        wait.until(
                ExpectedConditions.textToBePresentInElementLocated(
                        By.id("limits-result"), "Limits of acme saved."));
        // the tenants table shows it, and the API holds it
        WebElement row = driver.findElement(By.xpath("//tr[td[.='acme']]"));
        assertThat(row.getText()).contains("77");
        assertThat(kit.get("/v1/admin/tenants", admin).body()).contains("\"maxRunsPerMinute\":77");
        // a value the API refuses is shown as its error, and nothing changes
        new Select(driver.findElement(By.id("limits-tenant"))).selectByValue("acme");
        driver.findElement(By.id("limits-concurrent")).sendKeys("0");
        driver.findElement(By.id("save-limits")).click();
        wait.until(
                ExpectedConditions.visibilityOfElementLocated(
                        By.cssSelector("#limits-result .error")));
        assertThat(kit.get("/v1/admin/tenants", admin).body()).contains("\"maxRunsPerMinute\":77");
        // restore the ceiling the other tests expect
        assertThat(
                        kit.send(
                                        "PUT",
                                        "/v1/admin/tenants/acme",
                                        admin,
                                        "{\"maxRunsPerMinute\":600}")
                                .statusCode())
                .isEqualTo(200);
    }

    @Test
    void anAdminCreatesAKeyForANewTenantAndRevokesIt() throws Exception {
        String admin;
        try (Store store = Store.open(kit.data)) {
            admin = store.apiKeys().create("acme", true, "keys admin").secret();
        }
        login(admin);
        wait.until(ExpectedConditions.elementToBeClickable(By.id("nav-admin"))).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("new-key-tenant")))
                .sendKeys("fresh-team");
        driver.findElement(By.id("new-key-label")).sendKeys("ci bot");
        driver.findElement(By.id("create-key")).click();
        WebElement secret =
                wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("new-key-secret")));
        String newKey = secret.getText().trim();
        assertThat(newKey).isNotBlank();
        // the new tenant and key are listed; the secret is not stored anywhere in the page state
        assertThat(driver.findElement(By.tagName("main")).getText())
                .contains("fresh-team", "ci bot");
        assertThat((String) js("return JSON.stringify(sessionStorage)")).doesNotContain(newKey);
        // the new key works
        HttpResponse<String> ok = kit.get("/v1/sessions", newKey);
        assertThat(ok.statusCode()).isEqualTo(200);
        // revoke it from its row
        WebElement row = driver.findElement(By.xpath("//tr[td[contains(., 'ci bot')]]"));
        row.findElement(By.cssSelector("button.revoke")).click();
        driver.switchTo().alert().accept();
        // the page is drawn again: look the row up afresh until its button is gone
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(
                        d ->
                                !d.findElement(By.xpath("//tr[td[contains(., 'ci bot')]]"))
                                        .getText()
                                        .contains("Revoke"));
        assertThat(kit.get("/v1/sessions", newKey).statusCode()).isEqualTo(401);
    }

    @Test
    void environmentVariablesAreGrantedFromTheForm() throws Exception {
        login(key);
        driver.get(base + "#/run");
        WebElement box = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("code")));
        box.clear();
        box.sendKeys("import os; print(os.environ.get('GREETING'), os.environ.get('HOME'))");
        driver.findElement(By.id("env")).sendKeys("GREETING=hello from the form");
        driver.findElement(By.id("run")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#result .outcome")));
        // only what the form granted: HOME is not there
        assertThat(driver.findElement(By.id("result")).getText())
                .contains("hello from the form None");
        driver.findElement(By.id("env")).clear();
        driver.findElement(By.id("env")).sendKeys("not a variable");
        driver.findElement(By.id("run")).click();
        wait.until(
                ExpectedConditions.textToBePresentInElementLocated(
                        By.id("result"), "Environment variables are NAME=value"));
    }

    @Test
    void aWasmModuleRunsWithArgumentsAndFuel() throws Exception {
        login(key);
        driver.get(base + "#/run");
        new Select(wait.until(ExpectedConditions.elementToBeClickable(By.id("language"))))
                .selectByValue("wasm");
        Path hello = Path.of(System.getProperty("basedir", "."), "..", "examples", "hello.wasm");
        driver.findElement(By.id("module")).sendKeys(hello.toAbsolutePath().normalize().toString());
        driver.findElement(By.id("args")).sendKeys("one two");
        driver.findElement(By.id("fuel")).sendKeys("1000000");
        assertThat(driver.findElement(By.id("code")).isDisplayed()).isFalse();
        driver.findElement(By.id("run")).click();
        WebElement result =
                wait.until(
                        ExpectedConditions.visibilityOfElementLocated(
                                By.cssSelector("#result .outcome")));
        assertThat(driver.findElement(By.cssSelector("#result pre.output")).getText())
                .startsWith("Hello from inside Airlock!")
                .contains("one\ntwo");
        assertThat(result.findElement(By.id("status")).getText()).isEqualTo("ok");
        // metered: the fuel it burnt is shown
        assertThat(
                        result.findElement(
                                        By.xpath(
                                                ".//dl[@class='usage']/dt[.='Fuel']"
                                                        + "/following-sibling::dd[1]"))
                                .getText())
                .matches("[1-9][0-9,]*");
    }

    @Test
    void aLimitAboveTheTenantsCeilingIsShownAsTheApisError() throws Exception {
        login(key);
        driver.get(base + "#/run");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("timeout")))
                .sendKeys("99999999");
        driver.findElement(By.id("run")).click();
        WebElement error =
                wait.until(
                        ExpectedConditions.visibilityOfElementLocated(
                                By.cssSelector("#result .notice.error")));
        assertThat(error.getAttribute("role")).isEqualTo("alert");
        assertThat(error.getText()).contains("timeout").doesNotContain("Exception");
        assertThat(driver.findElements(By.cssSelector("#result .outcome"))).isEmpty();
    }

    @Test
    void theThemeToggles() throws Exception {
        login(key);
        String light = String.valueOf(js("return getComputedStyle(document.body).backgroundColor"));
        WebElement toggle = driver.findElement(By.id("theme"));
        String pressed = toggle.getAttribute("aria-pressed");
        toggle.click();
        assertThat(toggle.getAttribute("aria-pressed")).isNotEqualTo(pressed);
        assertThat(js("return getComputedStyle(document.body).backgroundColor"))
                .isNotEqualTo(light);
        assertThat(js("return localStorage.getItem('airlock.theme')")).isIn("dark", "light");
        driver.get(base + "#/runs");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("runs-list")));
        shot("runs-toggled-theme");
        toggle = driver.findElement(By.id("theme"));
        toggle.click();
        assertThat(toggle.getAttribute("aria-pressed")).isEqualTo(pressed);
    }

    @Test
    void aWrongKeyShowsAnError() throws Exception {
        logout();
        driver.findElement(By.id("key")).sendKeys("not-a-key-0123456789");
        driver.findElement(By.cssSelector("#login button[type=submit]")).click();
        WebElement error =
                wait.until(
                        ExpectedConditions.visibilityOfElementLocated(
                                By.cssSelector("#login-status .notice.error")));
        assertThat(error.getText()).contains("401");
        assertThat(error.getAttribute("role")).isEqualTo("alert");
        assertThat(driver.findElement(By.id("nav")).isDisplayed()).isFalse();
        assertThat(js("return sessionStorage.getItem('airlock.key')")).isNull();
        shot("login-error");
    }

    @Test
    void aDeniedOpenIsHighlightedWithItsRuleInTheTimeline() throws Exception {
        login(key);
        WebElement result =
                run(
                        "print('start')\ntry:\n    open('/etc/passwd')\nexcept OSError:\n"
                                + "    print('refused')");
        assertThat(result.findElement(By.cssSelector("pre.output")).getText())
                .isEqualTo("start\nrefused");
        assertThat(
                        result.findElement(By.cssSelector(".denials li.denied"))
                                .getAttribute("data-rule"))
                .isEqualTo("fs.outside-mount");
        result.findElement(By.id("run-link")).click();
        WebElement denied =
                wait.until(
                        ExpectedConditions.visibilityOfElementLocated(
                                By.cssSelector("#timeline li.denied")));
        assertThat(denied.getAttribute("data-rule")).isEqualTo("fs.outside-mount");
        assertThat(denied.getAttribute("data-call")).isEqualTo("wasi_snapshot_preview1.path_open");
        assertThat(denied.getText()).contains("denied by fs.outside-mount").contains("etc/passwd");
        // highlighted: it does not look like an allowed call
        WebElement allowed = driver.findElement(By.cssSelector("#timeline li.call:not(.denied)"));
        assertThat(denied.getCssValue("background-color"))
                .isNotEqualTo(allowed.getCssValue("background-color"));
        assertThat(driver.findElements(By.cssSelector("#timeline li.denied"))).hasSize(1);
        // allowed calls of one function in a row are one entry with a count
        assertThat(driver.findElements(By.cssSelector("#timeline li.call .count"))).isNotEmpty();
        assertThat(driver.findElement(By.id("chain")).getText())
                .contains("in chain order")
                .contains("the outcome is sealed");
        shot("audit");
        // the run is listed, and the status filter keeps it
        driver.get(base + "#/runs");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#runs-list tr")));
        new Select(driver.findElement(By.id("filter-status"))).selectByValue("ok");
        driver.findElement(By.id("filter-denied")).click();
        List<WebElement> rows = driver.findElements(By.cssSelector("#runs-list tbody tr"));
        assertThat(rows).isNotEmpty();
        assertThat(rows)
                .allSatisfy(r -> assertThat(r.getText()).contains("ok"))
                .anySatisfy(r -> assertThat(r.getAttribute("data-run")).isNotEmpty());
        // the runs are Python's: the language filter keeps them, and keeps none for JavaScript
        new Select(driver.findElement(By.id("filter-language"))).selectByValue("python");
        assertThat(driver.findElements(By.cssSelector("#runs-list tbody tr")))
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r.getText()).contains("python"));
        new Select(driver.findElement(By.id("filter-language"))).selectByValue("javascript");
        assertThat(driver.findElement(By.id("runs-list")).getText()).contains("No runs match.");
        new Select(driver.findElement(By.id("filter-language"))).selectByValue("");
        assertThat(driver.findElement(By.id("chart-duration")).findElements(By.tagName("rect")))
                .isNotEmpty();
        shot("runs");
    }

    @Test
    void aSessionSnapshotIsRestored() throws Exception {
        login(key);
        driver.get(base + "#/sessions");
        wait.until(ExpectedConditions.elementToBeClickable(By.id("open-session"))).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("cell-code")));
        cell("x = 1");
        driver.findElement(By.id("snapshot")).click();
        wait.until(
                ExpectedConditions.textToBePresentInElementLocated(
                        By.id("session-status"), "taken"));
        cell("x = 2");
        assertThat(cell("print(x)")).isEqualTo("2");
        driver.findElement(By.id("restore")).click();
        wait.until(
                ExpectedConditions.textToBePresentInElementLocated(
                        By.id("session-status"), "Restored"));
        assertThat(cell("print(x)")).isEqualTo("1");
        // a file up, listed, and read by the next cell
        Path up = Files.createTempFile("console-upload", ".txt");
        try {
            Files.writeString(up, "uploaded <b>text</b>");
            driver.findElement(By.id("upload-file")).sendKeys(up.toString());
            driver.findElement(By.id("upload-path")).sendKeys("data/in.txt");
            driver.findElement(By.cssSelector("#upload-form button")).click();
            wait.until(
                    ExpectedConditions.textToBePresentInElementLocated(
                            By.id("files"), "/workspace/data/in.txt"));
        } finally {
            Files.delete(up);
        }
        assertThat(cell("print(open('/workspace/data/in.txt').read())"))
                .isEqualTo("uploaded <b>text</b>");
        shot("session");
        // a fork is a new session with the same state
        String first = driver.findElement(By.cssSelector("main h1 code")).getText();
        driver.findElement(By.id("fork")).click();
        wait.until(
                ExpectedConditions.not(
                        ExpectedConditions.textToBe(By.cssSelector("main h1 code"), first)));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("cell-code")));
        assertThat(cell("print(x)")).isEqualTo("1");
        driver.findElement(By.id("close-session")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("new-session")));
        driver.get(base + "#/sessions/" + first);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("close-session")));
        driver.findElement(By.id("close-session")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("new-session")));
    }

    @Test
    void guestOutputThatLooksLikeHtmlIsShownAsText() throws Exception {
        login(key);
        String hostile = "<img src=x onerror=\"document.title='pwned'\"><b>bold</b>";
        WebElement result = run("print(" + pyString(hostile) + ")");
        assertThat(result.findElement(By.cssSelector("pre.output")).getText()).isEqualTo(hostile);
        assertThat(result.findElements(By.tagName("img"))).isEmpty();
        assertThat(result.findElements(By.tagName("b"))).isEmpty();
        assertThat(driver.getTitle()).isEqualTo("Airlock console");
    }

    @Test
    void thePhoneViewportHasNoHorizontalScroll() throws Exception {
        login(key);
        try {
            driver.manage().window().setSize(new Dimension(390, 844));
            driver.get(base + "#/run");
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("code")));
            assertNoHorizontalScroll();
            shot("phone-run");
            driver.get(base + "#/runs");
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("runs-list")));
            assertNoHorizontalScroll();
        } finally {
            driver.manage().window().setSize(new Dimension(1280, 900));
        }
    }

    private static void assertNoHorizontalScroll() {
        long scroll = ((Number) js("return document.scrollingElement.scrollWidth")).longValue();
        long inner = ((Number) js("return window.innerWidth")).longValue();
        assertThat(scroll).isLessThanOrEqualTo(inner);
    }

    /** Logs out, then in with this key, and waits for the run page. */
    private static void login(String k) {
        logout();
        // from the keyboard: the field has the focus, Enter submits
        driver.switchTo().activeElement().sendKeys(k, Keys.ENTER);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("code")));
    }

    private static void logout() {
        driver.get(base + "#/login");
        js("sessionStorage.clear()");
        driver.navigate().refresh();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("key")));
    }

    /** Runs Python code on the run page and waits for its outcome. */
    private static WebElement run(String code) {
        driver.get(base + "#/run");
        WebElement box = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("code")));
        box.clear();
        box.sendKeys(code);
        driver.findElement(By.id("run")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#result .outcome")));
        return driver.findElement(By.id("result"));
    }

    /** Runs a session cell and answers its output. */
    private static String cell(String code) {
        int before = driver.findElements(By.cssSelector("#cells .outcome")).size();
        WebElement box = driver.findElement(By.id("cell-code"));
        box.clear();
        box.sendKeys(code);
        driver.findElement(By.id("run-cell")).click();
        wait.until(
                ExpectedConditions.numberOfElementsToBe(
                        By.cssSelector("#cells .outcome"), before + 1));
        List<WebElement> outs = driver.findElements(By.cssSelector("#cells pre.output"));
        return outs.get(outs.size() - 1).getText();
    }

    private static Object js(String script) {
        return ((JavascriptExecutor) driver).executeScript(script);
    }

    private static void shot(String name) throws IOException {
        js("window.scrollTo(0, 0)");
        byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
        Files.write(shots.resolve(name + ".png"), png);
    }

    private static String pyString(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
