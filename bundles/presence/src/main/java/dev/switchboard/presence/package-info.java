/**
 * The presence bundle: presence read/set/clear over Graph, and watches of users' presence through Graph change
 * subscriptions (one per 650 users), with a cache of the latest presence of every watched user and a
 * {@link dev.switchboard.api.presence.PresenceEvent.PresenceChanged} per change. Its contract is
 * {@code dev.switchboard.api.presence}; {@code docs/presence.md} describes it.
 */
package dev.switchboard.presence;
