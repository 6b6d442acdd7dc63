package dev.switchboard.api;

/**
 * Graph refused a request, or could not be reached within the retry budget. The {@linkplain #errorId() code}
 * is Graph's own error code (e.g. {@code itemNotFound}, {@code TooManyRequests}), or {@code graphUnreachable}
 * when no answer came.
 */
public final class GraphException extends SwitchboardException {

  private static final long serialVersionUID = 1L;

  private final int graphStatus;
  private final String requestId;
  private final String clientRequestId;

  /**
   * @param graphStatus Graph's HTTP status, 0 when it could not be reached
   * @param graphCode Graph's error code
   * @param message Graph's message, or what went wrong
   * @param requestId Graph's {@code request-id}, or {@code null}
   * @param clientRequestId the {@code client-request-id} that was sent
   */
  public GraphException(int graphStatus, String graphCode, String message, String requestId, String clientRequestId,
      Throwable cause) {
    super(kind(graphStatus), graphCode, message + (requestId == null ? "" : " (Graph request-id " + requestId + ")"),
        cause);
    this.graphStatus = graphStatus;
    this.requestId = requestId;
    this.clientRequestId = clientRequestId;
  }

  private static ErrorCode kind(int status) {
    if (status == 0) {
      return ErrorCode.UPSTREAM;
    }
    if (status == 429 || status >= 500) {
      return status == 504 ? ErrorCode.TIMEOUT : ErrorCode.UPSTREAM;
    }
    ErrorCode code = ErrorCode.forStatus(status);
    return code == ErrorCode.INTERNAL ? ErrorCode.UPSTREAM : code;
  }

  /** The status Graph answered with; 0 when it could not be reached. */
  public int graphStatus() {
    return graphStatus;
  }

  /** Graph's error code. */
  public String graphCode() {
    return errorId();
  }

  /** Graph's {@code request-id}, or {@code null}. */
  public String requestId() {
    return requestId;
  }

  /** The {@code client-request-id} the platform sent. */
  public String clientRequestId() {
    return clientRequestId;
  }
}
