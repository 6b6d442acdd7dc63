/**
 * Signed JWTs verified with nimbus-jose-jwt against an issuer's published keys: {@link
 * dev.switchboard.platform.jwt.JwksSource} (the platform's one JWKS fetcher) and {@link
 * dev.switchboard.platform.jwt.JwtVerifier} (algorithm allow-list, signature, expiry, a per-token cache). Used by the
 * callback ingress and by the REST API's OpenID Connect authentication.
 */
package dev.switchboard.platform.jwt;
