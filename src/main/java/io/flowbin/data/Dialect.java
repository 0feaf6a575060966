package io.flowbin.data;

import io.flowbin.metadata.ColumnDefinition;
import java.sql.SQLException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The SQL databases flowbin stores rows in. Every difference between them is a capability method here, so that no
 * other code asks which database it talks to. Immutable and thread-safe.
 */
public enum Dialect {
    /** The embedded default: an H2 file database in the data folder. */
    H2("jdbc:h2:", "CHARACTER VARYING") {
        @Override
        public String nextVersionExpression() {
            return "NEXT VALUE FOR " + quote(SchemaNames.VERSION_SEQUENCE);
        }

        @Override
        public boolean supportsExpressionIndexes() {
            return false;
        }

        @Override
        public @Nullable String caseInsensitiveIndexTerm(String quotedColumn) {
            return null;
        }

        @Override
        public boolean seeksRowComparisons() {
            // H2 derives the range of the first column from the row comparison and reads the index in order
            return true;
        }

        @Override
        Map<String, SqlFailure.Kind> sqlStates() {
            return SqlErrors.H2_STATES;
        }

        @Override
        @Nullable String constraintName(SQLException failure) {
            // H2 has no structured field: the constraint (or, for a unique violation, the index) opens the first
            // quoted argument of the message, as in "fk_x: PUBLIC.t FOREIGN KEY(c) ..." or "PUBLIC.IDX ON ...".
            String message = failure.getMessage();
            if (message == null) {
                return null;
            }
            Matcher matcher = H2_CONSTRAINT.matcher(message);
            if (!matcher.find()) {
                return null;
            }
            String name = matcher.group(1);
            int dot = name.lastIndexOf('.');
            return dot < 0 ? name : name.substring(dot + 1);
        }
    },

    /** The production database. */
    POSTGRESQL("jdbc:postgresql:", "TEXT") {
        @Override
        public String nextVersionExpression() {
            return "nextval('" + quote(SchemaNames.VERSION_SEQUENCE) + "')";
        }

        @Override
        public boolean supportsExpressionIndexes() {
            return true;
        }

        @Override
        public String caseInsensitiveIndexTerm(String quotedColumn) {
            // text_pattern_ops serves LIKE 'prefix%' under any collation, and equality as well
            return caseFolded(quotedColumn) + " text_pattern_ops";
        }

        @Override
        public boolean seeksRowComparisons() {
            return true;
        }

        @Override
        Map<String, SqlFailure.Kind> sqlStates() {
            return SqlErrors.POSTGRESQL_STATES;
        }

        @Override
        public Map<String, String> driverProperties() {
            // a JDBC batch of inserts goes out as multi-row INSERTs: one round trip and one statement per chunk
            return Map.of("reWriteBatchedInserts", "true");
        }

        @Override
        @Nullable String constraintName(SQLException failure) {
            if (failure instanceof org.postgresql.util.PSQLException postgres
                    && postgres.getServerErrorMessage() != null) {
                return postgres.getServerErrorMessage().getConstraint();
            }
            return null;
        }
    };

    /** The longest identifier both databases keep unchanged (PostgreSQL's limit; H2 allows more). */
    public static final int MAX_IDENTIFIER_LENGTH = 63;
    /** The longest VARCHAR both databases accept (PostgreSQL: 10,485,760 characters). */
    public static final int MAX_VARCHAR_LENGTH = 10_485_760;

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");
    private static final Pattern H2_CONSTRAINT = Pattern.compile("\"([^\":]+?)(?::| ON |\")");

    private final String urlPrefix;
    private final String unboundedTextType;

    Dialect(String urlPrefix, String unboundedTextType) {
        this.urlPrefix = urlPrefix;
        this.unboundedTextType = unboundedTextType;
    }

    /**
     * The dialect a JDBC URL selects.
     *
     * @throws IllegalArgumentException for a URL of any other database; the message names {@code FLOWBIN_DB_URL}
     */
    public static Dialect fromJdbcUrl(String jdbcUrl) {
        for (Dialect dialect : values()) {
            if (jdbcUrl.startsWith(dialect.urlPrefix)) {
                return dialect;
            }
        }
        throw new IllegalArgumentException("FLOWBIN_DB_URL must start with jdbc:h2: or jdbc:postgresql:, but starts"
                + " with '" + jdbcUrl.substring(0, Math.min(jdbcUrl.length(), 20)) + "'");
    }

    /**
     * The identifier in double quotes. Names are always quoted so that both databases keep the lower-case logical
     * names as they are (H2 would otherwise upper-case them).
     *
     * @throws IllegalArgumentException unless the name is lower-case letters, digits and underscores, at most
     *     {@value #MAX_IDENTIFIER_LENGTH} long: anything else is not a logical name and must not reach SQL text
     */
    public String quote(String identifier) {
        if (identifier.length() > MAX_IDENTIFIER_LENGTH || !IDENTIFIER.matcher(identifier).matches()) {
            throw new IllegalArgumentException("Not a storable identifier: '" + identifier + "'");
        }
        return '"' + identifier + '"';
    }

