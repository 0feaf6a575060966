package io.flowbin.data;

import io.flowbin.error.DataverseException;
import io.flowbin.error.ErrorCodes;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Map;

/**
 * Classifies SQL failures with one table of SQL states per dialect and turns them into the Dataverse errors a client
 * sees, never exposing SQL text. Stateless and thread-safe.
 */
public final class SqlErrors {
    /** PostgreSQL's SQL states (Appendix A, "PostgreSQL Error Codes"). */
    static final Map<String, SqlFailure.Kind> POSTGRESQL_STATES = Map.ofEntries(
            // unique_violation: primary key or unique constraint
            Map.entry("23505", SqlFailure.Kind.UNIQUE_VIOLATION),
            // foreign_key_violation: both a missing referenced row and a delete of a referenced row
            Map.entry("23503", SqlFailure.Kind.FOREIGN_KEY_VIOLATION),
            // not_null_violation
            Map.entry("23502", SqlFailure.Kind.NOT_NULL_VIOLATION),
            // string_data_right_truncation: "value too long for type character varying(n)"
            Map.entry("22001", SqlFailure.Kind.VALUE_TOO_LONG),
            // numeric_value_out_of_range: "integer out of range", "numeric field overflow"
            Map.entry("22003", SqlFailure.Kind.NUMERIC_OUT_OF_RANGE),
            // serialization_failure
            Map.entry("40001", SqlFailure.Kind.CONCURRENCY_CONFLICT),
            // deadlock_detected
            Map.entry("40P01", SqlFailure.Kind.CONCURRENCY_CONFLICT),
            // lock_not_available: lock_timeout expired
            Map.entry("55P03", SqlFailure.Kind.CONCURRENCY_CONFLICT),
            // sqlclient_unable_to_establish_sqlconnection (the driver cannot connect)
            Map.entry("08001", SqlFailure.Kind.UNAVAILABLE),
            // connection_does_not_exist
            Map.entry("08003", SqlFailure.Kind.UNAVAILABLE),
            // connection_failure: the connection broke during use
            Map.entry("08006", SqlFailure.Kind.UNAVAILABLE),
            // admin_shutdown: the server is shutting down
            Map.entry("57P01", SqlFailure.Kind.UNAVAILABLE),
            // cannot_connect_now: the server is starting up
            Map.entry("57P03", SqlFailure.Kind.UNAVAILABLE));

    /** H2's SQL states (org.h2.api.ErrorCode); H2 uses some standard states for other meanings. */
    static final Map<String, SqlFailure.Kind> H2_STATES = Map.ofEntries(
            // DUPLICATE_KEY_1: "Unique index or primary key violation"
            Map.entry("23505", SqlFailure.Kind.UNIQUE_VIOLATION),
            // REFERENTIAL_INTEGRITY_VIOLATED_PARENT_MISSING_1: insert or update references a missing row
            Map.entry("23506", SqlFailure.Kind.FOREIGN_KEY_VIOLATION),
            // REFERENTIAL_INTEGRITY_VIOLATED_CHILD_EXISTS_1: delete or update of a row that is still referenced
            Map.entry("23503", SqlFailure.Kind.FOREIGN_KEY_VIOLATION),
            // NULL_NOT_ALLOWED
            Map.entry("23502", SqlFailure.Kind.NOT_NULL_VIOLATION),
            // VALUE_TOO_LONG_2: a string over its length, or a number over its NUMERIC precision
            Map.entry("22001", SqlFailure.Kind.VALUE_TOO_LONG),
            // NUMERIC_VALUE_OUT_OF_RANGE_1
            Map.entry("22003", SqlFailure.Kind.NUMERIC_OUT_OF_RANGE),
            // NUMERIC_VALUE_OUT_OF_RANGE_2: "Numeric value out of range: {0} in column {1}" (not the standard 22004)
            Map.entry("22004", SqlFailure.Kind.NUMERIC_OUT_OF_RANGE),
            // DEADLOCK_1
            Map.entry("40001", SqlFailure.Kind.CONCURRENCY_CONFLICT),
            // LOCK_TIMEOUT_1: "Timeout trying to lock table"
            Map.entry("HYT00", SqlFailure.Kind.CONCURRENCY_CONFLICT),
            // CONCURRENT_UPDATE_1: a row was changed by a concurrent transaction
            Map.entry("90131", SqlFailure.Kind.CONCURRENCY_CONFLICT),
            // DATABASE_IS_CLOSED
            Map.entry("90098", SqlFailure.Kind.UNAVAILABLE),
            // DATABASE_ALREADY_OPEN_1: another process holds the database file
            Map.entry("90020", SqlFailure.Kind.UNAVAILABLE),
            // CONNECTION_BROKEN_1 (server mode)
            Map.entry("90067", SqlFailure.Kind.UNAVAILABLE));

