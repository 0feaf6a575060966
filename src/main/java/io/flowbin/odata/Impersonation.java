package io.flowbin.odata;

import io.flowbin.security.Caller;
import org.jspecify.annotations.Nullable;

/**
 * Resolves impersonation headers against the user who really calls (the token's user), as the web server does for a
 * request's own headers; a batch uses it for the headers of each of its requests. Implementations are thread-safe.
 */
@FunctionalInterface
public interface Impersonation {
    /**
     * The caller a request with these header values acts as: the real caller when both are blank, else the user named
     * ({@code CallerObjectId} first), on behalf of the real caller.
     *
     * @param callerObjectId the {@code CallerObjectId} header: an Entra object id, or null
     * @param callerId the {@code MSCRMCallerID} header: a systemuser id, or null
     * @throws io.flowbin.error.DataverseException when the real caller lacks prvActOnBehalfOfAnotherUser, the id is
     *     malformed, or the user named is unknown or disabled; with the same status and code as for a request alone
     */
    Caller callerFor(@Nullable String callerObjectId, @Nullable String callerId);
}
