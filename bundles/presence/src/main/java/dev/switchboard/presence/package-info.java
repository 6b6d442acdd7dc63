/**
 * The presence bundle: presence read/set/clear and presence watches.
 *
 * <p>An empty shell for now: it builds, ships in the distribution's {@code deploy/} folder and starts
 * with the server, but registers no plugin yet. Its features arrive with a later issue.
 */
package dev.switchboard.presence;
