package dev.switchboard.platform.security;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slows down guessing: once a client address has failed to authenticate {@code limit} times within {@code window}
 * (counted from its first failure), every request from it is refused until the window ends. A success does not reset
 * the count (else one valid key would let its holder guess others without end). Addresses are tracked separately, so
 * one client's failures never block another; IPv6 clients are tracked by their /64 network, which one host usually
 * has to itself. At most {@code maxTracked} addresses are remembered, the oldest windows forgotten first. Thread-safe.
 */
final class FailureThrottle {

  private static final Logger LOG = LoggerFactory.getLogger(FailureThrottle.class);

  private static final class Window {
    final long start;
    int failures;

    Window(long start) {
      this.start = start;
    }
  }

  private final int limit;
  private final long windowNanos;
  private final Map<String, Window> windows;

  FailureThrottle(int limit, Duration window, int maxTracked) {
    this.limit = limit;
    this.windowNanos = window.toNanos();
    this.windows = new LinkedHashMap<>(256, 0.75f, false) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Window> eldest) {
        return size() > maxTracked;
      }
    };
  }

  /** Seconds until {@code client} may try again, or 0 when it is not blocked. */
  synchronized long blockedFor(String client, long nowNanos) {
    Window w = windows.get(client);
    if (w == null || w.failures < limit) {
      return 0;
    }
    long left = w.start + windowNanos - nowNanos;
    if (left <= 0) {
      windows.remove(client);
      return 0;
    }
    return Math.max(1, (left + 999_999_999) / 1_000_000_000);
  }

  /** Counts a failed authentication of {@code client}. */
  synchronized void failed(String client, long nowNanos) {
    Window w = windows.get(client);
    if (w == null || nowNanos - w.start >= windowNanos) {
      windows.remove(client);
      w = new Window(nowNanos); // re-inserted, so the map's eldest entry is the oldest window
      windows.put(client, w);
    }
    if (++w.failures == limit) {
      LOG.warn("{} failed authentications to the REST API from {} within {} s; refusing it until the window ends",
          limit, client, windowNanos / 1_000_000_000);
    }
  }

  /** The address {@code host} is tracked under: itself, or its /64 network for IPv6. */
  static String clientKey(String host) {
    if (host == null || host.indexOf(':') < 0) {
      return host == null ? "unknown" : host;
    }
    try {
      byte[] address = java.net.InetAddress.getByName(host).getAddress(); // a literal: no name lookup
      if (address.length != 16) {
        return host;
      }
      StringBuilder network = new StringBuilder();
      for (int i = 0; i < 8; i += 2) {
        network.append(Integer.toHexString(((address[i] & 0xff) << 8) | (address[i + 1] & 0xff))).append(':');
      }
      return network.append(":/64").toString();
    } catch (java.net.UnknownHostException e) {
      return host;
    }
  }
}
