package dev.switchboard.platform.deploy;

/**
 * A mandatory requirement of a bundle that nothing installed provides.
 *
 * @param namespace the OSGi namespace, e.g. {@code osgi.wiring.package}
 * @param name what is required: a package, a bundle, {@code Java 21}
 * @param versionRange the versions accepted, e.g. {@code [1.0.0,2.0.0)}, or {@code null}
 * @param filter the requirement's filter, as the bundle declares it
 * @param message what is missing and what to do about it, for a person
 */
public record MissingRequirement(String namespace, String name, String versionRange, String filter, String message) {
}
