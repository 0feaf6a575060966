package io.flowbin.data;

import java.sql.SQLException;
import org.jspecify.annotations.Nullable;

/**
 * An SQL failure classified by {@link SqlErrors}.
 *
 * @param kind what went wrong
 * @param constraintName for a unique or foreign-key violation, the violated constraint as the database names it (see
 *     {@link SchemaNames#columnOfForeignKey(String)}); on H2 a unique violation names the index behind the constraint.
 *     Null for other kinds and when the database does not say
 * @param cause the original exception
 */
public record SqlFailure(Kind kind, @Nullable String constraintName, SQLException cause) {

    /** The kinds of SQL failure the server answers differently. */
    public enum Kind {
        /** A primary key or unique constraint already holds the value. */
        UNIQUE_VIOLATION,
        /** A reference to a missing row, or a delete of a row that is still referenced. */
        FOREIGN_KEY_VIOLATION,
        /** A null in a NOT NULL column. */
        NOT_NULL_VIOLATION,
        /** A string longer than its column (on H2 also a number with more digits than its column). */
        VALUE_TOO_LONG,
        /** A number outside its column's range. */
        NUMERIC_OUT_OF_RANGE,
        /** A transaction lost a race (serialization failure, deadlock, lock timeout); retrying may succeed. */
        CONCURRENCY_CONFLICT,
        /** The database cannot be reached or dropped the connection. */
        UNAVAILABLE,
        /** Anything else: a defect, never the client's doing. */
        OTHER
    }
}
