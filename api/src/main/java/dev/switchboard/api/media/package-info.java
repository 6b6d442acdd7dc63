/**
 * The media bundle's contract: commands ({@link dev.switchboard.api.media.MediaCommand}), their replies, and the
 * events that report how operations ended ({@link dev.switchboard.api.media.MediaEvent}), with the addresses they
 * travel on and their JSON form.
 *
 * <p>JSON is what crosses the event bus; the records here map to and from it ({@code toJson} / {@code fromJson}), so
 * that neither the media bundle nor a bot reads a field by its name. {@code fromJson} checks its input and fails with a
 * {@link dev.switchboard.api.SwitchboardException} ({@code 400 badRequest}) whose message names the field and says
 * what it must be; the records' constructors check the same rules. A bot uses {@link
 * dev.switchboard.api.media.MediaClient} and never builds JSON.
 *
 * <p>This package has its own version (1.0.0), exported by the platform's system bundle: a bundle that uses it imports
 * {@code [1.0,2.0)}. Adding a record component or an event is a minor change; renaming or removing one is major.
 */
package dev.switchboard.api.media;
