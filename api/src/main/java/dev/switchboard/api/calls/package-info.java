/**
 * The calling contract: what a bot, another bundle or a test sends the calling bundle and what it publishes, as Java
 * records that map to and from the JSON on the event bus.
 *
 * <ul>
 *   <li>{@link dev.switchboard.api.calls.CallCommand}: every command (create, answer, reject, redirect, transfer,
 *       hangUp, mute, ...), requested on {@link dev.switchboard.api.calls.CallCommand#ADDRESS}; send them with
 *       {@link dev.switchboard.api.calls.CallsClient}.</li>
 *   <li>{@link dev.switchboard.api.calls.CallView}, {@link dev.switchboard.api.calls.ParticipantView},
 *       {@link dev.switchboard.api.calls.OperationView}: what commands reply.</li>
 *   <li>{@link dev.switchboard.api.calls.CallEvent}: every event, one topic each
 *       ({@link dev.switchboard.api.calls.CallEvent#TOPICS}).</li>
 * </ul>
 * JSON stays the wire format (it crosses bundle versions, classloaders and nodes) and is documented in
 * {@code docs/calling.md} for clients that are not written in Java; every record has {@code toJson()} and a
 * {@code fromJson(JsonObject)} whose validation errors are {@link dev.switchboard.api.SwitchboardException}s with
 * status 400 (422 for targets that name no one callable) and a message that names the field.
 *
 * <p>Versioned on its own (bundles import it with {@code [1.0,2.0)}): additions bump the minor version, anything
 * else the major; the build's baseline check enforces it.
 */
package dev.switchboard.api.calls;
