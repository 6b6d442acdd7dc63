/**
 * The media bundle: IVR media: prompts, play, record, tones, gather.
 *
 * <p>An empty shell for now: it builds, ships in the distribution's {@code deploy/} folder and starts
 * with the server, but registers no plugin yet. Its features arrive with issue #7.
 */
package dev.switchboard.media;
