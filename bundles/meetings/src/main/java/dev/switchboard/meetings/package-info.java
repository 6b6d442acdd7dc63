/**
 * The meetings bundle: online meetings, and joining them with the bot.
 *
 * <p>An empty shell for now: it builds, ships in the distribution's {@code deploy/} folder and starts
 * with the server, but registers no plugin yet. Its features arrive with a later issue.
 */
package dev.switchboard.meetings;
