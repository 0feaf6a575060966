package io.flowbin.error;

import org.jspecify.annotations.Nullable;

/**
 * A failure with the HTTP status and Dataverse error code ({@code 0x…}) a client is answered with. The message is the
 * Dataverse message text: it states the facts (table, id, column, limit).
 */
public class DataverseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int httpStatus;
    private final String code;

    public DataverseException(int httpStatus, String code, String message) {
        this(httpStatus, code, message, null);
    }

    public DataverseException(int httpStatus, String code, String message, @Nullable Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.code = code;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** The Dataverse error code, such as {@code 0x80040217}; may be empty where Dataverse sends an empty code. */
    public String code() {
        return code;
    }

    @Override
    public String getMessage() {
        String message = super.getMessage();
        return message == null ? "" : message;
    }
}
