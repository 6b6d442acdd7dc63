/**
 * The meetings bundle: online meetings (Graph's {@code /users/{organizer}/onlineMeetings}), and joining them with the
 * bot through the calling bundle, now or at the meeting's start. See docs/meetings.md.
 */
package dev.switchboard.meetings;
