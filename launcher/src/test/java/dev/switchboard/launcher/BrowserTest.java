package dev.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** A missing Chromium fails the console's browser tests on CI and skips them elsewhere, saying what to install. */
class BrowserTest {

  @Test
  void aMissingChromiumFailsUnderCi() {
    AssertionFailedError failed = assertThrows(AssertionFailedError.class, () -> Browser.requireInstalled(false, "true"));
    assertTrue(failed.getMessage().contains("apt-get install chromium chromium-driver"), failed.getMessage());
  }

  @Test
  void aMissingChromiumSkipsOutsideCi() {
    TestAbortedException skipped = assertThrows(TestAbortedException.class, () -> Browser.requireInstalled(false, null));
    assertTrue(skipped.getMessage().contains("apt-get install chromium chromium-driver"), skipped.getMessage());
    assertThrows(TestAbortedException.class, () -> Browser.requireInstalled(false, "false"));
  }

  @Test
  void anInstalledChromiumPasses() {
    assertDoesNotThrow(() -> Browser.requireInstalled(true, "true"));
  }
}
