package dev.switchboard.ivr;

import java.util.List;
import java.util.stream.Collectors;

/** A flow file that cannot be used: every problem found, each with its file, line and column. */
final class FlowException extends Exception {

  private static final long serialVersionUID = 1L;

  private final transient List<FlowProblem> problems;

  FlowException(List<FlowProblem> problems) {
    super(problems.stream().map(FlowProblem::toString).collect(Collectors.joining("\n")));
    this.problems = List.copyOf(problems);
  }

  List<FlowProblem> problems() {
    return problems;
  }
}
