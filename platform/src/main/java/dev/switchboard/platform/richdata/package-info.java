/**
 * Graph's change notifications with resource data ("rich notifications"): {@link
 * dev.switchboard.platform.richdata.EncryptionKeys} (the key pairs and self-signed certificates Graph encrypts for,
 * kept owner-only in {@code data.dir} and rotated) and {@link dev.switchboard.platform.richdata.RichNotifications}
 * (the collection's validation tokens, checked with {@code platform.jwt}; the {@code encryptedContent}'s signature and
 * decryption). Used by the subscription manager before a plugin sees a notification.
 */
package dev.switchboard.platform.richdata;
