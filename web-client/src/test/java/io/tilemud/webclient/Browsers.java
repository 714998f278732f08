package io.tilemud.webclient;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Headless Debian Chromium through its own chromedriver: paths are fixed so Selenium Manager never downloads a
 * browser or a driver. Without Chromium the browser tests skip loudly, except under CI=true where they fail.
 * Failing tests leave a screenshot of every open browser in target/screenshots.
 */
final class Browsers implements TestWatcher {
    static final Path CHROMIUM = Path.of(System.getProperty("tilemud.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("tilemud.chromedriver", "/usr/bin/chromedriver"));

    private final List<WebDriver> open = new ArrayList<>();

    static void requireChromium() {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present) {
            String message = "Chromium or chromedriver missing (" + CHROMIUM + ", " + CHROMEDRIVER
                    + "): install Debian's chromium and chromium-driver to run the browser tests";
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException(message + " — CI=true, so this is a failure, not a skip");
            }
            System.err.println("\n*** SKIPPING WEB CLIENT BROWSER TESTS: " + message + " ***\n");
            Assumptions.abort(message);
        }
        // Belt and braces next to the environment variables set by surefire.
        System.setProperty("SE_AVOID_BROWSER_DOWNLOAD", "true");
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    }

    /** A fresh browser (own profile, so own sessionStorage and cookies). */
    WebDriver open() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        Path profile;
        try {
            profile = Files.createTempDirectory("tilemud-chromium-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                "--disable-dev-shm-usage", "--window-size=1100,900", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
        synchronized (open) {
            open.add(driver);
        }
        return driver;
    }

    void closeAll() {
        synchronized (open) {
            for (WebDriver d : open) {
                try {
                    d.quit();
                } catch (RuntimeException ignored) {
                    // already gone
                }
            }
            open.clear();
        }
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        Path dir = Path.of(System.getProperty("tilemud.screenshots", "target/screenshots"));
        synchronized (open) {
            for (int i = 0; i < open.size(); i++) {
                try {
                    Files.createDirectories(dir);
                    File shot = ((TakesScreenshot) open.get(i)).getScreenshotAs(OutputType.FILE);
                    Path target = dir.resolve(context.getRequiredTestMethod().getName() + "-browser" + (i + 1) + ".png");
                    Files.copy(shot.toPath(), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    System.err.println("screenshot of the failing test: " + target.toAbsolutePath());
                    Object state = ((JavascriptExecutor) open.get(i)).executeScript(
                            "return window.tilemud && JSON.stringify(window.tilemud.debug())");
                    System.err.println("browser " + (i + 1) + " client state: " + state);
                } catch (IOException | RuntimeException e) {
                    System.err.println("no screenshot: " + e);
                }
            }
        }
        closeAll();
    }

    @Override
    public void testSuccessful(ExtensionContext context) {
        closeAll();
    }

    @Override
    public void testAborted(ExtensionContext context, Throwable cause) {
        closeAll();
    }

    // ---- page helpers --------------------------------------------------------------------------------------

    static WebElement el(WebDriver d, String testId) {
        return d.findElement(By.cssSelector("[data-testid='" + testId + "']"));
    }

    static <T> T waitFor(WebDriver d, Duration timeout, String what, Function<WebDriver, T> condition) {
        return new WebDriverWait(d, timeout).withMessage(what).pollingEvery(Duration.ofMillis(50)).until(condition);
    }

    static void waitStatus(WebDriver d, String status, Duration timeout) {
        waitFor(d, timeout, "connection-status " + status, x -> status.equals(el(x, "connection-status").getText()));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> state(WebDriver d) {
        return (Map<String, Object>) ((JavascriptExecutor) d).executeScript("return window.tilemud.state()");
    }

    static Object js(WebDriver d, String script) {
        return ((JavascriptExecutor) d).executeScript(script);
    }

    static Optional<String> text(WebDriver d, String testId) {
        List<WebElement> found = d.findElements(By.cssSelector("[data-testid='" + testId + "']"));
        return found.isEmpty() || !found.get(0).isDisplayed() ? Optional.empty() : Optional.of(found.get(0).getText());
    }
}
