package io.flowbin.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowbin.metadata.Catalog;
import io.flowbin.metadata.ColumnDefinition;
import io.flowbin.metadata.TableDefinition;
import io.flowbin.testing.SampleModels;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class DialectTest {
    private static final Catalog CATALOG = SampleModels.everyTypeCatalog();
    private static final TableDefinition EVERY_TYPE = Objects.requireNonNull(
            CATALOG.table(SampleModels.EVERY_TYPE_TABLE));

    @Test
    void jdbcUrlSelectsTheDialect() {
        assertEquals(Dialect.H2, Dialect.fromJdbcUrl("jdbc:h2:file:/tmp/x/db/flowbin;DB_CLOSE_ON_EXIT=FALSE"));
        assertEquals(Dialect.POSTGRESQL, Dialect.fromJdbcUrl("jdbc:postgresql://db:5432/flowbin?ssl=true"));
    }

    @Test
    void otherDatabaseUrlIsRejectedNamingTheSetting() {
        IllegalArgumentException failure = assertThrows(
                IllegalArgumentException.class, () -> Dialect.fromJdbcUrl("jdbc:mysql://localhost/flowbin"));
        assertTrue(failure.getMessage().contains("FLOWBIN_DB_URL"), failure.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void identifiersAreQuotedAndOnlyLogicalNamesAccepted(Dialect dialect) {
        assertEquals("\"flowsessionbinary\"", dialect.quote("flowsessionbinary"));
        for (String bad : new String[] {"Name", "name\"; DROP TABLE x; --", "", "a b", "x".repeat(64)}) {
            assertThrows(IllegalArgumentException.class, () -> dialect.quote(bad), bad);
        }
    }

    @ParameterizedTest
    @CsvSource({
        "H2, sampleeverytypeid, UUID",
        "H2, stringcolumn, VARCHAR(50)",
        "H2, unboundedmemo, CHARACTER VARYING",
        "H2, integercolumn, INTEGER",
        "H2, bigintcolumn, BIGINT",
        "H2, decimalcolumn, 'NUMERIC(38, 10)'",
        "H2, moneycolumn, 'NUMERIC(38, 4)'",
        "H2, doublecolumn, DOUBLE PRECISION",
        "H2, booleancolumn, BOOLEAN",
        "H2, datetimecolumn, TIMESTAMP WITH TIME ZONE",
        "H2, picklistcolumn, INTEGER",
        "H2, statecode, INTEGER",
        "H2, statuscode, INTEGER",
        "H2, " + SampleModels.LONG_LOOKUP_COLUMN + ", UUID",
        "H2, customerid, UUID",
        "H2, ownerid, UUID",
        "H2, owneridtype, VARCHAR(128)",
        "H2, entitynamecolumn, VARCHAR(128)",
        "H2, filecolumn, UUID",
        "H2, imagecolumn, UUID",
        "H2, managedcolumn, BOOLEAN",
        "POSTGRESQL, unboundedmemo, TEXT",
        "POSTGRESQL, stringcolumn, VARCHAR(50)",
        "POSTGRESQL, datetimecolumn, TIMESTAMP WITH TIME ZONE",
        "POSTGRESQL, doublecolumn, DOUBLE PRECISION",
    })
    void columnTypeFollowsTheAttributeType(Dialect dialect, String column, String expected) {
        assertEquals(expected, dialect.columnType(column(column)));
    }

    @Test
    void virtualColumnHasNoType() {
        assertThrows(IllegalArgumentException.class, () -> Dialect.H2.columnType(column("virtualcolumn")));
    }

    @Test
    void nextVersionExpressionNamesTheSequence() {
        assertEquals("NEXT VALUE FOR \"flowbin_version\"", Dialect.H2.nextVersionExpression());
        assertEquals("nextval('\"flowbin_version\"')", Dialect.POSTGRESQL.nextVersionExpression());
    }

    private static ColumnDefinition column(String logicalName) {
        return Objects.requireNonNull(EVERY_TYPE.column(logicalName), logicalName);
    }
}
