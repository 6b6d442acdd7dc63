package dev.switchboard.ivr;

/**
 * What the ivr plugin publishes about the calls it runs, on one address, for transcripts and dashboards
 * ({@code docs/ivr.md} lists the types and fields). Every event has {@code type}, {@code callId}, {@code flow},
 * {@code flowVersion}, {@code file}, {@code node} and {@code at}. Published (every consumer gets each), in the
 * order of the call's steps.
 */
final class IvrEvents {

  /** The address the events are published on. */
  static final String ADDRESS = "switchboard.ivr.events";

  private IvrEvents() {
  }
}