    private SqlErrors() {}

    /** Classifies a failure reported by a database of this dialect. */
    public static SqlFailure classify(Dialect dialect, SQLException failure) {
        SQLException reported = failure;
        // a failed batch statement carries the server's error as the next exception (PostgreSQL)
        if (failure instanceof BatchUpdateException && failure.getNextException() != null) {
            reported = failure.getNextException();
        }
        if (reported instanceof SQLTransientConnectionException) {
            // the pool found no connection in time; it reports the last connection error's state, if any
            return new SqlFailure(SqlFailure.Kind.UNAVAILABLE, null, failure);
        }
        String state = reported.getSQLState();
        SqlFailure.Kind kind = state == null
                ? SqlFailure.Kind.OTHER
                : dialect.sqlStates().getOrDefault(state, SqlFailure.Kind.OTHER);
        String constraint = kind == SqlFailure.Kind.UNIQUE_VIOLATION || kind == SqlFailure.Kind.FOREIGN_KEY_VIOLATION
                ? dialect.constraintName(reported)
                : null;
        return new SqlFailure(kind, constraint, failure);
    }

    /**
     * The error a client sees for a failure the code above the database did not handle itself. Code that knows the
     * operation (for example which lookup a foreign key guards) should throw a more precise error instead.
     */
    public static DataverseException toDataverse(SqlFailure failure) {
        SQLException cause = failure.cause();
        return switch (failure.kind()) {
            case UNIQUE_VIOLATION -> new DataverseException(
                    412, ErrorCodes.DUPLICATE_RECORD, "A record with matching key values already exists.", cause);
            case FOREIGN_KEY_VIOLATION -> new DataverseException(
                    400,
                    ErrorCodes.INVALID_ARGUMENT,
                    "The record refers to a record that does not exist, or is still referred to by another record.",
                    cause);
            case NOT_NULL_VIOLATION -> new DataverseException(
                    400, ErrorCodes.REQUIRED_FIELD_MISSING, "Required field missing.", cause);
            case VALUE_TOO_LONG -> new DataverseException(
                    400,
                    ErrorCodes.STRING_LENGTH_TOO_LONG,
                    "A validation error occurred. A value exceeded the maximum allowed length of its column.",
                    cause);
            case NUMERIC_OUT_OF_RANGE -> new DataverseException(
                    400,
                    ErrorCodes.VALUE_OUT_OF_RANGE,
                    "A validation error occurred. A value is outside the allowed range of its column.",
                    cause);
            case CONCURRENCY_CONFLICT -> new DataverseException(
                    503,
                    ErrorCodes.UNEXPECTED,
                    "The operation conflicted with a concurrent operation on the same records. Try again.",
                    cause);
            case UNAVAILABLE -> new DataverseException(
                    503, ErrorCodes.UNEXPECTED, "The database is not available. Try again later.", cause);
            case OTHER -> new DataverseException(500, ErrorCodes.UNEXPECTED, "An unexpected error occurred.", cause);
        };
    }
}
