/**
 * The ivr bundle: declarative call flows in YAML files, validated when loaded, hot-reloaded, and run on the bot's
 * incoming calls through the calling and media bundles' typed contracts ({@link dev.switchboard.api.calls},
 * {@link dev.switchboard.api.media}), following their events by call. See {@code docs/ivr.md}.
 *
 * <p>Nothing is exported; SnakeYAML is embedded privately.
 */
package dev.switchboard.ivr;
