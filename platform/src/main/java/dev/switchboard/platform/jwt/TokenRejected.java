package dev.switchboard.platform.jwt;

/** Why a bearer token was refused, in words for the log and the 401 body. */
public final class TokenRejected extends Exception {

  private static final long serialVersionUID = 1L;

  public TokenRejected(String reason) {
    super(reason, null, false, false);
  }
}
