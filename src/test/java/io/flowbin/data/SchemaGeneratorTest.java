package io.flowbin.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowbin.metadata.Catalog;
import io.flowbin.testing.SampleModels;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaGeneratorTest {
    private final Catalog catalog = SampleModels.flowSessionCatalog();

    @Test
    void sequenceThenTablesThenForeignKeysThenIndexes() {
        List<String> statements = SchemaGenerator.statements(catalog, Dialect.POSTGRESQL);
        assertEquals("CREATE SEQUENCE \"flowbin_version\" START WITH 1 INCREMENT BY 1 NO CYCLE", statements.get(0));
        int lastTable = lastIndexStartingWith(statements, "CREATE TABLE");
        int firstForeignKey = firstIndexStartingWith(statements, "ALTER TABLE");
        int lastForeignKey = lastIndexStartingWith(statements, "ALTER TABLE");
        int firstIndex = firstIndexStartingWith(statements, "CREATE INDEX");
        assertEquals(catalog.tables().size() + new SchemaNames(catalog).intersectTables().size(), lastTable);
        assertTrue(lastTable < firstForeignKey && lastForeignKey < firstIndex, statements.toString());
    }

    @Test
    void tableHasItsStoredColumnsAndPrimaryKey() {
        String businessUnit = SchemaGenerator.statements(catalog, Dialect.H2).stream()
                .filter(sql -> sql.startsWith("CREATE TABLE \"businessunit\""))
                .findFirst()
                .orElseThrow();
        assertEquals("CREATE TABLE \"businessunit\" (\"businessunitid\" UUID, \"name\" VARCHAR(160),"
                + " \"parentbusinessunitid\" UUID, \"isdisabled\" BOOLEAN, \"creditlimit\" NUMERIC(38, 2),"
                + " \"inheritancemask\" INTEGER, \"createdon\" TIMESTAMP WITH TIME ZONE,"
                + " \"modifiedon\" TIMESTAMP WITH TIME ZONE, \"createdby\" UUID, \"modifiedby\" UUID,"
                + " \"createdonbehalfby\" UUID, \"modifiedonbehalfby\" UUID, \"versionnumber\" BIGINT,"
                + " CONSTRAINT \"pk_businessunit\" PRIMARY KEY (\"businessunitid\"))", businessUnit);
    }

    @Test
    void polymorphicAndUnloadedLookupsGetAnIndexButNoForeignKey() {
        List<String> statements = SchemaGenerator.statements(catalog, Dialect.POSTGRESQL);
        assertTrue(statements.contains("ALTER TABLE \"flowsessionbinary\" ADD CONSTRAINT"
                + " \"fk_flowsessionbinary_flowsessionid\" FOREIGN KEY (\"flowsessionid\")"
                + " REFERENCES \"flowsession\" (\"flowsessionid\")"));
        assertTrue(statements.contains("CREATE INDEX \"ix_flowsessionbinary_ownerid\" ON \"flowsessionbinary\""
                + " (\"ownerid\")"));
        assertTrue(statements.contains("CREATE INDEX \"ix_flowsession_regardingobjectid\" ON \"flowsession\""
                + " (\"regardingobjectid\")"));
        assertFalse(statements.stream().anyMatch(sql -> sql.contains("FOREIGN KEY (\"ownerid\")")));
        assertFalse(statements.stream().anyMatch(sql -> sql.contains("FOREIGN KEY (\"regardingobjectid\")")));
    }

    @Test
    void manyToManyRelationshipsGetAnIntersectTableWithGuardedEnds() {
        List<String> statements = SchemaGenerator.statements(catalog, Dialect.POSTGRESQL);
        assertTrue(statements.contains("CREATE TABLE \"teammembership\" (\"teammembershipid\" UUID,"
                + " \"systemuserid\" UUID NOT NULL, \"teamid\" UUID NOT NULL, \"versionnumber\" BIGINT,"
                + " CONSTRAINT \"pk_teammembership\" PRIMARY KEY (\"teammembershipid\"),"
                + " CONSTRAINT \"uq_teammembership\" UNIQUE (\"systemuserid\", \"teamid\"))"), statements.toString());
        assertTrue(statements.contains("ALTER TABLE \"teammembership\" ADD CONSTRAINT \"fk_teammembership_teamid\""
                + " FOREIGN KEY (\"teamid\") REFERENCES \"team\" (\"teamid\")"));
        assertTrue(statements.contains("CREATE INDEX \"ix_teammembership_teamid\" ON \"teammembership\" (\"teamid\")"));
    }

    @Test
    void sameCatalogGivesSameStatements() {
        assertEquals(SchemaGenerator.statements(catalog, Dialect.H2),
                SchemaGenerator.statements(SampleModels.flowSessionCatalog(), Dialect.H2));
        assertEquals(new V1__Tables_from_definitions(catalog).getChecksum(),
                new V1__Tables_from_definitions(SampleModels.flowSessionCatalog()).getChecksum());
        assertFalse(new V1__Tables_from_definitions(catalog).getChecksum()
                .equals(new V1__Tables_from_definitions(SampleModels.everyTypeCatalog()).getChecksum()));
    }

    private static int firstIndexStartingWith(List<String> statements, String prefix) {
        for (int i = 0; i < statements.size(); i++) {
            if (statements.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    private static int lastIndexStartingWith(List<String> statements, String prefix) {
        for (int i = statements.size() - 1; i >= 0; i--) {
            if (statements.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }
}
