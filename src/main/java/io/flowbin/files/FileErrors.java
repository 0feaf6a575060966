package io.flowbin.files;

import io.flowbin.error.DataverseException;
import io.flowbin.error.ErrorCodes;

/** The errors of file operations, each with Dataverse's status, code and message text. Stateless. */
public final class FileErrors {
    /** {@code unManagedidsattachmentinvalidfilesize}. */
    public static final String FILE_SIZE_TOO_BIG = "0x80044a02";
    /** The service protection code for too many concurrent operations. */
    static final String TOO_MANY_CONCURRENT = "0x80072326";

    private FileErrors() {}

    /** A file larger than its column's {@code MaxSizeInKB}: Dataverse's 400 with its message. */
    public static DataverseException tooLarge() {
        return new DataverseException(400, FILE_SIZE_TOO_BIG, "Attachment file size is too big.");
    }

    static DataverseException invalid(String message) {
        return ErrorCodes.invalidArgument(message);
    }

    static DataverseException unknownSession() {
        return new DataverseException(404, ErrorCodes.OBJECT_DOES_NOT_EXIST,
                "The upload session does not exist or has expired; start the upload again.");
    }

    /** Two requests of one upload at once, on different nodes: the one that saved second changed nothing. */
    static DataverseException sessionChanged() {
        return new DataverseException(409, ErrorCodes.CONCURRENCY_VERSION_MISMATCH, "Another request of this upload"
                + " was stored at the same time; this one was not. Send the next part the upload expects.");
    }

    static DataverseException noFile(FileTarget target) {
        return new DataverseException(404, ErrorCodes.OBJECT_DOES_NOT_EXIST, "No FileAttachment records found for "
                + target.table().logicalName() + " With Id = " + target.rowId() + " and attribute '"
                + target.column().logicalName() + "'.");
    }

    static DataverseException tooManySessions(int limit) {
        return new DataverseException(429, TOO_MANY_CONCURRENT,
                "Number of concurrent file uploads exceeded the limit of " + limit + ".");
    }
}
