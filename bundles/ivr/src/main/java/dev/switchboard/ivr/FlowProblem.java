package dev.switchboard.ivr;

/**
 * One thing wrong with a flow file, where it is.
 *
 * @param file the file name (e.g. {@code main.yaml})
 * @param line 1-based line, 0 when unknown
 * @param column 1-based column, 0 when unknown
 * @param message what is wrong, in words a person can act on
 */
record FlowProblem(String file, int line, int column, String message) {

  @Override
  public String toString() {
    return line > 0 ? file + ":" + line + ":" + column + ": " + message : file + ": " + message;
  }
}
