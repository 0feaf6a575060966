package io.flowbin.pipeline;

/**
 * A remote endpoint did not take a context. {@code transientFailure} says whether a later attempt may succeed
 * (endpoint unreachable) rather than the endpoint refusing the payload.
 */
final class DeliveryException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final boolean transientFailure;

    DeliveryException(String message, boolean transientFailure, @org.jspecify.annotations.Nullable Throwable cause) {
        super(message, cause);
        this.transientFailure = transientFailure;
    }

    boolean transientFailure() {
        return transientFailure;
    }
}
