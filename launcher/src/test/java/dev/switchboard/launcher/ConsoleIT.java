package dev.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.HttpMethod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The operator console in headless Chromium against a real server (the calling bundle from the distribution) and the
 * emulator: a wrong token is refused; an operator logs in, installs the hello test bundle from the page, updates and
 * rolls it back, updates the calling bundle with drain while calls are live and watches the old version's keys fall
 * to zero as the calls are hung up from the page. Each test leaves a screenshot in {@code target/console-screenshots}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleIT {

  @TempDir
  static Path dir;
  private InProcessServer s;
  private Browser browser;

  @BeforeAll
  void start() throws Exception {
    browser = Browser.start(dir.resolve("profile"));
    // Calls wait for the test to answer them; nothing rejects them meanwhile.
    s = InProcessServer.start(dir.resolve("server"), List.of("calling"),
        Map.of("SWITCHBOARD_PLUGINS_CALLING_UNCLAIMED_REJECT_AFTER", "10m"));
  }

  /** Each test starts logged out: the page open, the browser tab's session storage empty. */
  @BeforeEach
  void loggedOut() {
    browser.driver.get(s.adminUrl() + "/console/");
    ((org.openqa.selenium.JavascriptExecutor) browser.driver).executeScript("sessionStorage.clear()");
    browser.driver.navigate().refresh();
  }

  @AfterAll
  void stop() throws Exception {
    if (browser != null) {
      browser.close();
    }
    if (s != null) {
      s.close();
    }
  }

  @Test
  void aWrongTokenIsRefusedAndNothingIsShown() throws Exception {
    browser.driver.get(s.adminUrl() + "/console"); // as typed: redirected to /console/
    browser.find("#token").sendKeys("not-the-admin-token-at-all");
    browser.find("#login-button").click();
    browser.await("the login error", 15, d -> browser.find("#login-error").isDisplayed());
    assertTrue(browser.find("#login-error").getText().contains("not the server's admin token"),
        browser.find("#login-error").getText());
    assertFalse(browser.find("#app").isDisplayed());
    assertNull(((org.openqa.selenium.JavascriptExecutor) browser.driver).executeScript(
        "return sessionStorage.getItem('switchboard.adminToken')"), "a refused token is not kept");
    browser.screenshot("wrong-token");
  }

  @Test
  void anOperatorInstallsUpdatesRollsBackAndWatchesADrainEndAsCallsAreHungUp() throws Exception {
    browser.find("#token").sendKeys(InProcessServer.TOKEN);
    browser.find("#login-button").click();
    browser.await("the overview", 20, d -> browser.find("#health").getText().equals("ready"));
    assertEquals(dev.switchboard.platform.LocalNode.id(), browser.find("#node-info").getText().replace("node ", ""));
    browser.screenshot("overview");
    tab("bundles");
    String calling = browser.await("the calling bundle listed", 20,
        d -> browser.text("tr[data-bundle='dev.switchboard.calling'] .version"));

    // Install the hello test bundle by choosing its jar on the page.
    browser.find("#install-jar").sendKeys(Cli.testBundle("hello-v1").toAbsolutePath().toString());
    browser.find("#install-button").click();
    browser.await("hello 1.0.0 listed and active", 30, d -> "ACTIVE".equals(
        browser.text("tr[data-bundle='dev.switchboard.test.hello'][data-version='1.0.0'] .state")));

    // Update it to 2.0.0 with drain, then roll it back to 1.0.0.
    update("dev.switchboard.test.hello", Cli.testBundle("hello-v2"), "drain");
    browser.await("hello 2.0.0 alone", 30, d -> browser.text("tr[data-bundle='dev.switchboard.test.hello'][data-version='2.0.0'] .state") != null
        && browser.text("tr[data-bundle='dev.switchboard.test.hello'][data-version='1.0.0'] .state") == null);
    row("dev.switchboard.test.hello").findElement(By.cssSelector(".rollback")).click();
    browser.await("the rollback's confirmation", 10, ExpectedConditions.alertIsPresent()).accept();
    browser.await("hello rolled back to 1.0.0", 30, d -> browser.text("tr[data-bundle='dev.switchboard.test.hello'][data-version='1.0.0'] .state") != null
        && browser.text("tr[data-bundle='dev.switchboard.test.hello'][data-version='2.0.0'] .state") == null);
    assertTrue(browser.find("#message").getText().contains("Rolled dev.switchboard.test.hello back to 1.0.0"),
        browser.find("#message").getText());

    // Live calls appear on the page with the version that owns them.
    List<String> calls = new ArrayList<>();
    for (String from : List.of("+14255550101", "+14255550102", "+14255550103")) {
      String id = s.incomingCall(from);
      calls.add(id);
      s.answer(id, "console-test");
    }
    tab("calls");
    for (String id : calls) {
      browser.await("call " + id + " established on the page", 30, d -> "established".equals(
          browser.text("tr[data-call='" + id + "'] .call-state")));
    }
    assertEquals("calling@" + calling, browser.text("tr[data-call='" + calls.get(0) + "'] .owner"));
    browser.screenshot("live-calls");

    // Update calling with drain while the three calls are live: the old version keeps them.
    tab("bundles");
    Path newer = Cli.distributionBundle("calling", "9.0.0", dir);
    update("dev.switchboard.calling", newer, "drain");
    String draining = "tr[data-plugin='calling'][data-version='" + calling + "'] .keys-left";
    browser.await("the old calling version draining 3 keys", 30, d -> "3".equals(browser.text(draining)));
    browser.screenshot("drain-started");

    // Hang the calls up from the page, one by one: the keys left fall to zero.
    List<String> seen = new ArrayList<>();
    for (String id : calls) {
      tab("calls");
      browser.await("hang up button of " + id, 20, d -> row("tr[data-call='" + id + "']", ".hangup")).click();
      browser.await("call " + id + " gone from the page", 30,
          d -> browser.driver.findElements(By.cssSelector("tr[data-call='" + id + "']")).isEmpty());
      tab("bundles");
      seen.add(browser.await("keys left shown", 10, d -> browser.text(draining)));
    }
    browser.await("the drain done", 30, d -> "0".equals(browser.text(draining))
        && "done".equals(browser.text("tr[data-plugin='calling'][data-version='" + calling + "'] .drain-state")));
    for (int i = 1; i < seen.size(); i++) {
      assertTrue(Integer.parseInt(seen.get(i)) <= Integer.parseInt(seen.get(i - 1)), "keys left grew: " + seen);
    }
    browser.await("only the new calling version listed", 30, d -> browser.text(
        "tr[data-bundle='dev.switchboard.calling'][data-version='" + calling + "'] .state") == null);
    browser.screenshot("drain-done");

    // The audit log shows what the operator did from the page.
    tab("audit");
    browser.await("the rollback in the audit log", 20, d -> browser.find("#audit-table").getText().contains("rollback"));
    assertEquals(200, s.admin(HttpMethod.GET, "/admin/bundles", null).statusCode());
  }

  private void tab(String name) {
    browser.find("nav button[data-tab='" + name + "']").click();
  }

  private WebElement row(String bundle) {
    return browser.find("tr[data-bundle='" + bundle + "']");
  }

  private WebElement row(String rowCss, String inner) {
    List<WebElement> found = browser.driver.findElements(By.cssSelector(rowCss + " " + inner));
    return found.isEmpty() ? null : found.get(0);
  }

  private void update(String bundle, Path jar, String mode) {
    WebElement r = row(bundle);
    new Select(r.findElement(By.cssSelector(".mode"))).selectByValue(mode);
    r.findElement(By.cssSelector(".update-jar")).sendKeys(jar.toAbsolutePath().toString());
    r.findElement(By.cssSelector(".update")).click();
  }
}
