package io.flowbin.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowbin.metadata.CascadeConfiguration.CascadeType;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ReferencePageImporterTest {

    private static TableDefinition table(String logicalName) {
        for (TableDefinition table : SharedPages.model().tables()) {
            if (table.logicalName().equals(logicalName)) {
                return table;
            }
        }
        throw new AssertionError("table " + logicalName + " not imported");
    }

    private static ColumnDefinition column(String table, String column) {
        ColumnDefinition definition = table(table).column(column);
        assertNotNull(definition, table + "." + column + " not imported");
        return definition;
    }

    private static RelationshipDefinition relationship(String schemaName) {
        for (RelationshipDefinition relationship : SharedPages.model().relationships()) {
            if (relationship.schemaName().equals(schemaName)) {
                return relationship;
            }
        }
        throw new AssertionError("relationship " + schemaName + " not imported");
    }

    @Test
    void tablesAreTheSeedFirstThenThePagesByFileName() {
        List<String> names = SharedPages.model().tables().stream().map(TableDefinition::logicalName).toList();
        assertEquals(
                List.of("flowsessionbinary", "asyncoperation", "businessunit", "fileattachment", "flowsession",
                        "principalobjectaccess", "role", "systemuser", "team"),
                names);
    }

    @Test
    void seedTablePropertiesAreImported() {
        TableDefinition binary = table("flowsessionbinary");
        assertEquals("flowsessionbinaries", binary.entitySetName());
        assertEquals("flowsessionbinaries", binary.logicalCollectionName());
        assertEquals("flowsessionbinaryid", binary.primaryIdAttribute());
        assertEquals("name", binary.primaryNameAttribute());
        assertEquals(OwnershipType.USER_OWNED, binary.ownershipType());
        assertEquals("Standard", binary.tableType());
        assertEquals("Flow Session Binary", binary.displayName());
        assertEquals("Flow Session Binaries", binary.displayCollectionName());
    }

    @Test
    void seedMessagesCarryTheirEventFlags() {
        List<MessageDefinition> messages = table("flowsessionbinary").messages();
        assertEquals(19, messages.size());
        Set<String> notEvents = messages.stream()
                .filter(message -> !message.isEvent())
                .map(MessageDefinition::name)
                .collect(Collectors.toSet());
        assertEquals(Set.of("Upsert", "UpsertMultiple", "IsValidStateTransition"), notEvents);
        assertTrue(messages.contains(new MessageDefinition("Create", true)));
        assertTrue(messages.contains(new MessageDefinition("SetState", true)));
    }

    @Test
    void olderPagesWithoutAnEventColumnDeclareNoEvents() {
        List<MessageDefinition> messages = table("systemuser").messages();
        assertTrue(messages.contains(new MessageDefinition("SetState", false)));
        assertTrue(messages.stream().noneMatch(MessageDefinition::isEvent));
    }

    @Test
    void seedStringMemoAndFileColumnsCarryTheirLimits() {
        for (String name : List.of("name", "type", "mimetype")) {
            assertEquals(AttributeType.STRING, column("flowsessionbinary", name).type());
            assertEquals(100, column("flowsessionbinary", name).maxLength(), name);
        }
        assertEquals(AttributeType.MEMO, column("flowsessionbinary", "metadata").type());
        assertEquals(2000, column("flowsessionbinary", "metadata").maxLength());
        ColumnDefinition data = column("flowsessionbinary", "data");
        assertEquals(AttributeType.FILE, data.type());
        assertEquals(32768, data.maxSizeInKb());
        assertEquals(200, column("flowsessionbinary", "data_name").maxLength());
        assertEquals("ReferenceName", column("flowsessionbinary", "mimetype").displayName());
        assertEquals("A name for the flow session binary.", column("flowsessionbinary", "name").description());
        assertEquals(RequiredLevel.APPLICATION_REQUIRED, column("flowsessionbinary", "name").requiredLevel());
        assertEquals("Text", column("flowsessionbinary", "name").format());
    }

    @Test
    void stateAndStatusOptionsCarryTheirLinks() {
        ColumnDefinition state = column("flowsessionbinary", "statecode");
        assertEquals(AttributeType.STATE, state.type());
        assertEquals(RequiredLevel.SYSTEM_REQUIRED, state.requiredLevel());
        assertEquals("flowsessionbinary_statecode", state.optionSetName());
        assertNull(state.defaultValue());
        assertEquals(
                List.of(new ChoiceOption(0, "Active", null, 1, "Active"), new ChoiceOption(1, "Inactive", null, 2,
                        "Inactive")),
                state.options());
        ColumnDefinition status = column("flowsessionbinary", "statuscode");
        assertEquals(AttributeType.STATUS, status.type());
        assertEquals(
                List.of(new ChoiceOption(1, "Active", 0, null, null), new ChoiceOption(2, "Inactive", 1, null, null)),
                status.options());
    }

    @Test
    void seedLookupsNameTheirTargets() {
        ColumnDefinition flowSession = column("flowsessionbinary", "flowsessionid");
        assertEquals(AttributeType.LOOKUP, flowSession.type());
        assertEquals(RequiredLevel.SYSTEM_REQUIRED, flowSession.requiredLevel());
        assertEquals(List.of("flowsession"), flowSession.targets());
        ColumnDefinition owner = column("flowsessionbinary", "ownerid");
        assertEquals(AttributeType.OWNER, owner.type());
        assertEquals(List.of("systemuser", "team"), owner.targets());
        assertEquals(AttributeType.ENTITYNAME, column("flowsessionbinary", "owneridtype").type());
    }

    @Test
    void numericRangesAreExact() {
        ColumnDefinition sequence = column("flowsessionbinary", "importsequencenumber");
        assertEquals(AttributeType.INTEGER, sequence.type());
        assertEquals(new BigDecimal("-2147483648"), sequence.minValue());
        assertEquals(new BigDecimal("2147483647"), sequence.maxValue());
        ColumnDefinition version = column("flowsessionbinary", "versionnumber");
        assertEquals(AttributeType.BIGINT, version.type());
        assertEquals(new BigDecimal("-9223372036854775808"), version.minValue());
        assertEquals(new BigDecimal("9223372036854775807"), version.maxValue());
        ColumnDefinition latitude = column("businessunit", "address1_latitude");
        assertEquals(AttributeType.DOUBLE, latitude.type());
        assertEquals(5, latitude.precision());
        assertEquals(0, new BigDecimal("-90").compareTo(latitude.minValue()));
        ColumnDefinition exchangeRate = column("businessunit", "exchangerate");
        assertEquals(AttributeType.DECIMAL, exchangeRate.type());
        assertEquals(0, new BigDecimal("0.000000000001").compareTo(exchangeRate.minValue()));
    }

    @Test
    void readOnlyColumnsAreNotValidForCreateOrUpdate() {
        for (String name : List.of("createdon", "createdby", "modifiedon", "data", "data_name", "owninguser",
                "versionnumber")) {
            ColumnDefinition readOnly = column("flowsessionbinary", name);
            assertFalse(readOnly.validForCreate(), name);
            assertFalse(readOnly.validForUpdate(), name);
            assertTrue(readOnly.validForRead(), name);
        }
        for (String name : List.of("flowsessionbinaryid", "name", "flowsessionid", "ownerid", "statecode")) {
            assertTrue(column("flowsessionbinary", name).validForCreate(), name);
            assertTrue(column("flowsessionbinary", name).validForUpdate(), name);
        }
    }

    @Test
    void columnsKeepPageOrderWritableFirst() {
        List<String> names = table("flowsessionbinary").columns().stream().map(ColumnDefinition::logicalName).toList();
        assertEquals(28, names.size());
        assertEquals("flowsessionbinaryid", names.get(0));
        assertEquals("utcconversiontimezonecode", names.get(13));
        assertEquals("createdby", names.get(14));
        assertEquals("versionnumber", names.get(27));
    }

    @Test
    void choiceDefaultsComeFromTheDefaultFormValue() {
        for (String name : List.of("runsessionmode", "subcategory")) {
            ColumnDefinition choice = column("flowsession", name);
            assertEquals(AttributeType.PICKLIST, choice.type(), name);
            assertEquals(0, choice.defaultValue(), name);
            assertEquals(RequiredLevel.SYSTEM_REQUIRED, choice.requiredLevel(), name);
        }
        assertEquals(new ChoiceOption(0, "Unapplicable", null, null, null),
                column("flowsession", "runsessionmode").options().get(0));
        // -1 is how a page says "no default"
        assertNull(column("role", "componentstate").defaultValue());
        assertEquals(1, column("role", "isinherited").defaultValue());
    }

    @Test
    void booleanColumnsOfTheCurrentLayoutTakeTheirLabelsFromTheProperties() {
        ColumnDefinition isDefault = column("team", "isdefault");
        assertEquals(AttributeType.BOOLEAN, isDefault.type());
        assertEquals(0, isDefault.defaultValue());
        assertEquals(List.of(new ChoiceOption(1, "Yes", null, null, null), new ChoiceOption(0, "No", null, null, null)),
                isDefault.options());
        assertEquals("team_isdefault", isDefault.optionSetName());
    }

    @Test
    void olderLayoutColumnsAreParsed() {
        ColumnDefinition businessUnit = column("systemuser", "businessunitid");
        assertEquals(AttributeType.LOOKUP, businessUnit.type());
        assertEquals(List.of("businessunit"), businessUnit.targets());
        assertEquals(RequiredLevel.SYSTEM_REQUIRED, businessUnit.requiredLevel());
        assertEquals("Business Unit", businessUnit.displayName());
        ColumnDefinition disabled = column("systemuser", "isdisabled");
        assertEquals(AttributeType.BOOLEAN, disabled.type());
        assertEquals(0, disabled.defaultValue());
        assertEquals(List.of(new ChoiceOption(1, "Disabled", null, null, null),
                new ChoiceOption(0, "Enabled", null, null, null)), disabled.options());
        assertFalse(disabled.validForCreate(), "the page says IsValidForCreate False");
        assertTrue(disabled.validForUpdate());
        assertEquals(AttributeType.UNIQUEIDENTIFIER, column("systemuser", "azureactivedirectoryobjectid").type());
        ColumnDefinition fullName = column("systemuser", "fullname");
        assertEquals(AttributeType.STRING, fullName.type());
        assertEquals(200, fullName.maxLength());
        assertEquals(new ChoiceOption(5, "Delegated Admin", null, null, null),
                column("systemuser", "accessmode").options().get(5));
        TableDefinition user = table("systemuser");
        assertEquals("systemusers", user.entitySetName());
        assertEquals("fullname", user.primaryNameAttribute());
        assertEquals(OwnershipType.BUSINESS_OWNED, user.ownershipType());
        assertEquals("Standard", user.tableType(), "absent TableType means Standard");
    }

    @Test
    void pagesWithoutCollectionNamesFallBackToTheEntitySetAndTitle() {
        TableDefinition access = table("principalobjectaccess");
        assertEquals("principalobjectaccessset", access.entitySetName());
        assertEquals("principalobjectaccessset", access.logicalCollectionName());
        assertEquals("PrincipalObjectAccess", access.displayName());
        assertNull(access.primaryNameAttribute());
    }

    @Test
    void parentRelationshipCarriesNavigationNamesAndCascades() {
        RelationshipDefinition parent = relationship("flowsession_flowsessionbinary_FlowSessionId");
        assertEquals(RelationshipDefinition.Kind.ONE_TO_MANY, parent.kind());
        assertEquals("flowsession", parent.referencedEntity());
        assertEquals("flowsessionid", parent.referencedAttribute());
        assertEquals("flowsessionbinary", parent.referencingEntity());
        assertEquals("flowsessionid", parent.referencingAttribute());
        assertEquals("flowsessionid", parent.referencingNavigationPropertyName());
        assertEquals("flowsession_flowsessionbinary_flowsessionid", parent.referencedNavigationPropertyName());
        CascadeType cascade = CascadeType.CASCADE;
        CascadeType none = CascadeType.NO_CASCADE;
        assertEquals(new CascadeConfiguration(cascade, cascade, none, none, cascade, none, cascade, cascade),
                parent.cascade());
        assertEquals(CascadeType.RESTRICT, relationship("business_unit_flowsessionbinary").cascade().delete());
    }

    @Test
    void seedRelationshipsWinWhereOtherPagesOmitFlowSessionBinary() {
        RelationshipDefinition data = relationship("FileAttachment_flowsessionbinary_Data");
        assertEquals("fileattachment", data.referencedEntity());
        assertEquals("data", data.referencingAttribute());
        assertEquals("data", data.referencingNavigationPropertyName());
        assertEquals(CascadeType.REMOVE_LINK, data.cascade().delete());
        RelationshipDefinition attachments = relationship("flowsessionbinary_FileAttachments");
        assertEquals("flowsessionbinary", attachments.referencedEntity());
        assertEquals("fileattachment", attachments.referencingEntity());
        assertEquals("objectid", attachments.referencingAttribute());
        assertEquals("flowsessionbinary_FileAttachments", attachments.referencedNavigationPropertyName());
        assertTrue(column("fileattachment", "objectid").targets().contains("flowsessionbinary"));
        assertTrue(column("fileattachment", "objectid").targets().contains("flowsession"));
    }

    @Test
    void ownerRelationshipIsKeptAndRelationshipsToUnloadedTablesAreNot() {
        RelationshipDefinition owner = relationship("owner_flowsessionbinary");
        assertEquals("owner", owner.referencedEntity());
        assertEquals("ownerid", owner.referencingNavigationPropertyName());
        Set<String> loaded = SharedPages.model().tables().stream()
                .map(TableDefinition::logicalName)
                .collect(Collectors.toSet());
        for (RelationshipDefinition relationship : SharedPages.model().relationships()) {
            assertTrue(loaded.contains(relationship.referencingEntity()), relationship.schemaName());
            String referenced = relationship.referencedEntity();
            assertTrue(loaded.contains(referenced) || referenced.equals("owner"), relationship.schemaName());
        }
    }

    @Test
    void manyToManyRelationshipsNameTheirIntersectTables() {
        Map<String, List<String>> expected = Map.of(
                "teammembership_association",
                List.of("teammembership", "systemuser", "systemuserid", "team", "teamid"),
                "systemuserroles_association",
                List.of("systemuserroles", "systemuser", "systemuserid", "role", "roleid"),
                "teamroles_association", List.of("teamroles", "role", "roleid", "team", "teamid"));
        for (Map.Entry<String, List<String>> entry : expected.entrySet()) {
            RelationshipDefinition association = relationship(entry.getKey());
            assertEquals(RelationshipDefinition.Kind.MANY_TO_MANY, association.kind());
            assertEquals(entry.getValue(), List.of(association.intersectEntity(), association.referencedEntity(),
                    association.referencedAttribute(), association.referencingEntity(),
                    association.referencingAttribute()), entry.getKey());
            assertEquals(entry.getKey(), association.referencedNavigationPropertyName());
            assertEquals(entry.getKey(), association.referencingNavigationPropertyName());
        }
    }

    @Test
    void olderLayoutRelationshipDetailsComeFromTheOtherEnd() {
        RelationshipDefinition businessUnit = relationship("business_unit_system_users");
        assertEquals("businessunit", businessUnit.referencedEntity());
        assertEquals("systemuser", businessUnit.referencingEntity());
        assertEquals("businessunitid", businessUnit.referencingAttribute());
        assertEquals("business_unit_system_users", businessUnit.referencedNavigationPropertyName());
        assertNull(businessUnit.referencingNavigationPropertyName(), "no page states the user side's name");
        // systemuser's older one-to-many sections have no Archive/RollupView; they do not cascade
        RelationshipDefinition createdBy = relationship("lk_flowsession_createdby");
        assertEquals(CascadeConfiguration.noCascade(), createdBy.cascade());
        assertEquals("createdby", createdBy.referencingNavigationPropertyName());
    }

    @Test
    void relationshipsAreSortedBySchemaName() {
        List<String> names = SharedPages.model().relationships().stream()
                .map(RelationshipDefinition::schemaName)
                .toList();
        List<String> sorted = new ArrayList<>(names);
        sorted.sort(String.CASE_INSENSITIVE_ORDER);
        assertEquals(sorted, names);
        assertEquals(names.size(), Set.copyOf(names).size(), "one definition per relationship");
    }

    @Test
    void resultDoesNotDependOnTheOrderOfTheOtherPages() throws IOException {
        List<Path> pages = new ArrayList<>();
        try (Stream<Path> files = Files.list(SharedPages.dir().resolve("reference"))) {
            files.filter(path -> path.getFileName().toString().endsWith(".md")
                            && !path.getFileName().toString().equals("README.md"))
                    .sorted((left, right) -> right.compareTo(left))
                    .forEach(pages::add);
        }
        assertEquals(SharedPages.model(), ReferencePageImporter.importPages(seed(), pages));
    }

    private static Path seed() throws IOException {
        try (Stream<Path> files = Files.list(SharedPages.dir().resolve("seed"))) {
            return files.findFirst().orElseThrow();
        }
    }
}
