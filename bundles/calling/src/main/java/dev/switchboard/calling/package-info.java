/**
 * The calling bundle: call lifecycle and participants.
 *
 * <p>An empty shell for now: it builds, ships in the distribution's {@code deploy/} folder and starts
 * with the server, but registers no plugin yet. Its features arrive with issue #6.
 */
package dev.switchboard.calling;
