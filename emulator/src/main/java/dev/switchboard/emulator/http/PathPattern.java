package dev.switchboard.emulator.http;

import java.util.regex.Pattern;

/**
 * A glob over URL paths: {@code *} matches within one segment, {@code **} across segments;
 * matching ignores case and a trailing slash.
 */
public final class PathPattern {

  private final String glob;
  private final Pattern regex;

  public PathPattern(String glob) {
    this.glob = glob;
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*') {
        if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
          re.append(".*");
          i++;
        } else {
          re.append("[^/]*");
        }
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    this.regex = Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE);
  }

  public boolean matches(String path) {
    String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    return regex.matcher(p).matches();
  }

  @Override
  public String toString() {
    return glob;
  }
}
