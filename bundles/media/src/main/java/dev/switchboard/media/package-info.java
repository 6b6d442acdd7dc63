/**
 * The media bundle: prompts (store, conversion, hosting, text prompts) and play, record, gather and cancel on calls
 * ({@code docs/media.md}). Its contract with other bundles is {@link dev.switchboard.api.media}.
 *
 * <p>Each call's media is owned by one version of the plugin at a time: {@link dev.switchboard.media.CallMedia} on
 * the keyed address {@code switchboard.media.calls}, which turns every message of a call (a command, a followed call
 * event, a gather timer, a finished download) into a {@link dev.switchboard.media.Step} of the call's immutable
 * {@link dev.switchboard.media.CallState}, kept in the state store by {@link dev.switchboard.media.CallStates}.
 */
package dev.switchboard.media;
