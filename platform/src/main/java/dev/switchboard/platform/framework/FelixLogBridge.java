package dev.switchboard.platform.framework;

import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends the framework's own log records (and those of its manifest parser) to SLF4J instead of standard output. */
public final class FelixLogBridge extends org.apache.felix.framework.Logger {

  private static final Logger LOG = LoggerFactory.getLogger("org.apache.felix.framework");

  @Override
  protected void doLog(Bundle bundle, ServiceReference sr, int level, String msg, Throwable throwable) {
    String text = bundle == null ? msg : msg + " [bundle " + bundle.getSymbolicName() + " " + bundle.getVersion() + "]";
    switch (level) {
      case LOG_ERROR:
        LOG.error(text, throwable);
        break;
      case LOG_WARNING:
        LOG.warn(text, throwable);
        break;
      case LOG_INFO:
        LOG.info(text, throwable);
        break;
      default:
        LOG.debug(text, throwable);
    }
  }
}
