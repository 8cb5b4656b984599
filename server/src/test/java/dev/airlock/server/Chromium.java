package dev.airlock.server;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium for browser tests: the {@code chromium} and {@code chromedriver} found on the
 * {@code PATH} (Debian's {@code chromium} and {@code chromium-driver}), named explicitly so that
 * Selenium never looks for or downloads a driver.
 */
final class Chromium {
    /**
     * Kept: Selenium warns that it has no DevTools protocol bindings for this Chromium's version;
     * these tests use WebDriver only.
     */
    private static final java.util.logging.Logger CDP =
            java.util.logging.Logger.getLogger("org.openqa.selenium.devtools");

    private Chromium() {}

    /** Whether both the browser and its driver are installed. */
    static boolean installed() {
        return browser().isPresent() && driver().isPresent();
    }

    /** A new headless browser with a 1280x900 window. */
    static ChromeDriver start() {
        CDP.setLevel(java.util.logging.Level.SEVERE);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(browser().orElseThrow().toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--disable-gpu",
                "--window-size=1280,900",
                "--force-prefers-reduced-motion");
        ChromeDriverService service =
                new ChromeDriverService.Builder()
                        .usingDriverExecutable(driver().orElseThrow().toFile())
                        .usingAnyFreePort()
                        .build();
        return new ChromeDriver(service, options);
    }

    private static Optional<Path> browser() {
        return onPath("chromium", "chromium-browser");
    }

    private static Optional<Path> driver() {
        return onPath("chromedriver");
    }

    private static Optional<Path> onPath(String... names) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String name : names) {
            for (String dir : path.split(File.pathSeparator)) {
                if (dir.isEmpty()) {
                    continue;
                }
                Path p = Path.of(dir, name);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }
}
