package io.flowbin.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.flowbin.error.DataverseException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SqlErrorsTest {

    @ParameterizedTest
    @CsvSource({
        "POSTGRESQL, 23505, UNIQUE_VIOLATION",
        "POSTGRESQL, 23503, FOREIGN_KEY_VIOLATION",
        "POSTGRESQL, 23502, NOT_NULL_VIOLATION",
        "POSTGRESQL, 22001, VALUE_TOO_LONG",
        "POSTGRESQL, 22003, NUMERIC_OUT_OF_RANGE",
        "POSTGRESQL, 40001, CONCURRENCY_CONFLICT",
        "POSTGRESQL, 40P01, CONCURRENCY_CONFLICT",
        "POSTGRESQL, 08006, UNAVAILABLE",
        "POSTGRESQL, 42P01, OTHER",
        "H2, 23505, UNIQUE_VIOLATION",
        "H2, 23506, FOREIGN_KEY_VIOLATION",
        "H2, 23503, FOREIGN_KEY_VIOLATION",
        "H2, 23502, NOT_NULL_VIOLATION",
        "H2, 22001, VALUE_TOO_LONG",
        "H2, 22004, NUMERIC_OUT_OF_RANGE",
        "H2, 40001, CONCURRENCY_CONFLICT",
        "H2, HYT00, CONCURRENCY_CONFLICT",
        "H2, 42S02, OTHER",
    })
    void sqlStateIsLookedUpInTheDialectsTable(Dialect dialect, String state, SqlFailure.Kind kind) {
        assertEquals(kind, SqlErrors.classify(dialect, new SQLException("failed", state)).kind());
    }

    @Test
    void h2ConstraintNameIsReadFromTheMessage() {
        SQLException foreignKey = new SQLException("Referential integrity constraint violation: \"fk_c_pid: PUBLIC.c"
                + " FOREIGN KEY(pid) REFERENCES PUBLIC.p(pid) (UUID '00000000-0000-0000-0000-000000000009')\";"
                + " SQL statement: INSERT INTO \"c\" VALUES (?) [23506-232]", "23506");
        assertEquals("fk_c_pid", SqlErrors.classify(Dialect.H2, foreignKey).constraintName());
        SQLException unique = new SQLException("Unique index or primary key violation: \"PUBLIC.PRIMARY_KEY_7 ON"
                + " PUBLIC.p(pid) VALUES ( /* 1 */ UUID '00000000-0000-0000-0000-000000000001' )\"", "23505");
        assertEquals("PRIMARY_KEY_7", SqlErrors.classify(Dialect.H2, unique).constraintName());
        SQLException tooLong = new SQLException("Value too long for column \"name CHARACTER VARYING(5)\"", "22001");
        assertNull(SqlErrors.classify(Dialect.H2, tooLong).constraintName());
    }

    @Test
    void batchFailureIsClassifiedByTheServersError() {
        BatchUpdateException batch = new BatchUpdateException("Batch entry 0 was aborted", "", new int[0]);
        batch.setNextException(new SQLException("duplicate key", "23505"));
        assertEquals(SqlFailure.Kind.UNIQUE_VIOLATION, SqlErrors.classify(Dialect.POSTGRESQL, batch).kind());
    }

    @Test
    void poolTimeoutIsUnavailable() {
        SQLException timeout = new SQLTransientConnectionException("flowbin - Connection is not available");
        assertEquals(SqlFailure.Kind.UNAVAILABLE, SqlErrors.classify(Dialect.H2, timeout).kind());
    }

    @Test
    void unexpectedFailureIsAGenericServerErrorWithoutSql() {
        SQLException failure = new SQLException("ERROR: relation \"flowsession\" does not exist", "42P01");
        DataverseException error = SqlErrors.toDataverse(SqlErrors.classify(Dialect.POSTGRESQL, failure));
        assertEquals(500, error.httpStatus());
        assertEquals("0x80040216", error.code());
        assertEquals("An unexpected error occurred.", error.getMessage());
        assertEquals(failure, error.getCause());
    }

    @Test
    void noClientMessageContainsSql() {
        SQLException failure = new SQLException("INSERT INTO \"flowsession\" failed", "00000");
        for (SqlFailure.Kind kind : SqlFailure.Kind.values()) {
            String message = SqlErrors.toDataverse(new SqlFailure(kind, "fk_x", failure)).getMessage();
            assertFalse(message.contains("INSERT") || message.contains("fk_x"), message);
        }
    }
}
