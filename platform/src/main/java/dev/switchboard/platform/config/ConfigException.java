package dev.switchboard.platform.config;

/**
 * Bad configuration. The message is one line that names the offending key (or file) and says what is
 * wrong with it, fit to print as the only output of a failed start.
 */
public final class ConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String key;

  /**
   * @param key the dotted path of the offending key
   * @param message one line naming the key, e.g. {@code http.tls.key: does not belong to the certificate ...}; also
   *     for problems found after loading, such as a TLS key that does not fit its certificate
   */
  public ConfigException(String key, String message) {
    super(message);
    this.key = key;
  }

  /** The dotted path of the offending key, e.g. {@code http.port}; {@code null} for file-level errors. */
  public String key() {
    return key;
  }
}
