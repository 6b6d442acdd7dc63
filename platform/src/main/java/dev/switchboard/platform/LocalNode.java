package dev.switchboard.platform;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The id of this server among others: the one place it comes from (live calls, the console, metrics). The system
 * property {@code switchboard.node.id} when set, else the host name, else {@code local}. Cluster mode gives each member
 * its name here.
 */
public final class LocalNode {

  private static final String ID = compute();

  private LocalNode() {
  }

  /** This server's node id. */
  public static String id() {
    return ID;
  }

  private static String compute() {
    String configured = System.getProperty("switchboard.node.id");
    if (configured != null && !configured.isBlank()) {
      return configured.trim();
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "local";
    }
  }
}
