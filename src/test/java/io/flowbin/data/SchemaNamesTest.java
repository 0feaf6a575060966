package io.flowbin.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowbin.testing.SampleModels;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

class SchemaNamesTest {
    private final SchemaNames names = new SchemaNames(SampleModels.everyTypeCatalog());

    @Test
    void shortNamesAreKeptWhole() {
        assertEquals(
                "fk_flowsessionbinary_flowsessionid", SchemaNames.foreignKey("flowsessionbinary", "flowsessionid"));
        assertEquals("ix_flowsessionbinary_ownerid", SchemaNames.index("flowsessionbinary", "ownerid"));
        assertEquals("pk_team", SchemaNames.primaryKey("team"));
    }

    @Test
    void longNamesAreShortenedWithAHashDeterministically() {
        String table = "a".repeat(40);
        String first = SchemaNames.foreignKey(table, "b".repeat(40));
        String second = SchemaNames.foreignKey(table, "b".repeat(39) + "c");
        assertEquals(Dialect.MAX_IDENTIFIER_LENGTH, first.length());
        assertEquals(first, SchemaNames.foreignKey(table, "b".repeat(40)));
        assertNotEquals(first, second);
        assertTrue(first.matches("fk_a+_b+_[0-9a-f]{8}"), first);
        Dialect.POSTGRESQL.quote(first);
    }

    @Test
    void foreignKeysGuardSingleTargetLookupsOfLoadedTables() {
        List<String> guarded = names.foreignKeys().stream()
                .filter(key -> key.table().equals("flowsession"))
                .map(SchemaNames.ForeignKey::column)
                .toList();
        assertEquals(
                List.of("parentdesktopflowrunid", "owninguser", "owningteam", "owningbusinessunit", "createdby",
                        "modifiedby", "createdonbehalfby", "modifiedonbehalfby"),
                guarded);
    }

    @Test
    void constraintNameLeadsBackToItsColumn() {
        SchemaNames.ForeignKey key = Objects.requireNonNull(
                names.columnOfForeignKey("fk_flowsessionbinary_flowsessionid"));
        assertEquals(new SchemaNames.ForeignKey("fk_flowsessionbinary_flowsessionid", "flowsessionbinary",
                "flowsessionid", "flowsession", "flowsessionid"), key);
        String shortened = SchemaNames.foreignKey(SampleModels.EVERY_TYPE_TABLE, SampleModels.LONG_LOOKUP_COLUMN);
        assertEquals(SampleModels.LONG_LOOKUP_COLUMN,
                Objects.requireNonNull(names.columnOfForeignKey(shortened)).column());
        assertNull(names.columnOfForeignKey("fk_flowsession_ownerid"));
    }
}
