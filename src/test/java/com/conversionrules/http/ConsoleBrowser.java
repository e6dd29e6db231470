package com.conversionrules.http;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's chromium, headless, driven through its chromedriver; never a browser Selenium Manager
 * would download. When a test fails, {@link #screenshotsOnFailure} saves every console page it
 * opened under {@code target/console/failed/}.
 */
final class ConsoleBrowser implements AutoCloseable {
    static final Path SCREENSHOTS = Path.of("target", "console");
    static final Dimension LAPTOP = new Dimension(1280, 900);
    static final Dimension PHONE = new Dimension(390, 844);
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String INSTALL = "install Debian's chromium and chromium-driver "
            + "(apt-get install -y chromium chromium-driver), or point CHROMIUM and CHROMEDRIVER at a Chromium and its driver";

    private final ChromeDriver driver;
    private final Path profile;
    private final String base;
    private final Set<String> visited = new LinkedHashSet<>();

    private ConsoleBrowser(ChromeDriver driver, Path profile, String base) {
        this.driver = driver;
        this.profile = profile;
        this.base = base;
    }

    /**
     * Starts chromium for the console at {@code base}. Without chromium and its driver the test is
     * skipped on a developer's machine, and fails in CI (CI=true), where .ci/run installs them.
     */
    static ConsoleBrowser start(String base) throws IOException {
        Path chromium = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
        Path chromedriver = Path.of(System.getenv().getOrDefault("CHROMEDRIVER", "/usr/bin/chromedriver"));
        if (!Files.isExecutable(chromium) || !Files.isExecutable(chromedriver)) {
            String missing = "The console tests need " + chromium + " and " + chromedriver + ": " + INSTALL;
            if ("true".equals(System.getenv("CI"))) {
                fail(missing);
            }
            Assumptions.abort(missing);
        }
        Path profile = Files.createTempDirectory("console-chromium");
        ChromeOptions options = new ChromeOptions().setBinary(chromium.toFile());
        // Flags that work on these machines: no sandbox as root, and no background calls to Google's
        // hosts, which a closed network refuses.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-default-apps", "--lang=en-US", "--user-data-dir=" + profile,
                "--window-size=" + LAPTOP.width + "," + LAPTOP.height);
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort()
                .withEnvironment(Map.of("TZ", "UTC"))
                .build();
        return new ConsoleBrowser(new ChromeDriver(service, options), profile, base);
    }

    WebDriver driver() {
        return driver;
    }

    /** Opens a console page, e.g. {@code #/campaigns}; loads the console first if it is not open. */
    void open(String hash) {
        visited.add(hash);
        if (driver.getCurrentUrl() == null || !driver.getCurrentUrl().startsWith(base)) {
            driver.get(base + "/" + hash);
        } else {
            driver.navigate().to(base + "/" + hash);
        }
    }

    /** Reloads the console at a page, as a person opening a bookmark would. */
    void load(String hash) {
        if (!hash.isEmpty()) {
            visited.add(hash);
        }
        driver.get(base + "/" + hash);
    }

    /** A new test starts: the pages saved on its failure are those it opens from now on. */
    void forgetVisited() {
        visited.clear();
    }

    void size(Dimension size) {
        driver.manage().window().setSize(size);
    }

    <T> T until(Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, WAIT).ignoring(StaleElementReferenceException.class)
                .until(condition);
    }

    /** Waits until the element shows text containing every fragment; returns that text. */
    String untilText(By locator, String... fragments) {
        return until(d -> {
            List<WebElement> found = d.findElements(locator);
            if (found.isEmpty()) {
                return null;
            }
            String text = found.get(0).getText();
            for (String fragment : fragments) {
                if (!text.contains(fragment)) {
                    return null;
                }
            }
            return text;
        });
    }

    WebElement find(By locator) {
        return until(d -> {
            List<WebElement> found = d.findElements(locator);
            return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
        });
    }

    Object script(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    void screenshot(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new AssertionError("cannot write " + file, e);
        }
    }

    /** A screenshot of the page as a person sees it, as tall as its content. */
    void screenshotFullPage(Path file) {
        Dimension before = driver.manage().window().getSize();
        long height = ((Number) script("return Math.ceil(document.documentElement.scrollHeight)")).longValue();
        long chrome = before.height - ((Number) script("return window.innerHeight")).longValue();
        driver.manage().window().setSize(new Dimension(before.width, (int) Math.min(6000, height + chrome)));
        try {
            screenshot(file);
        } finally {
            driver.manage().window().setSize(before);
        }
    }

    /** Everything the page logged at SEVERE level: script errors, refused requests, policy violations. */
    List<String> severeLogs() {
        List<String> severe = new ArrayList<>();
        for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
            if (entry.getLevel().intValue() >= Level.SEVERE.intValue()) {
                severe.add(entry.getMessage());
            }
        }
        return severe;
    }

    /** Register with {@code @RegisterExtension}: after a failed test, screenshots of the pages it saw. */
    static AfterTestExecutionCallback screenshotsOnFailure(Supplier<ConsoleBrowser> browser) {
        return context -> {
            if (context.getExecutionException().isPresent() && browser.get() != null) {
                browser.get().saveEveryPage(context.getRequiredTestMethod().getName());
            }
        };
    }

    /** The page as the failure left it, its HTML, then every page the test opened and each top-level page. */
    private void saveEveryPage(String test) {
        Path folder = SCREENSHOTS.resolve("failed").resolve(test);
        try {
            screenshot(folder.resolve("at-failure.png"));
            Files.writeString(folder.resolve("at-failure.html"), driver.getPageSource());
            Set<String> pages = new LinkedHashSet<>(visited);
            String current = driver.getCurrentUrl();
            if (current != null && current.contains("#")) {
                pages.add(current.substring(current.indexOf('#')));
            }
            pages.addAll(List.of("#/campaigns", "#/users", "#/rules", "#/endpoints"));
            int i = 0;
            for (String hash : pages) {
                driver.navigate().to(base + "/" + hash);
                settle();
                screenshot(folder.resolve(String.format("%02d-%s.png", ++i, hash.replaceAll("[^A-Za-z0-9]+", "-"))));
            }
        } catch (RuntimeException | IOException e) {
            // A broken browser must not hide the test's own failure.
            System.err.println("Could not save the console screenshots in " + folder + ": " + e);
        }
    }

    /** Gives a page a moment to show its data: until nothing on it says it is loading, or 3 seconds. */
    private void settle() {
        try {
            new WebDriverWait(driver, Duration.ofSeconds(3))
                    .until(d -> d.findElements(By.cssSelector("main h1")).size() > 0
                            && d.findElements(By.cssSelector("main .loading")).isEmpty());
        } catch (TimeoutException e) {
            // Shoot it as it is: that may be the point.
        }
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }
}
