package dev.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium, headless, driven through Debian's chromedriver (never a downloaded one), with a fresh profile
 * in {@code profile}. When either is missing, tests fail under {@code CI=true} (where {@code .ci/run} installs both,
 * so a missing one means the installation failed) and are skipped elsewhere, each saying what to install.
 */
final class Browser implements AutoCloseable {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  final WebDriver driver;

  private Browser(WebDriver driver) {
    this.driver = driver;
  }

  static Browser start(Path profile) {
    requireInstalled(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER), System.getenv("CI"));
    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--window-size=1400,1000", "--user-data-dir=" + profile.toAbsolutePath());
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort().build();
    return new Browser(new ChromeDriver(service, options));
  }

  /** Fails (under {@code CI=true}) or skips the test, saying what to install, unless Chromium is {@code installed}. */
  static void requireInstalled(boolean installed, String ci) {
    String missing = "Chromium is missing: the console's browser tests need /usr/bin/chromium and "
        + "/usr/bin/chromedriver (Debian: apt-get install chromium chromium-driver; .ci/run installs them as root)";
    if (!installed && "true".equalsIgnoreCase(ci)) {
      fail(missing + ". CI=true: not skipped");
    }
    assumeTrue(installed, missing);
  }

  WebElement find(String css) {
    return driver.findElement(By.cssSelector(css));
  }

  /** Waits up to {@code seconds} for {@code condition} to give something other than null or false. */
  <T> T await(String what, int seconds, Function<WebDriver, T> condition) {
    return new WebDriverWait(driver, Duration.ofSeconds(seconds)).withMessage(what)
        .ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(condition);
  }

  /** The text of the first element matching {@code css}, or {@code null} when there is none. */
  String text(String css) {
    return driver.findElements(By.cssSelector(css)).stream().findFirst().map(WebElement::getText).orElse(null);
  }

  /** Saves what the page shows to {@code target/console-screenshots/<name>.png}. */
  void screenshot(String name) throws Exception {
    Path dir = Files.createDirectories(Path.of("target", "console-screenshots"));
    File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
    Files.copy(shot.toPath(), dir.resolve(name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  @Override
  public void close() {
    driver.quit();
  }
}
