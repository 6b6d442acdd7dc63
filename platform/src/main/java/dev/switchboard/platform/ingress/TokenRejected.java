package dev.switchboard.platform.ingress;

/** Why a callback's bearer token was refused, in words for the log and the 401 body. */
final class TokenRejected extends Exception {

  private static final long serialVersionUID = 1L;

  TokenRejected(String reason) {
    super(reason, null, false, false);
  }
}
