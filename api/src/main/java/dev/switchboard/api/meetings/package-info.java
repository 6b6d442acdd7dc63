/**
 * The meetings bundle's contract: commands that create, find, update and delete online meetings and join the bot to
 * them ({@link dev.switchboard.api.meetings.MeetingCommand}, sent with
 * {@link dev.switchboard.api.meetings.MeetingsClient}), the events that report it
 * ({@link dev.switchboard.api.meetings.MeetingEvent}), and the meeting as the bundle knows it
 * ({@link dev.switchboard.api.meetings.OnlineMeeting} with its {@link dev.switchboard.api.meetings.BotJoin}).
 *
 * <p>The bot's call in a meeting is an ordinary call of the calling bundle ({@code dev.switchboard.api.calls}):
 * {@link dev.switchboard.api.meetings.MeetingEvent.BotJoined} names it, and any bot may act in it with call and media
 * commands.
 *
 * <p>JSON is what crosses the event bus; the records here map to and from it ({@code toJson} / {@code fromJson}), so
 * that no bundle reads a field by its name. This package has its own version (1.0.0), exported by the platform's
 * system bundle: a bundle that uses it imports {@code [1.0,2.0)}. Adding a record component or an event is a minor
 * change; renaming or removing one is major.
 */
package dev.switchboard.api.meetings;
