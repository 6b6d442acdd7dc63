package dev.switchboard.api;

import io.vertx.core.json.JsonObject;

/**
 * A successful Graph answer.
 *
 * @param status the HTTP status (2xx)
 * @param body the JSON body, empty when Graph sent none
 * @param location the {@code Location} header (created resources, operations), or {@code null}
 * @param requestId Graph's {@code request-id}, for support, or {@code null}
 * @param clientRequestId the {@code client-request-id} the platform sent
 */
public record GraphResponse(int status, JsonObject body, String location, String requestId, String clientRequestId) {
}
