package calciscreen.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real headless Chromium (Debian's chromium + chromium-driver, installed by .ci/run) driven by Selenium. Without
 * them the browser tests fail under CI=true, and are skipped, saying why, on a developer's machine.
 */
final class Browser {

    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CALCISCREEN_CHROMIUM", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getenv().getOrDefault("CALCISCREEN_CHROMEDRIVER",
            "/usr/bin/chromedriver"));
    static final Path SCREENSHOTS = Path.of(System.getProperty("calciscreen.e2e.dir", "target/e2e")).getParent()
            .resolve("screenshots");

    private Browser() {
    }

    static ChromeDriver start(Path profileDir, int width, int height) {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        String missing = "the browser tests need Chromium and its driver at " + CHROMIUM + " and " + CHROMEDRIVER
                + " (apt-get install -y chromium chromium-driver; .ci/run installs them)";
        if (!present) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(missing);
            }
            Assumptions.abort(missing);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profileDir.toAbsolutePath(),
                "--window-size=" + width + "," + height);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(width, height));
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        return driver;
    }

    /**
     * Opens {@code url} of the worklist signed in as {@code username}: when the worklist sends the browser to the
     * embedded issuer's sign-in form, fills it in; answers once the page says who is signed in.
     */
    static void openSignedIn(ChromeDriver driver, String url, String username, String password) {
        driver.get(url);
        org.openqa.selenium.support.ui.WebDriverWait wait = new org.openqa.selenium.support.ui.WebDriverWait(driver,
                Duration.ofSeconds(30));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class); // pages change while signing in
        wait.until(d -> signInForm(d) || "true".equals(d.findElement(org.openqa.selenium.By.tagName("body"))
                .getAttribute("data-signed-in")));
        if (signInForm(driver)) {
            signIn(driver, username, password);
            wait.until(d -> "true".equals(d.findElement(org.openqa.selenium.By.tagName("body"))
                    .getAttribute("data-signed-in")));
        }
    }

    /** Whether the page is the embedded issuer's sign-in form. */
    static boolean signInForm(org.openqa.selenium.WebDriver driver) {
        return driver.getCurrentUrl().contains("/login") && !driver.findElements(
                org.openqa.selenium.By.cssSelector("input[name=username]")).isEmpty();
    }

    /** Fills in and submits the sign-in form on the page. */
    static void signIn(org.openqa.selenium.WebDriver driver, String username, String password) {
        driver.findElement(org.openqa.selenium.By.cssSelector("input[name=username]")).sendKeys(username);
        driver.findElement(org.openqa.selenium.By.cssSelector("input[name=password]")).sendKeys(password);
        driver.findElement(org.openqa.selenium.By.cssSelector("button[type=submit], input[type=submit]")).click();
    }

    static Path screenshot(ChromeDriver driver, String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
