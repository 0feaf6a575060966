package io.flowbin.pipeline;

/**
 * Thrown by a plug-in to cancel the operation with a message for the caller, as Dataverse's
 * {@code InvalidPluginExecutionException}: the caller gets HTTP 400 with code {@code 0x80040265} (IsvAborted).
 */
public class InvalidPluginExecutionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidPluginExecutionException(String message) {
        super(message);
    }

    public InvalidPluginExecutionException(String message, Throwable cause) {
        super(message, cause);
    }
}
