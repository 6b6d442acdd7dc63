package dev.switchboard.platform.framework;

import java.util.ArrayList;
import java.util.List;

/** Just enough of the OSGi manifest header grammar: clauses, their paths, and attribute values. */
public final class OsgiHeaders {

  private OsgiHeaders() {
  }

  /** Splits a header into clauses at commas outside quotes. */
  public static List<String> clauses(String header) {
    return split(header, ',');
  }

  /** The paths (package names) of a clause: the leading parameters without {@code =}. */
  public static List<String> paths(String clause) {
    List<String> paths = new ArrayList<>();
    for (String part : split(clause, ';')) {
      if (part.contains("=")) {
        break;
      }
      paths.add(part.trim());
    }
    return paths;
  }

  /** The value of attribute {@code name} ({@code name=value} or {@code name="value"}), or {@code null}. */
  public static String attribute(String clause, String name) {
    for (String part : split(clause, ';')) {
      int eq = part.indexOf('=');
      if (eq > 0 && part.charAt(eq - 1) != ':' && part.substring(0, eq).trim().equals(name)) {
        String value = part.substring(eq + 1).trim();
        return value.startsWith("\"") && value.endsWith("\"") && value.length() >= 2
            ? value.substring(1, value.length() - 1) : value;
      }
    }
    return null;
  }

  private static List<String> split(String text, char separator) {
    List<String> parts = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean quoted = false;
    for (char c : text.toCharArray()) {
      if (c == '"') {
        quoted = !quoted;
      }
      if (c == separator && !quoted) {
        if (!current.toString().isBlank()) {
          parts.add(current.toString().trim());
        }
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    if (!current.toString().isBlank()) {
      parts.add(current.toString().trim());
    }
    return parts;
  }
}
