package io.flowbin.error;

/**
 * Dataverse error codes (from the Web service error codes reference) and factories for the errors they name, so
 * that each message text is written once.
 */
public final class ErrorCodes {
    public static final String OBJECT_DOES_NOT_EXIST = "0x80040217";
    public static final String DUPLICATE_RECORD = "0x80040237";
    public static final String STRING_LENGTH_TOO_LONG = "0x80044331";
    public static final String REQUIRED_FIELD_MISSING = "0x80040200";
    public static final String ODATA_CLIENT_PAYLOAD_ERROR = "0x80048d19";
    public static final String INVALID_URL_FOR_ODATA_BIND = "0x80090800";
    public static final String INVALID_PROPERTY_IN_BODY = "0x80090801";
    public static final String INVALID_ARGUMENT = "0x80040203";
    public static final String CONCURRENCY_VERSION_MISMATCH = "0x80060882";
    public static final String INVALID_STATE_CODE_STATUS_CODE = "0x80048408";
    public static final String REQUEST_NOT_AUTHENTICATED = "0x80044302";
    public static final String VALUE_OUT_OF_RANGE = "0x80044330";
    public static final String INVALID_QUERY = "0x80060888";
    public static final String RESOURCE_NOT_FOUND = "0x80060888";
    public static final String METHOD_NOT_ALLOWED = "0x80060888";
    public static final String REQUEST_TOO_LARGE = "0x8004418a";
    public static final String UNEXPECTED = "0x80040216";
    public static final String CANNOT_DELETE_DUE_TO_ASSOCIATION = "0x80040227";
    public static final String PRIVILEGE_DENIED = "0x80040220";
    public static final String TARGET_PRINCIPAL_LACKS_READ = "0x80040299";
    public static final String CANNOT_ACT_ON_BEHALF = "0x8004A110";
    public static final String INVALID_CALLER_ID = "0x80048d1A";
    public static final String CANNOT_SHARE_WITH_OWNER = "0x80040214";
    public static final String ONLY_OWNER_CAN_REVOKE = "0x80040223";

    private ErrorCodes() {}

    public static DataverseException badRequest(String code, String message) {
        return new DataverseException(400, code, message);
    }

    public static DataverseException invalidArgument(String message) {
        return new DataverseException(400, INVALID_ARGUMENT, message);
    }

    public static DataverseException rowNotFound(String table, Object id) {
        return new DataverseException(404, OBJECT_DOES_NOT_EXIST, table + " With Id = " + id + " Does Not Exist");
    }

    public static DataverseException versionMismatch() {
        return new DataverseException(
                412,
                CONCURRENCY_VERSION_MISMATCH,
                "The version of the existing record doesn't match the RowVersion property provided.");
    }

    public static DataverseException duplicateRecord() {
        return new DataverseException(412, DUPLICATE_RECORD, "A record with matching key values already exists.");
    }

    public static DataverseException notAuthenticated(String message) {
        return new DataverseException(401, REQUEST_NOT_AUTHENTICATED, message);
    }
}
