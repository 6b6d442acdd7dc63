/**
 * The ivr bundle: declarative call flows (YAML), hot-reloaded.
 *
 * <p>An empty shell for now: it builds, ships in the distribution's {@code deploy/} folder and starts
 * with the server, but registers no plugin yet. Its features arrive with issue #8.
 */
package dev.switchboard.ivr;
