package dev.switchboard.platform.framework;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How to run the embedded framework.
 *
 * @param deployDir the folder FileInstall watches
 * @param storageDir the framework's cache (emptied at every start)
 * @param pollInterval how often FileInstall scans the deploy folder
 */
public record FelixHostOptions(Path deployDir, Path storageDir, Duration pollInterval) {

  public FelixHostOptions {
    Objects.requireNonNull(deployDir, "deployDir");
    Objects.requireNonNull(storageDir, "storageDir");
    Objects.requireNonNull(pollInterval, "pollInterval");
  }
}
