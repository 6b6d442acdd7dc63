/**
 * The presence bundle's contract: presence changes of watched users ({@link dev.switchboard.api.presence.PresenceEvent}),
 * the cached presence of a user ({@link dev.switchboard.api.presence.CachedPresence}), and the commands that read, set
 * and watch presence ({@link dev.switchboard.api.presence.PresenceCommand}, most simply sent through
 * {@link dev.switchboard.api.presence.PresenceClient}), with the addresses they travel on and their JSON form.
 *
 * <p>JSON is what crosses the event bus; the records here map to and from it ({@code toJson} / {@code fromJson}), so
 * that no bundle reads a field by its name. This package has its own version (1.0.0), exported by the platform's
 * system bundle: a bundle that uses it imports {@code [1.0,2.0)}. Adding a record component or an event is a minor
 * change; renaming or removing one is major.
 */
package dev.switchboard.api.presence;
