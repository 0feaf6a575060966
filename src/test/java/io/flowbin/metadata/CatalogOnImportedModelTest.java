package io.flowbin.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CatalogOnImportedModelTest {
    private final Catalog catalog = new Catalog(SharedPages.model());

    private TableDefinition table(String logicalName) {
        TableDefinition table = catalog.table(logicalName);
        assertNotNull(table, logicalName);
        return table;
    }

    @Test
    void flowSessionBinaryHasItsSingleValuedNavigationProperties() {
        Map<String, NavigationProperty> navigation = catalog.navigationProperties(table("flowsessionbinary"));
        Map<String, List<String>> expected = Map.of(
                "flowsessionid", List.of("flowsession"),
                "ownerid", List.of("systemuser", "team"),
                "owninguser", List.of("systemuser"),
                "owningteam", List.of("team"),
                "owningbusinessunit", List.of("businessunit"),
                "createdby", List.of("systemuser"),
                "modifiedby", List.of("systemuser"),
                "createdonbehalfby", List.of("systemuser"),
                "modifiedonbehalfby", List.of("systemuser"),
                "data", List.of("fileattachment"));
        for (Map.Entry<String, List<String>> entry : expected.entrySet()) {
            NavigationProperty property = navigation.get(entry.getKey());
            assertNotNull(property, entry.getKey());
            assertFalse(property.collection(), entry.getKey());
            assertEquals(entry.getKey(), property.column());
            assertEquals(entry.getValue(), property.targets(), entry.getKey());
        }
        assertEquals("flowsession_flowsessionbinary_FlowSessionId",
                catalog.lookupNavigation(table("flowsessionbinary"), "flowsessionid").relationship());
    }

    @Test
    void flowSessionBinaryReachesItsFileAttachments() {
        NavigationProperty attachments =
                catalog.navigationProperties(table("flowsessionbinary")).get("flowsessionbinary_FileAttachments");
        assertNotNull(attachments);
        assertTrue(attachments.collection());
        assertEquals("objectid", attachments.column());
        assertEquals(List.of("fileattachment"), attachments.targets());
    }

    @Test
    void flowSessionHasTheCollectionOfItsBinaries() {
        NavigationProperty binaries =
                catalog.navigationProperties(table("flowsession")).get("flowsession_flowsessionbinary_flowsessionid");
        assertNotNull(binaries);
        assertTrue(binaries.collection());
        assertEquals("flowsessionid", binaries.column());
        assertEquals(List.of("flowsessionbinary"), binaries.targets());
        assertEquals("flowsession_flowsessionbinary_FlowSessionId", binaries.relationship());
    }

    @Test
    void manyToManyEndsAreCollectionsOnBothTables() {
        NavigationProperty teams = catalog.navigationProperties(table("systemuser")).get("teammembership_association");
        assertNotNull(teams);
        assertTrue(teams.collection());
        assertEquals(List.of("team"), teams.targets());
        assertEquals("systemuserid", teams.column());
        NavigationProperty users = catalog.navigationProperties(table("team")).get("teammembership_association");
        assertNotNull(users);
        assertEquals(List.of("systemuser"), users.targets());
        assertEquals("teamid", users.column());
        NavigationProperty roles = catalog.navigationProperties(table("team")).get("teamroles_association");
        assertNotNull(roles);
        assertEquals(List.of("role"), roles.targets());
    }

    @Test
    void tablesAreFoundByEntitySetName() {
        assertEquals("flowsessionbinary", catalog.tableByEntitySet("flowsessionbinaries").logicalName());
        assertEquals("principalobjectaccess", catalog.tableByEntitySet("principalobjectaccessset").logicalName());
    }
}
