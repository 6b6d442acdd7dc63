/**
 * The calling bundle: call lifecycle and participants.
 *
 * <p>{@link dev.switchboard.calling.CallingPlugin} consumes Graph's calling notifications by call id, keeps each
 * call ({@code Call}: the contract's {@link dev.switchboard.api.calls.CallView} plus bookkeeping) in the plugin's
 * state store, publishes {@link dev.switchboard.api.calls.CallEvent}s, carries out
 * {@link dev.switchboard.api.calls.CallCommand}s (on the bus and under {@code /api/v1/calls}), rejects incoming calls
 * no bot claims, and keeps established calls alive. Everything about a call is in the state store and its timers
 * belong to its key, so that a new version of the bundle continues every call (takeover) or lets the old one finish
 * its calls (drain).
 */
package dev.switchboard.calling;
