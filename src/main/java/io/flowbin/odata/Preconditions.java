package io.flowbin.odata;

import io.flowbin.messages.UpdateMessage.Precondition;
import org.jspecify.annotations.Nullable;

/**
 * The conditional headers of a write: {@code If-Match: *} (update only), {@code If-Match: W/"<version>"} (update only
 * while unchanged), {@code If-None-Match: *} (create only). Clients also send {@code If-None-Match: null}, a no-op.
 *
 * @param expectedVersion the version an etag names; -1 for an etag that names none (it can never match)
 */
record Preconditions(Precondition precondition, @Nullable Long expectedVersion) {

    static Preconditions of(ODataRequest request) {
        String ifMatch = request.header("If-Match");
        String ifNoneMatch = request.header("If-None-Match");
        if (ifNoneMatch != null && ifNoneMatch.trim().equals("*")) {
            return new Preconditions(Precondition.MUST_NOT_EXIST, null);
        }
        if (ifMatch != null && !ifMatch.isBlank()) {
            String value = ifMatch.trim();
            return new Preconditions(Precondition.MUST_EXIST, value.equals("*") ? null : versionOf(value));
        }
        return new Preconditions(Precondition.NONE, null);
    }

    /** The version a weak or strong etag names, or -1. */
    static long versionOf(String etag) {
        String value = etag.startsWith("W/") ? etag.substring(2) : etag;
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return -1L;
        }
    }
}