    /**
     * The SQL type that stores a column, by attribute type: references, files and images as UUID, strings as VARCHAR
     * of their maximum length (unbounded text without one), whole numbers as INTEGER or BIGINT, Decimal and Money as
     * NUMERIC(38, precision or 10), Double as DOUBLE PRECISION, Boolean and ManagedProperty as BOOLEAN, DateTime as
     * TIMESTAMP WITH TIME ZONE (values are always UTC) and EntityName as VARCHAR(128).
     *
     * @throws IllegalArgumentException for a Virtual column, which has no storage
     */
    public String columnType(ColumnDefinition column) {
        return switch (column.type()) {
            case UNIQUEIDENTIFIER, LOOKUP, OWNER, CUSTOMER, FILE, IMAGE -> "UUID";
            // lengths beyond what a VARCHAR holds (some memo columns declare 1,073,741,823) are unbounded text
            case STRING, MEMO -> column.maxLength() == null || column.maxLength() > MAX_VARCHAR_LENGTH
                    ? unboundedTextType
                    : "VARCHAR(" + column.maxLength() + ")";
            case INTEGER, PICKLIST, STATE, STATUS -> "INTEGER";
            case BIGINT -> "BIGINT";
            case DECIMAL, MONEY -> "NUMERIC(38, " + (column.precision() == null ? 10 : column.precision()) + ")";
            case DOUBLE -> "DOUBLE PRECISION";
            case BOOLEAN, MANAGEDPROPERTY -> "BOOLEAN";
            case DATETIME -> "TIMESTAMP WITH TIME ZONE";
            case ENTITYNAME -> "VARCHAR(128)";
            case VIRTUAL -> throw new IllegalArgumentException(
                    "Column '" + column.logicalName() + "' is Virtual and has no storage");
        };
    }

    /**
     * Whether a SELECT can lock the rows it returns and skip those other transactions hold
     * ({@code FOR UPDATE SKIP LOCKED}), so that several nodes share one queue table without waiting on each other.
     * H2 cannot; it serves one node, whose claims are serialised in the process.
     */
    public boolean skipsLockedRows() {
        return this == POSTGRESQL;
    }

    /**
     * The expression compared when a string comparison ignores case: {@code LOWER(expression)}, the same text that
     * the case-insensitive index of {@link #caseInsensitiveIndexTerm(String)} is built on.
     */
    public String caseFolded(String expression) {
        return "LOWER(" + expression + ")";
    }

    /**
     * Whether indexes may be built on expressions such as {@code LOWER(name)}. Where they may not, a string column
     * gets a plain index, which serves ordering but not case-insensitive comparisons.
     */
    public abstract boolean supportsExpressionIndexes();

    /**
     * The index term for case-insensitive equality and prefix matching ({@code LIKE 'x%'}) on a quoted column, or
     * null when the database {@linkplain #supportsExpressionIndexes() has no expression indexes}.
     */
    public abstract @Nullable String caseInsensitiveIndexTerm(String quotedColumn);

    /**
     * Whether a row comparison such as {@code (createdon, id) < (?, ?)} is an index condition: then a keyset cursor
     * on one key and the primary key seeks in one step, where the expanded form ({@code createdon < ? OR (createdon
     * = ? AND id < ?)}) would be re-planned for every statement.
     */
    public abstract boolean seeksRowComparisons();

    /** The average of a numeric expression as an exact decimal, whatever the column's own type. */
    public String averageOf(String expression) {
        return "AVG(CAST(" + expression + " AS NUMERIC(38, 10)))";
    }

    /**
     * An SQL expression that takes the next row version from the {@value SchemaNames#VERSION_SEQUENCE} sequence, for
     * use in a select list or a VALUES/SET clause. Values are strictly increasing across all connections.
     */
    public abstract String nextVersionExpression();

    /**
     * The bitwise OR of two integer expressions: PostgreSQL has the {@code |} operator, H2 only the {@code BITOR}
     * function.
     */
    public String bitOr(String left, String right) {
        return this == POSTGRESQL ? "(" + left + " | " + right + ")" : "BITOR(" + left + ", " + right + ")";
    }

    /** An expression that makes a new random UUID for each row, so that an INSERT ... SELECT can key its rows. */
    public String randomUuidExpression() {
        return this == POSTGRESQL ? "gen_random_uuid()" : "RANDOM_UUID()";
    }

    /** Properties the pool passes to the JDBC driver for every connection. */
    public Map<String, String> driverProperties() {
        return Map.of();
    }

    /** The SQL states this database reports, by kind of failure; states not listed are {@code OTHER}. */
    abstract Map<String, SqlFailure.Kind> sqlStates();

    /** The name of the violated constraint as the database reports it, or null. */
    abstract @Nullable String constraintName(SQLException failure);
}
