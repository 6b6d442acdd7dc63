/**
 * A local emulator of the Microsoft Graph communications API (calls, participants, IVR,
 * change-notification subscriptions) and of the Entra ID token endpoint, for running and testing
 * Switchboard without a tenant.
 *
 * <p>The public face is {@link dev.switchboard.emulator.GraphEmulator} (embed it),
 * {@link dev.switchboard.emulator.EmulatorOptions} (configure it) and
 * {@link dev.switchboard.emulator.EmulatorCommand} (run it from the command line). The sub-packages
 * are the emulator's implementation, organised by concern; their public classes exist so the
 * packages can be wired together and are not an API.
 */
package dev.switchboard.emulator;
