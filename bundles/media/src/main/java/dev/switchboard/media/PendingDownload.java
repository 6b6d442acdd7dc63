package dev.switchboard.media;

import dev.switchboard.api.calls.ResultInfo;

/**
 * A recording Graph finished that is being downloaded: where it is, the token that reads it (a secret kept only
 * until the download ends), and what Graph said about the operation, for the event that follows the download.
 */
record PendingDownload(String location, String accessToken, ResultInfo resultInfo, String completionReason) {
}
