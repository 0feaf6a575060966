package io.flowbin.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowbin.error.DataverseException;
import io.flowbin.error.ErrorCodes;
import io.flowbin.metadata.Catalog;
import io.flowbin.metadata.ColumnDefinition;
import io.flowbin.metadata.TableDefinition;
import io.flowbin.testing.DatabaseKind;
import io.flowbin.testing.SampleModels;
import io.flowbin.testing.TestDatabase;
import io.flowbin.testing.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.jspecify.annotations.Nullable;

/** Runs against a fresh H2 and a fresh PostgreSQL database; every test ends with no connection lent out. */
class DatabaseTest {
    private static final Catalog CATALOG = SampleModels.everyTypeCatalog();

    @TempDir
    Path tempDir;

    @FunctionalInterface
    private interface DatabaseTestBody {
        void run(Database database) throws Exception;
    }

    private void withDatabase(DatabaseKind kind, DatabaseTestBody body) throws Exception {
        try (TestDatabase testDatabase = TestDatabases.create(kind, tempDir);
                Database database = Database.open(testDatabase.settings(), CATALOG)) {
            body.run(database);
            assertEquals(0, database.activeConnections(), "connections still lent out after the test");
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void migrationCreatesEveryTableAndColumnWithItsType(DatabaseKind kind) throws Exception {
        withDatabase(kind, database -> database.inTransaction(transaction -> {
            DatabaseMetaData metaData = transaction.connection().getMetaData();
            String schema = transaction.connection().getSchema();
            for (TableDefinition table : CATALOG.tables()) {
                Map<String, String> actual = new HashMap<>();
                try (ResultSet columns = metaData.getColumns(null, schema, table.logicalName(), null)) {
                    while (columns.next()) {
                        actual.put(columns.getString("COLUMN_NAME"), describe(columns));
                    }
                }
                Map<String, String> expected = new HashMap<>();
                for (ColumnDefinition column : CATALOG.storedColumns(table)) {
                    expected.put(column.logicalName(), expectedType(database.dialect(), column));
                }
                if (table.column("versionnumber") == null) {
                    // every row carries a version, also where the definition lists no column for it
                    expected.put("versionnumber", database.dialect() == Dialect.H2 ? "BIGINT" : "INT8");
                }
                assertEquals(expected, actual, table.logicalName());
                try (ResultSet keys = metaData.getPrimaryKeys(null, schema, table.logicalName())) {
                    assertTrue(keys.next(), table.logicalName());
                    assertEquals(table.primaryIdAttribute(), keys.getString("COLUMN_NAME"));
                    assertFalse(keys.next());
                }
            }
            assertFalse(CATALOG.storedColumns(everyType()).stream()
                    .anyMatch(column -> column.logicalName().equals("virtualcolumn")));
            Set<String> foreignKeys = new HashSet<>();
            try (ResultSet keys = metaData.getImportedKeys(null, schema, "flowsessionbinary")) {
                while (keys.next()) {
                    foreignKeys.add(keys.getString("FK_NAME") + " " + keys.getString("FKCOLUMN_NAME") + " -> "
                            + keys.getString("PKTABLE_NAME") + "." + keys.getString("PKCOLUMN_NAME"));
                }
            }
            assertEquals(Set.of(
                    "fk_flowsessionbinary_flowsessionid flowsessionid -> flowsession.flowsessionid",
                    "fk_flowsessionbinary_owninguser owninguser -> systemuser.systemuserid",
                    "fk_flowsessionbinary_owningteam owningteam -> team.teamid",
                    "fk_flowsessionbinary_owningbusinessunit owningbusinessunit -> businessunit.businessunitid",
                    "fk_flowsessionbinary_createdby createdby -> systemuser.systemuserid",
                    "fk_flowsessionbinary_modifiedby modifiedby -> systemuser.systemuserid",
                    "fk_flowsessionbinary_createdonbehalfby createdonbehalfby -> systemuser.systemuserid",
                    "fk_flowsessionbinary_modifiedonbehalfby modifiedonbehalfby -> systemuser.systemuserid"),
                    foreignKeys);
            return null;
        }));
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void migratingAgainChangesNothing(DatabaseKind kind) throws Exception {
        try (TestDatabase testDatabase = TestDatabases.create(kind, tempDir)) {
            int historyAfterFirstOpen;
            try (Database database = Database.open(testDatabase.settings(), CATALOG)) {
                database.inTransaction(transaction -> insertBusinessUnit(transaction, UUID.randomUUID(), "root"));
                historyAfterFirstOpen = count(database, "SELECT COUNT(*) FROM \"flyway_schema_history\"");
            }
            try (Database database = Database.open(testDatabase.settings(), CATALOG)) {
                assertEquals(1, countBusinessUnits(database));
                assertEquals(historyAfterFirstOpen, count(database, "SELECT COUNT(*) FROM \"flyway_schema_history\""));
                // V1 tables, V2 foreign keys on declared indexes, V3 lean tables, V4 upload sessions
                assertEquals(4, count(database, "SELECT COUNT(*) FROM \"flyway_schema_history\""
                        + " WHERE \"version\" IS NOT NULL AND \"success\" = TRUE"));
                assertEquals(0, database.activeConnections());
            }
        }
    }

    @org.junit.jupiter.api.Test
    void foreignKeysOnH2UseTheDeclaredIndexesInsteadOfIndexesOfTheirOwn() throws Exception {
        withDatabase(DatabaseKind.H2, database -> assertEquals(undeclaredForeignKeyIndexes(),
                foreignKeysWithIndexesOfTheirOwn(database)));
    }

    @org.junit.jupiter.api.Test
    void upgradeMovesForeignKeysOfAnOlderH2DatabaseOntoTheDeclaredIndexes() throws Exception {
        SchemaNames.ForeignKey foreignKey = new SchemaNames(CATALOG).foreignKeys().getFirst();
        String index = IndexPlan.indexes(CATALOG, Dialect.H2).stream()
                .filter(each -> each.table().equals(foreignKey.table())
                        && each.terms().getFirst().startsWith(Dialect.H2.quote(foreignKey.column())))
                .findFirst().orElseThrow().name();
        withDatabase(DatabaseKind.H2, database -> {
            // the layout the first version left: the foreign key made before the declared index, with one of its own
            database.inTransaction(transaction -> {
                try (java.sql.Statement statement = transaction.connection().createStatement()) {
                    statement.execute("ALTER TABLE " + Dialect.H2.quote(foreignKey.table()) + " DROP CONSTRAINT "
                            + Dialect.H2.quote(foreignKey.name()));
                    statement.execute("DROP INDEX " + Dialect.H2.quote(index));
                    statement.execute(SchemaGenerator.addForeignKey(Dialect.H2, foreignKey));
                    statement.execute("CREATE INDEX " + Dialect.H2.quote(index) + " ON "
                            + Dialect.H2.quote(foreignKey.table()) + " (" + Dialect.H2.quote(foreignKey.column())
                            + ")");
                }
                return null;
            });
            assertTrue(foreignKeysWithIndexesOfTheirOwn(database).contains(foreignKey.name()));

            database.inTransaction(transaction -> {
                new V2__Foreign_keys_on_declared_indexes(CATALOG).migrate(new MigrationContext(
                        transaction.connection()));
                return null;
            });

            assertEquals(undeclaredForeignKeyIndexes(), foreignKeysWithIndexesOfTheirOwn(database));
            assertEquals(new SchemaNames(CATALOG).foreignKeys().size(), count(database, "SELECT COUNT(*) FROM"
                    + " INFORMATION_SCHEMA.TABLE_CONSTRAINTS WHERE CONSTRAINT_TYPE = 'FOREIGN KEY'"
                    + " AND TABLE_SCHEMA = CURRENT_SCHEMA"));
        });
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void systemJobTableKeepsNoForeignKeysAndOnlyTheIndexesItsQueriesNeed(DatabaseKind kind) throws Exception {
        Catalog served = new Catalog(io.flowbin.metadata.ModelJson.servedModel());
        try (TestDatabase testDatabase = TestDatabases.create(kind, tempDir);
                Database database = Database.open(testDatabase.settings(), served)) {
            assertEquals(0, count(database, "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS"
                    + " WHERE CONSTRAINT_TYPE = 'FOREIGN KEY' AND TABLE_NAME = 'asyncoperation'"));
            Set<String> indexes = database.inTransaction(transaction -> {
                Set<String> names = new HashSet<>();
                try (ResultSet rows = transaction.connection().getMetaData().getIndexInfo(null, null,
                        "asyncoperation", false, false)) {
                    while (rows.next()) {
                        String name = rows.getString("INDEX_NAME");
                        if (name != null && name.startsWith("ix_")) {
                            names.add(name);
                        }
                    }
                }
                return names;
            });
            assertEquals(Set.of("ix_asyncoperation_owningextensionid", "ix_asyncoperation_regardingobjectid",
                    "ix_asyncoperation_statecode_createdon"), indexes);
            // other tables keep theirs
            assertTrue(count(database, "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS"
                    + " WHERE CONSTRAINT_TYPE = 'FOREIGN KEY' AND TABLE_NAME = 'flowsessionbinary'") > 0);
        }
    }

    /**
     * The foreign keys H2 must index itself: those on the first column of an intersect table, which only the unique
     * constraint's index covers, and H2 does not lend a constraint's index to another constraint.
     */
    private static Set<String> undeclaredForeignKeyIndexes() {
        Set<String> names = new HashSet<>();
        SchemaNames schema = new SchemaNames(CATALOG);
        for (SchemaNames.IntersectTable table : schema.intersectTables()) {
            for (SchemaNames.ForeignKey foreignKey : schema.foreignKeys()) {
                if (foreignKey.table().equals(table.name()) && foreignKey.column().equals(table.firstColumn())) {
                    names.add(foreignKey.name());
                }
            }
        }
        return names;
    }

    private static Set<String> foreignKeysWithIndexesOfTheirOwn(Database database) {
        return database.inTransaction(transaction -> {
            Set<String> names = new HashSet<>();
            try (PreparedStatement statement = transaction.connection().prepareStatement("SELECT CONSTRAINT_NAME"
                    + " FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS WHERE CONSTRAINT_TYPE = 'FOREIGN KEY'"
                    + " AND TABLE_SCHEMA = CURRENT_SCHEMA AND INDEX_NAME LIKE CONSTRAINT_NAME || '\\_INDEX\\_%'"
                    + " ESCAPE '\\'");
                    ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    names.add(rows.getString(1));
                }
            }
            return names;
        });
    }

    /** What a Java migration reads of Flyway's context: the connection. */
    private record MigrationContext(Connection connection) implements org.flywaydb.core.api.migration.Context {
        @Override
        public org.flywaydb.core.api.configuration.Configuration getConfiguration() {
            throw new UnsupportedOperationException("not read by the migration");
        }

        @Override
        public Connection getConnection() {
            return connection;
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void databaseBuiltFromOtherDefinitionsIsRefusedAtOpen(DatabaseKind kind) throws Exception {
        try (TestDatabase testDatabase = TestDatabases.create(kind, tempDir)) {
            try (Database database = Database.open(testDatabase.settings(), SampleModels.flowSessionCatalog())) {
                assertTrue(database.isReachable());
            }
            IllegalStateException failure = assertThrows(
                    IllegalStateException.class, () -> Database.open(testDatabase.settings(), CATALOG));
            assertTrue(failure.getMessage().contains("checksum mismatch"), failure.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void stringOverMaxLengthIsRefusedAsValueTooLong(DatabaseKind kind) throws Exception {
        withDatabase(kind, database -> {
            SqlFailure failure = classifiedFailure(database,
                    transaction -> insertBusinessUnit(transaction, UUID.randomUUID(), "x".repeat(161)));
            assertEquals(SqlFailure.Kind.VALUE_TOO_LONG, failure.kind());
            DataverseException translated = assertThrows(DataverseException.class, () -> database.inTransaction(
                    transaction -> insertBusinessUnit(transaction, UUID.randomUUID(), "x".repeat(161))));
            assertEquals(400, translated.httpStatus());
            assertEquals(ErrorCodes.STRING_LENGTH_TOO_LONG, translated.code());
            assertEquals(0, countBusinessUnits(database));
        });
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void foreignKeyViolationNamesTheLookupColumn(DatabaseKind kind) throws Exception {
        withDatabase(kind, database -> {
            SqlFailure missingParent = classifiedFailure(database, transaction -> insertBinary(transaction,
                    UUID.randomUUID(), UUID.randomUUID()));
            assertEquals(SqlFailure.Kind.FOREIGN_KEY_VIOLATION, missingParent.kind());
            SchemaNames.ForeignKey key = database.schemaNames()
                    .columnOfForeignKey(String.valueOf(missingParent.constraintName()));
            assertNotNull(key, "constraint " + missingParent.constraintName());
            assertEquals("flowsessionbinary", key.table());
            assertEquals("flowsessionid", key.column());

            UUID flowSessionId = UUID.randomUUID();
            database.inTransaction(transaction -> {
                execute(transaction, "INSERT INTO \"flowsession\" (\"flowsessionid\", \"name\") VALUES (?, ?)",
                        flowSessionId, "run");
                return insertBinary(transaction, UUID.randomUUID(), flowSessionId);
            });
            SqlFailure referencedParent = classifiedFailure(database, transaction -> execute(transaction,
                    "DELETE FROM \"flowsession\" WHERE \"flowsessionid\" = ?", flowSessionId));
            assertEquals(SqlFailure.Kind.FOREIGN_KEY_VIOLATION, referencedParent.kind());
            assertEquals(missingParent.constraintName(), referencedParent.constraintName());
        });
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void shortenedForeignKeyNameLeadsBackToItsColumn(DatabaseKind kind) throws Exception {
        withDatabase(kind, database -> {
            SqlFailure failure = classifiedFailure(database, transaction -> execute(transaction,
                    "INSERT INTO \"" + SampleModels.EVERY_TYPE_TABLE + "\" (\"sampleeverytypeid\", \""
                            + SampleModels.LONG_LOOKUP_COLUMN + "\") VALUES (?, ?)",
                    UUID.randomUUID(), UUID.randomUUID()));
            assertEquals(SqlFailure.Kind.FOREIGN_KEY_VIOLATION, failure.kind());
            SchemaNames.ForeignKey key = database.schemaNames()
                    .columnOfForeignKey(String.valueOf(failure.constraintName()));
            assertNotNull(key, "constraint " + failure.constraintName());
            assertEquals(SampleModels.LONG_LOOKUP_COLUMN, key.column());
        });
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void duplicatePrimaryKeyIsUniqueViolation(DatabaseKind kind) throws Exception {
        withDatabase(kind, database -> {
            UUID id = UUID.randomUUID();
            database.inTransaction(transaction -> insertBusinessUnit(transaction, id, "first"));
            SqlFailure failure = classifiedFailure(
                    database, transaction -> insertBusinessUnit(transaction, id, "again"));
            assertEquals(SqlFailure.Kind.UNIQUE_VIOLATION, failure.kind());
            assertNotNull(failure.constraintName());
            DataverseException translated = assertThrows(DataverseException.class,
                    () -> database.inTransaction(transaction -> insertBusinessUnit(transaction, id, "again")));
            assertEquals(412, translated.httpStatus());
            assertEquals("0x80040237", translated.code());
            assertEquals("A record with matching key values already exists.", translated.getMessage());
        });
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void missingPrimaryKeyIsNotNullViolation(DatabaseKind kind) throws Exception {
        withDatabase(kind, database -> {
            SqlFailure failure = classifiedFailure(database, transaction -> insertBusinessUnit(transaction, null, "x"));
            assertEquals(SqlFailure.Kind.NOT_NULL_VIOLATION, failure.kind());
        });
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void numberOutsideIntegerIsNumericOutOfRange(DatabaseKind kind) throws Exception {
        withDatabase(kind, database -> {
            SqlFailure failure = classifiedFailure(database, transaction -> execute(transaction,
                    "INSERT INTO \"businessunit\" (\"businessunitid\", \"inheritancemask\") VALUES (?, ?)",
                    UUID.randomUUID(), 3_000_000_000L));
            assertEquals(SqlFailure.Kind.NUMERIC_OUT_OF_RANGE, failure.kind());
        });
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void normalReturnCommits(DatabaseKind kind) throws Exception {
        withDatabase(kind, database -> {
            UUID id = UUID.randomUUID();
            String result = database.inTransaction(transaction -> {
                insertBusinessUnit(transaction, id, "committed");
                return "done";
            });
            assertEquals("done", result);
            assertEquals(1, countBusinessUnits(database));
        });
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void exceptionInCallbackRollsBackAndIsRethrownUnchanged(DatabaseKind kind) throws Exception {
        withDatabase(kind, database -> {
            DataverseException thrown = ErrorCodes.invalidArgument("Invalid argument.");
            DataverseException caught = assertThrows(DataverseException.class, () -> database.inTransaction(
                    transaction -> {
                        insertBusinessUnit(transaction, UUID.randomUUID(), "rolled back");
                        throw thrown;
                    }));
            assertSame(thrown, caught);
            assertEquals(0, countBusinessUnits(database));
        });
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void sqlFailureRollsBackEarlierStatements(DatabaseKind kind) throws Exception {
        withDatabase(kind, database -> {
            UUID id = UUID.randomUUID();
            assertThrows(DataverseException.class, () -> database.inTransaction(transaction -> {
                insertBusinessUnit(transaction, id, "first");
                return insertBusinessUnit(transaction, id, "duplicate");
            }));
            assertEquals(0, countBusinessUnits(database));
        });
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void versionsAreStrictlyIncreasingAcrossTransactions(DatabaseKind kind) throws Exception {
        withDatabase(kind, database -> {
            long previous = 0;
            for (int i = 0; i < 20; i++) {
                long version = database.inTransaction(Transaction::nextVersion);
                assertTrue(version > previous, version + " after " + previous);
                previous = version;
            }
            ExecutorService executor = Executors.newFixedThreadPool(4);
            try {
                List<Future<List<Long>>> results = new ArrayList<>();
                for (int thread = 0; thread < 4; thread++) {
                    results.add(executor.submit(() -> {
                        List<Long> versions = new ArrayList<>();
                        for (int i = 0; i < 25; i++) {
                            versions.add(database.inTransaction(Transaction::nextVersion));
                        }
                        return versions;
                    }));
                }
                Set<Long> all = new HashSet<>();
                for (Future<List<Long>> result : results) {
                    List<Long> versions = result.get();
                    for (int i = 1; i < versions.size(); i++) {
                        assertTrue(versions.get(i) > versions.get(i - 1), versions.toString());
                    }
                    assertTrue(versions.get(0) > previous);
                    all.addAll(versions);
                }
                assertEquals(100, all.size());
            } finally {
                executor.shutdownNow();
            }
        });
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void nestedTransactionIsRefused(DatabaseKind kind) throws Exception {
        withDatabase(kind, database -> {
            assertThrows(IllegalStateException.class,
                    () -> database.inTransaction(outer -> database.inTransaction(inner -> 1)));
            int result = database.inTransaction(transaction -> 1);
            assertEquals(1, result);
        });
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void transactionsInsideASharedTransactionJoinItAndCommitOnce(DatabaseKind kind) throws Exception {
        withDatabase(kind, database -> {
            int before = countBusinessUnits(database);
            database.inSharedTransaction(outer -> {
                database.inTransaction(first -> insertBusinessUnit(first, UUID.randomUUID(), "first"));
                database.inTransaction(second -> {
                    assertSame(outer, second, "the joined callback gets the shared transaction");
                    return insertBusinessUnit(second, UUID.randomUUID(), "second");
                });
                assertEquals(1, database.activeConnections(), "one connection for the whole shared transaction");
                return null;
            });
            assertEquals(before + 2, countBusinessUnits(database));
            assertThrows(IllegalStateException.class,
                    () -> database.inSharedTransaction(outer -> database.inSharedTransaction(inner -> 1)));
        });
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aFailureInsideASharedTransactionRollsBackAllOfIt(DatabaseKind kind) throws Exception {
        withDatabase(kind, database -> {
            int before = countBusinessUnits(database);
            assertThrows(DataverseException.class, () -> database.inSharedTransaction(outer -> {
                database.inTransaction(first -> insertBusinessUnit(first, UUID.randomUUID(), "kept?"));
                return database.inTransaction(second -> {
                    throw ErrorCodes.invalidArgument("second unit of work fails");
                });
            }));
            assertEquals(before, countBusinessUnits(database), "the first unit of work is undone");
            IllegalStateException swallowed = assertThrows(IllegalStateException.class,
                    () -> database.inSharedTransaction(outer -> {
                        database.inTransaction(first -> insertBusinessUnit(first, UUID.randomUUID(), "kept?"));
                        try {
                            database.inTransaction(second -> {
                                throw ErrorCodes.invalidArgument("caught by the caller");
                            });
                        } catch (DataverseException caught) {
                            // a caller that swallows the failure must still not commit the rest
                        }
                        return null;
                    }));
            assertTrue(swallowed.getMessage().contains("nothing of it is committed"));
            assertEquals(before, countBusinessUnits(database), "a swallowed failure still rolls everything back");
        });
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void reachableWhileOpenAndNotAfterClose(DatabaseKind kind) throws Exception {
        try (TestDatabase testDatabase = TestDatabases.create(kind, tempDir)) {
            Database database = Database.open(testDatabase.settings(), CATALOG);
            assertTrue(database.isReachable());
            assertEquals(0, database.activeConnections());
            database.close();
            assertFalse(database.isReachable());
        }
    }

    private static TableDefinition everyType() {
        TableDefinition table = CATALOG.table(SampleModels.EVERY_TYPE_TABLE);
        assertNotNull(table);
        return table;
    }

    /** Runs the work, expects an SQL failure from it, and classifies it the way record code does. */
    private static SqlFailure classifiedFailure(Database database, TransactionCallback<?> work) {
        try {
            database.inTransaction(transaction -> {
                try {
                    work.inTransaction(transaction);
                } catch (SQLException failure) {
                    // the transaction may be unusable now; throwing out of the callback rolls it back
                    throw new ClassifiedFailure(SqlErrors.classify(transaction.dialect(), failure));
                }
                throw new AssertionError("the statement did not fail");
            });
        } catch (ClassifiedFailure classified) {
            return classified.failure();
        }
        throw new AssertionError("unreachable");
    }

    private static Integer insertBusinessUnit(Transaction transaction, @Nullable UUID id, String name)
            throws SQLException {
        return execute(transaction, "INSERT INTO \"businessunit\" (\"businessunitid\", \"name\") VALUES (?, ?)",
                id, name);
    }

    private static Integer insertBinary(Transaction transaction, UUID id, UUID flowSessionId) throws SQLException {
        return execute(transaction,
                "INSERT INTO \"flowsessionbinary\" (\"flowsessionbinaryid\", \"flowsessionid\") VALUES (?, ?)",
                id, flowSessionId);
    }

    private static Integer execute(Transaction transaction, String sql, @Nullable Object... parameters)
            throws SQLException {
        Connection connection = transaction.connection();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                if (parameters[i] == null) {
                    statement.setNull(i + 1, Types.NULL);
                } else {
                    statement.setObject(i + 1, parameters[i]);
                }
            }
            return statement.executeUpdate();
        }
    }

    private static int countBusinessUnits(Database database) {
        return count(database, "SELECT COUNT(*) FROM \"businessunit\"");
    }

    private static int count(Database database, String sql) {
        return database.inTransaction(transaction -> {
            try (PreparedStatement statement = transaction.connection().prepareStatement(sql);
                    ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getInt(1);
            }
        });
    }

    private static String describe(ResultSet column) throws SQLException {
        String type = column.getString("TYPE_NAME").toUpperCase(java.util.Locale.ROOT);
        return switch (type) {
            case "VARCHAR", "CHARACTER VARYING" -> type + "(" + column.getInt("COLUMN_SIZE") + ")";
            case "NUMERIC" -> type + "(" + column.getInt("COLUMN_SIZE") + ", " + column.getInt("DECIMAL_DIGITS") + ")";
            default -> type;
        };
    }

    private static String expectedType(Dialect dialect, ColumnDefinition column) {
        boolean h2 = dialect == Dialect.H2;
        return switch (column.type()) {
            case UNIQUEIDENTIFIER, LOOKUP, OWNER, CUSTOMER, FILE, IMAGE -> "UUID";
            case STRING, MEMO -> column.maxLength() == null
                    ? (h2 ? "CHARACTER VARYING(1000000000)" : "TEXT")
                    : (h2 ? "CHARACTER VARYING(" : "VARCHAR(") + column.maxLength() + ")";
            case INTEGER, PICKLIST, STATE, STATUS -> h2 ? "INTEGER" : "INT4";
            case BIGINT -> h2 ? "BIGINT" : "INT8";
            case DECIMAL, MONEY -> "NUMERIC(38, " + (column.precision() == null ? 10 : column.precision()) + ")";
            case DOUBLE -> h2 ? "DOUBLE PRECISION" : "FLOAT8";
            case BOOLEAN, MANAGEDPROPERTY -> h2 ? "BOOLEAN" : "BOOL";
            case DATETIME -> h2 ? "TIMESTAMP WITH TIME ZONE" : "TIMESTAMPTZ";
            case ENTITYNAME -> (h2 ? "CHARACTER VARYING" : "VARCHAR") + "(128)";
            case VIRTUAL -> throw new AssertionError("stored Virtual column " + column.logicalName());
        };
    }

    /** Carries a classified failure out of a callback, which rolls the transaction back. */
    private static final class ClassifiedFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient SqlFailure failure;

        ClassifiedFailure(SqlFailure failure) {
            super(failure.kind().name(), null, false, false);
            this.failure = failure;
        }

        SqlFailure failure() {
            return failure;
        }
    }
}
