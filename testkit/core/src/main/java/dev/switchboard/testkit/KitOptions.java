package dev.switchboard.testkit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How a kit runs; set before it starts, read-only after. */
final class KitOptions {

  final List<String> bundles = new ArrayList<>();
  final Map<String, String> settings = new LinkedHashMap<>();
  final List<String> recordedAddresses = new ArrayList<>();
  final Map<String, String> files = new LinkedHashMap<>();
  double clockSpeed = SwitchboardKit.DEFAULT_CLOCK_SPEED;
  boolean sharedServer;
  Duration timeout = Duration.ofSeconds(SwitchboardKit.DEFAULT_TIMEOUT_SECONDS);
  boolean installBundleUnderTest = true;
  Path bundleUnderTest;

  double clockSpeed() {
    return clockSpeed;
  }

  Map<String, String> settings() {
    return settings;
  }

  List<String> recordedAddresses() {
    return recordedAddresses;
  }

  void apply(SwitchboardTest annotation) {
    bundles.addAll(List.of(annotation.bundles()));
    clockSpeed = annotation.clockSpeed();
    sharedServer = annotation.sharedServer();
    timeout = Duration.ofSeconds(annotation.timeoutSeconds());
    installBundleUnderTest = annotation.bundleUnderTest();
  }
}
