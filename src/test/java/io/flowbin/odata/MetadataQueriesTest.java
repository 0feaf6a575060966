package io.flowbin.odata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowbin.error.DataverseException;
import io.flowbin.metadata.AttributeType;
import io.flowbin.metadata.CascadeConfiguration;
import io.flowbin.metadata.Catalog;
import io.flowbin.metadata.ChoiceOption;
import io.flowbin.metadata.ColumnDefinition;
import io.flowbin.metadata.Model;
import io.flowbin.metadata.OwnershipType;
import io.flowbin.metadata.RelationshipDefinition;
import io.flowbin.metadata.RequiredLevel;
import io.flowbin.metadata.TableDefinition;
import io.flowbin.security.Caller;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MetadataQueriesTest {
    private static final String ROOT = "http://localhost:8080/api/data/v9.2/";
    private static final String BINARY = "EntityDefinitions(LogicalName='flowsessionbinary')";
    private static final Caller CALLER = new Caller(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), null);

    private final MetadataQueries queries = new MetadataQueries(new Catalog(model()));
    private final String everythingBefore = text(get("EntityDefinitions", "$expand=Attributes"));

    /** The definitions are shared trees: no query may change what the next one sees. */
    @AfterEach
    void definitionsAreUnchangedByQueries() {
        assertEquals(everythingBefore, text(get("EntityDefinitions", "$expand=Attributes")));
    }

    @Test
    void onlyDefinitionSetPathsAreHandled() {
        assertTrue(MetadataQueries.handles("EntityDefinitions"));
        assertTrue(MetadataQueries.handles(BINARY + "/Attributes"));
        assertTrue(MetadataQueries.handles("RelationshipDefinitions(SchemaName='x')"));
        assertTrue(MetadataQueries.handles("GlobalOptionSetDefinitions"));
        assertFalse(MetadataQueries.handles("EntityDefinitionsX"));
        assertFalse(MetadataQueries.handles("flowsessionbinaries"));
        assertFalse(MetadataQueries.handles(""));
    }

    @Test
    void entitySetNameLookupOfDynamicsWebApiListsEveryTable() {
        JsonNode body = json(get("EntityDefinitions", "$select=EntitySetName,LogicalName"));
        assertEquals(ROOT + "$metadata#EntityDefinitions(EntitySetName,LogicalName)",
                body.path("@odata.context").asText());
        assertEquals(3, body.path("value").size());
        JsonNode binary = body.path("value").get(0);
        assertEquals("flowsessionbinary", binary.path("LogicalName").asText());
        assertEquals("flowsessionbinaries", binary.path("EntitySetName").asText());
        assertEquals(List.of("LogicalName", "EntitySetName", "MetadataId"), fieldNames(binary));
        assertFalse(body.has("@odata.nextLink"));
    }

    @Test
    void tableDefinitionByLogicalNameAnswersTheClientSelect() {
        JsonNode body = json(get(BINARY, "$select=LogicalName,SchemaName,EntitySetName,LogicalCollectionName,"
                + "PrimaryIdAttribute,PrimaryNameAttribute,OwnershipType,IsOptimisticConcurrencyEnabled"));
        assertEquals(ROOT + "$metadata#EntityDefinitions(LogicalName,SchemaName,EntitySetName,LogicalCollectionName,"
                + "PrimaryIdAttribute,PrimaryNameAttribute,OwnershipType,IsOptimisticConcurrencyEnabled)/$entity",
                body.path("@odata.context").asText());
        assertEquals("flowsessionbinary", body.path("LogicalName").asText());
        assertEquals("flowsessionbinary", body.path("SchemaName").asText());
        assertEquals("flowsessionbinaries", body.path("EntitySetName").asText());
        assertEquals("flowsessionbinaries", body.path("LogicalCollectionName").asText());
        assertEquals("flowsessionbinaryid", body.path("PrimaryIdAttribute").asText());
        assertEquals("name", body.path("PrimaryNameAttribute").asText());
        assertEquals("UserOwned", body.path("OwnershipType").asText());
        assertTrue(body.path("IsOptimisticConcurrencyEnabled").asBoolean());
        assertEquals(UUID.nameUUIDFromBytes("flowbin:entity:flowsessionbinary".getBytes(StandardCharsets.UTF_8))
                .toString(), body.path("MetadataId").asText());
        assertEquals(10, body.size(), "the selected properties, MetadataId and the context only");
    }

    @Test
    void tableDefinitionByMetadataIdIsTheSameDefinition() {
        String id = json(get(BINARY, "$select=LogicalName")).path("MetadataId").asText();
        JsonNode body = json(get("EntityDefinitions(" + id + ")", "$select=LogicalName"));
        assertEquals("flowsessionbinary", body.path("LogicalName").asText());
        assertEquals(ROOT + "$metadata#EntityDefinitions(LogicalName)/$entity", body.path("@odata.context").asText());
    }

    @Test
    void fullTableDefinitionHasLabelsButNoUnexpandedNavigation() {
        JsonNode body = json(get(BINARY, null));
        assertEquals(ROOT + "$metadata#EntityDefinitions/$entity", body.path("@odata.context").asText());
        JsonNode label = body.path("DisplayName").path("LocalizedLabels").get(0);
        assertEquals("Flow Session Binary", label.path("Label").asText());
        assertEquals(1033, label.path("LanguageCode").asInt());
        assertTrue(label.path("IsManaged").asBoolean());
        assertTrue(label.has("MetadataId") && label.path("HasChanged").isNull());
        assertEquals(label, body.path("DisplayName").path("UserLocalizedLabel"));
        assertEquals("Flow Session Binaries",
                body.path("DisplayCollectionName").path("UserLocalizedLabel").path("Label").asText());
        assertEquals("Standard", body.path("TableType").asText());
        assertFalse(body.path("IsCustomEntity").asBoolean());
        assertFalse(body.has("Attributes"));
        assertFalse(body.has("@odata.type"));
    }

    @Test
    void unknownTableIsNotFoundWithDataverseError() {
        DataverseException byName = failure("EntityDefinitions(LogicalName='nosuchtable')", null);
        assertEquals(404, byName.httpStatus());
        assertEquals("0x80040217", byName.code());
        assertEquals("Could not find entity with name 'nosuchtable'", byName.getMessage());
        DataverseException byId = failure("EntityDefinitions(" + UUID.randomUUID() + ")", null);
        assertEquals(404, byId.httpStatus());
        assertEquals("0x80040217", byId.code());
    }

    @Test
    void filterOnOwnershipTypeTakesQualifiedEnumLiterals() {
        JsonNode body = json(get("EntityDefinitions", "$select=LogicalName&$filter=OwnershipType%20eq%20"
                + "Microsoft.Dynamics.CRM.OwnershipTypes'UserOwned'"));
        assertEquals(List.of("flowsessionbinary", "flowsession"), logicalNames(body.path("value")));
        JsonNode business = json(get("EntityDefinitions", "$select=LogicalName&$filter=OwnershipType%20ne%20"
                + "Microsoft.Dynamics.CRM.OwnershipTypes'UserOwned'"));
        assertEquals(List.of("businessunit"), logicalNames(business.path("value")));
    }

    @Test
    void filterCombinesComparisonsWithAndOrNot() {
        assertEquals(List.of("flowsession"), logicalNames(json(get("EntityDefinitions",
                "$select=LogicalName&$filter=LogicalName%20eq%20'flowsession'")).path("value")));
        assertEquals(List.of("flowsessionbinary", "flowsession"), logicalNames(json(get("EntityDefinitions",
                "$select=LogicalName&$filter=LogicalName%20eq%20'flowsession'%20or%20LogicalName%20eq%20"
                        + "'flowsessionbinary'")).path("value")));
        assertEquals(List.of("flowsessionbinary", "businessunit"), logicalNames(json(get("EntityDefinitions",
                "$select=LogicalName&$filter=not%20(LogicalName%20eq%20'flowsession')")).path("value")));
        assertEquals(List.of("flowsession"), logicalNames(json(get("EntityDefinitions",
                "$select=LogicalName&$filter=IsOptimisticConcurrencyEnabled%20eq%20true%20and%20"
                        + "EntitySetName%20eq%20'flowsessions'")).path("value")));
        assertEquals(0, json(get("EntityDefinitions", "$filter=LogicalName%20eq%20'x'")).path("value").size());
    }

    @Test
    void expandedAttributesTakeNestedSelectAndFilterOnManagedProperty() {
        JsonNode body = json(get(BINARY, "$select=LogicalName&$expand=Attributes($select=LogicalName;"
                + "$filter=RequiredLevel/Value%20eq%20Microsoft.Dynamics.CRM.AttributeRequiredLevel"
                + "'ApplicationRequired')"));
        assertEquals(ROOT + "$metadata#EntityDefinitions(LogicalName,Attributes(LogicalName))/$entity",
                body.path("@odata.context").asText());
        assertEquals(List.of("name", "type"), logicalNames(body.path("Attributes")));
        JsonNode name = body.path("Attributes").get(0);
        assertEquals("#Microsoft.Dynamics.CRM.StringAttributeMetadata", name.path("@odata.type").asText());
        assertEquals(List.of("@odata.type", "LogicalName", "MetadataId"), fieldNames(name));
    }

    @Test
    void attributesCarryTheirDerivedTypeAndCommonProperties() {
        JsonNode body = json(get(BINARY + "/Attributes", null));
        String id = json(get(BINARY, "$select=LogicalName")).path("MetadataId").asText();
        assertEquals(ROOT + "$metadata#EntityDefinitions('" + id + "')/Attributes",
                body.path("@odata.context").asText());
        assertEquals(model().tables().get(0).columns().size(), body.path("value").size());
        for (JsonNode attribute : body.path("value")) {
            assertTrue(attribute.path("@odata.type").asText().startsWith("#Microsoft.Dynamics.CRM."));
            for (String property : List.of("MetadataId", "LogicalName", "SchemaName", "EntityLogicalName",
                    "AttributeType", "AttributeTypeName", "RequiredLevel", "IsValidForCreate", "IsValidForUpdate",
                    "IsValidForRead", "IsPrimaryId", "IsPrimaryName", "DisplayName", "Description")) {
                assertTrue(attribute.has(property), property + " of " + attribute.path("LogicalName"));
            }
        }
        JsonNode data = attribute(body, "data");
        assertEquals("#Microsoft.Dynamics.CRM.FileAttributeMetadata", data.path("@odata.type").asText());
        assertEquals("Virtual", data.path("AttributeType").asText());
        assertEquals("FileType", data.path("AttributeTypeName").path("Value").asText());
        assertEquals(32768, data.path("MaxSizeInKB").asInt());
        JsonNode version = attribute(body, "versionnumber");
        assertEquals("BigInt", version.path("AttributeType").asText());
        assertEquals(Long.MAX_VALUE, version.path("MaxValue").asLong());
        JsonNode memo = attribute(body, "metadata");
        assertEquals("#Microsoft.Dynamics.CRM.MemoAttributeMetadata", memo.path("@odata.type").asText());
        assertEquals(2000, memo.path("MaxLength").asInt());
        JsonNode key = attribute(body, "flowsessionbinaryid");
        assertEquals("#Microsoft.Dynamics.CRM.UniqueIdentifierAttributeMetadata", key.path("@odata.type").asText());
        assertTrue(key.path("IsPrimaryId").asBoolean());
        JsonNode owner = attribute(body, "ownerid");
        assertEquals("#Microsoft.Dynamics.CRM.LookupAttributeMetadata", owner.path("@odata.type").asText());
        assertEquals("Owner", owner.path("AttributeType").asText());
        assertEquals(List.of("systemuser", "team"), texts(owner.path("Targets")));
        assertEquals("ownerid", attribute(body, "owneridname").path("AttributeOf").asText());
        assertEquals(List.of("flowsession"), texts(attribute(body, "flowsessionid").path("Targets")));
        assertFalse(attribute(body, "statecode").has("OptionSet"), "navigation properties only when expanded");
    }

    @Test
    void attributeByLogicalNameOrMetadataIdIsTheDerivedDefinition() {
        JsonNode name = json(get(BINARY + "/Attributes(LogicalName='name')", null));
        assertEquals("#Microsoft.Dynamics.CRM.StringAttributeMetadata", name.path("@odata.type").asText());
        assertEquals("String", name.path("AttributeType").asText());
        assertEquals("StringType", name.path("AttributeTypeName").path("Value").asText());
        assertEquals("flowsessionbinary", name.path("EntityLogicalName").asText());
        assertTrue(name.path("IsPrimaryName").asBoolean());
        assertEquals(100, name.path("MaxLength").asInt());
        JsonNode required = PayloadReader.JSON.createObjectNode()
                .put("Value", "ApplicationRequired")
                .put("CanBeChanged", true)
                .put("ManagedPropertyLogicalName", "canmodifyrequirementlevelsettings");
        assertEquals(required, name.path("RequiredLevel"));
        assertTrue(name.path("@odata.context").asText().endsWith("/Attributes/$entity"));
        JsonNode byId = json(get(BINARY + "/Attributes(" + name.path("MetadataId").asText() + ")",
                "$select=LogicalName"));
        assertEquals("name", byId.path("LogicalName").asText());
    }

    @Test
    void unknownAttributeIsNotFound() {
        DataverseException missing = failure(BINARY + "/Attributes(LogicalName='nosuchcolumn')", null);
        assertEquals(404, missing.httpStatus());
        assertEquals("0x80040217", missing.code());
        assertTrue(missing.getMessage().contains("'nosuchcolumn'"), missing.getMessage());
    }

    @Test
    void castOfAttributesCollectionKeepsThatTypeOnly() {
        JsonNode body = json(get(BINARY + "/Attributes/Microsoft.Dynamics.CRM.StringAttributeMetadata",
                "$select=LogicalName,MaxLength"));
        assertTrue(body.path("@odata.context").asText().endsWith(
                "/Attributes/Microsoft.Dynamics.CRM.StringAttributeMetadata(LogicalName,MaxLength)"));
        assertEquals(List.of("mimetype", "name", "type", "data_name", "owneridname"),
                logicalNames(body.path("value")));
        assertEquals(List.of("LogicalName", "MaxLength", "MetadataId"), fieldNames(body.path("value").get(0)));
        JsonNode none = json(get("EntityDefinitions(LogicalName='businessunit')/Attributes/"
                + "Microsoft.Dynamics.CRM.PicklistAttributeMetadata", null));
        assertEquals(0, none.path("value").size());
    }

    @Test
    void castOfOneAttributeSelectsTypeSpecificProperty() {
        String id = json(get(BINARY, "$select=LogicalName")).path("MetadataId").asText();
        JsonNode body = json(get(BINARY + "/Attributes(LogicalName='name')/"
                + "Microsoft.Dynamics.CRM.StringAttributeMetadata", "$select=MaxLength"));
        assertEquals(ROOT + "$metadata#EntityDefinitions('" + id + "')/Attributes/"
                + "Microsoft.Dynamics.CRM.StringAttributeMetadata(MaxLength)/$entity",
                body.path("@odata.context").asText());
        assertEquals(100, body.path("MaxLength").asInt());
        assertEquals(List.of("@odata.context", "MaxLength", "MetadataId"), fieldNames(body));
    }

    @Test
    void castToAbstractEnumAttributeMetadataIsRefused() {
        DataverseException refused = failure(
                BINARY + "/Attributes(LogicalName='statecode')/Microsoft.Dynamics.CRM.EnumAttributeMetadata", null);
        assertEquals(400, refused.httpStatus());
    }

    @Test
    void castOfOneAttributeToAnotherTypeIsNotFound() {
        DataverseException missing = failure(
                BINARY + "/Attributes(LogicalName='name')/Microsoft.Dynamics.CRM.PicklistAttributeMetadata", null);
        assertEquals(404, missing.httpStatus());
    }

    @Test
    void stateAndStatusOptionsComeWithOptionSetExpansion() {
        JsonNode state = json(get(BINARY + "/Attributes(LogicalName='statecode')/"
                + "Microsoft.Dynamics.CRM.StateAttributeMetadata",
                "$select=LogicalName&$expand=OptionSet,GlobalOptionSet"));
        assertTrue(state.path("@odata.context").asText().endsWith(
                "StateAttributeMetadata(LogicalName,OptionSet(),GlobalOptionSet())/$entity"));
        JsonNode active = state.path("OptionSet").path("Options").get(0);
        assertEquals("#Microsoft.Dynamics.CRM.StateOptionMetadata", active.path("@odata.type").asText());
        assertEquals(0, active.path("Value").asInt());
        assertEquals("Active", active.path("Label").path("UserLocalizedLabel").path("Label").asText());
        assertEquals(1, active.path("DefaultStatus").asInt());
        assertEquals("Active", active.path("InvariantName").asText());
        assertEquals("flowsessionbinary_statecode", state.path("OptionSet").path("Name").asText());
        assertEquals("State", state.path("OptionSet").path("OptionSetType").asText());
        assertTrue(state.path("GlobalOptionSet").isNull());

        JsonNode status = json(get(BINARY + "/Attributes(LogicalName='statuscode')/"
                + "Microsoft.Dynamics.CRM.StatusAttributeMetadata", "$expand=OptionSet"));
        JsonNode inactive = status.path("OptionSet").path("Options").get(1);
        assertEquals("#Microsoft.Dynamics.CRM.StatusOptionMetadata", inactive.path("@odata.type").asText());
        assertEquals(2, inactive.path("Value").asInt());
        assertEquals(1, inactive.path("State").asInt());
    }

    @Test
    void optionSetOfACastAttributeIsReachableByPath() {
        String entityId = json(get(BINARY, "$select=LogicalName")).path("MetadataId").asText();
        String attributeId = json(get(BINARY + "/Attributes(LogicalName='statecode')", "$select=LogicalName"))
                .path("MetadataId").asText();
        JsonNode optionSet = json(get(BINARY + "/Attributes(LogicalName='statecode')/"
                + "Microsoft.Dynamics.CRM.StateAttributeMetadata/OptionSet", "$select=Name"));
        assertEquals(ROOT + "$metadata#EntityDefinitions('" + entityId + "')/Attributes('" + attributeId
                + "')/Microsoft.Dynamics.CRM.StateAttributeMetadata/OptionSet(Name)/$entity",
                optionSet.path("@odata.context").asText());
        assertEquals("flowsessionbinary_statecode", optionSet.path("Name").asText());
        assertEquals(List.of("@odata.context", "Name", "MetadataId"), fieldNames(optionSet));
        assertEquals(204, get(BINARY + "/Attributes(LogicalName='statecode')/"
                + "Microsoft.Dynamics.CRM.StateAttributeMetadata/GlobalOptionSet", null).status());
    }

    @Test
    void filterOnADerivedTypePropertyNamesTheType() {
        JsonNode body = json(get(BINARY + "/Attributes", "$select=LogicalName&$filter="
                + "Microsoft.Dynamics.CRM.StringAttributeMetadata/MaxLength%20gt%20100"));
        assertEquals(List.of("data_name"), logicalNames(body.path("value")));
    }

    @Test
    void percentEncodedAlternateKeyIsDecoded() {
        JsonNode body = json(get("EntityDefinitions(LogicalName=%27flowsessionbinary%27)", "$select=LogicalName"));
        assertEquals("flowsessionbinary", body.path("LogicalName").asText());
    }

    @Test
    void picklistWithGlobalChoiceIsAlsoAGlobalOptionSetDefinition() {
        JsonNode picklist = json(get("EntityDefinitions(LogicalName='flowsession')/Attributes(LogicalName="
                + "'componentstate')/Microsoft.Dynamics.CRM.PicklistAttributeMetadata", "$expand=GlobalOptionSet"));
        assertEquals("componentstate", picklist.path("GlobalOptionSet").path("Name").asText());
        JsonNode sets = json(get("GlobalOptionSetDefinitions", "$select=Name"));
        assertEquals(List.of("componentstate"), texts(sets.path("value").findValues("Name")));
        JsonNode byName = json(get("GlobalOptionSetDefinitions(Name='componentstate')", null));
        assertEquals("#Microsoft.Dynamics.CRM.OptionSetMetadata", byName.path("@odata.type").asText());
        assertEquals(2, byName.path("Options").size());
    }

    @Test
    void relationshipsAreDefinitionsAndTableNavigations() {
        JsonNode relationship = json(get(
                "RelationshipDefinitions(SchemaName='flowsession_flowsessionbinary_FlowSessionId')", null));
        assertEquals("#Microsoft.Dynamics.CRM.OneToManyRelationshipMetadata",
                relationship.path("@odata.type").asText());
        assertEquals("flowsession", relationship.path("ReferencedEntity").asText());
        assertEquals("Cascade", relationship.path("CascadeConfiguration").path("Delete").asText());
        JsonNode manyToOne = json(get(BINARY,
                "$select=LogicalName&$expand=ManyToOneRelationships($select=SchemaName)"));
        assertEquals("flowsession_flowsessionbinary_FlowSessionId",
                manyToOne.path("ManyToOneRelationships").get(0).path("SchemaName").asText());
    }

    @Test
    void singlePropertyOfADefinitionIsAValue() {
        JsonNode body = json(get(BINARY + "/EntitySetName", null));
        assertEquals("flowsessionbinaries", body.path("value").asText());
    }

    @Test
    void badQueriesAreBadRequestsNotServerErrors() {
        for (String query : List.of("$select=NoSuchProperty", "$filter=LogicalName%20eq", "$filter=NoSuch%20eq%201",
                "$filter=contains(LogicalName,'flow')", "$top=1", "$orderby=LogicalName",
                "$filter=OwnershipType%20eq%20Microsoft.Dynamics.CRM.OwnershipTypes'Nope'",
                "$expand=Attributes($top=1)")) {
            DataverseException failure = failure("EntityDefinitions", query);
            assertEquals(400, failure.httpStatus(), query + ": " + failure.getMessage());
            assertFalse(failure.code().isEmpty());
        }
        assertEquals(400, failure(BINARY + "/Attributes", "$select=MaxLength").httpStatus());
    }

    @Test
    void onlyGetIsAllowed() {
        DataverseException refused = assertThrows(DataverseException.class,
                () -> queries.handle(request("POST", "EntityDefinitions", null)));
        assertEquals(405, refused.httpStatus());
    }

    // ---------------------------------------------------------------- fixture and helpers

    private ODataResponse get(String path, @Nullable String query) {
        return queries.handle(request("GET", path, query));
    }

    private DataverseException failure(String path, @Nullable String query) {
        return assertThrows(DataverseException.class, () -> get(path, query), path + "?" + query);
    }

    private static ODataRequest request(String method, String path, @Nullable String query) {
        return new ODataRequest(method, path, query, ROOT, name -> List.of(), new ByteArrayInputStream(new byte[0]),
                CALLER, (callerObjectId, callerId) -> CALLER);
    }

    private static String text(ODataResponse response) {
        assertEquals(200, response.status());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            Objects.requireNonNull(response.body()).writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static JsonNode json(ODataResponse response) {
        try {
            return PayloadReader.JSON.readTree(text(response));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> logicalNames(JsonNode nodes) {
        List<String> names = new ArrayList<>();
        nodes.forEach(node -> names.add(node.path("LogicalName").asText()));
        return names;
    }

    private static List<String> texts(Iterable<JsonNode> nodes) {
        List<String> texts = new ArrayList<>();
        nodes.forEach(node -> texts.add(node.asText()));
        return texts;
    }

    private static JsonNode attribute(JsonNode collection, String logicalName) {
        for (JsonNode attribute : collection.path("value")) {
            if (attribute.path("LogicalName").asText().equals(logicalName)) {
                return attribute;
            }
        }
        throw new AssertionError("no attribute " + logicalName);
    }

    static Model model() {
        TableDefinition binary = new TableDefinition("flowsessionbinary", "flowsessionbinary", "flowsessionbinaries",
                "flowsessionbinaries", "Flow Session Binary", "Flow Session Binaries", "flowsessionbinaryid", "name",
                OwnershipType.USER_OWNED, "Standard", List.of(
                        column("flowsessionbinaryid", "flowsessionbinaryId", AttributeType.UNIQUEIDENTIFIER,
                                RequiredLevel.SYSTEM_REQUIRED, true, false),
                        lookup("flowsessionid", "flowsessionid", AttributeType.LOOKUP, List.of("flowsession")),
                        string("mimetype", "MimeType", 100, RequiredLevel.NONE),
                        string("name", "Name", 100, RequiredLevel.APPLICATION_REQUIRED),
                        string("type", "Type", 100, RequiredLevel.APPLICATION_REQUIRED),
                        memo("metadata", 2000),
                        file("data", 32768),
                        string("data_name", "Data_Name", 200, RequiredLevel.NONE),
                        lookup("ownerid", "OwnerId", AttributeType.OWNER, List.of("systemuser", "team")),
                        string("owneridname", "OwnerIdName", 100, RequiredLevel.SYSTEM_REQUIRED),
                        column("owneridtype", "OwnerIdType", AttributeType.ENTITYNAME, RequiredLevel.SYSTEM_REQUIRED,
                                true, true),
                        choice("statecode", AttributeType.STATE, "flowsessionbinary_statecode", List.of(
                                new ChoiceOption(0, "Active", null, 1, "Active"),
                                new ChoiceOption(1, "Inactive", null, 2, "Inactive"))),
                        choice("statuscode", AttributeType.STATUS, "flowsessionbinary_statuscode", List.of(
                                new ChoiceOption(1, "Active", 0, null, null),
                                new ChoiceOption(2, "Inactive", 1, null, null))),
                        range("importsequencenumber", "ImportSequenceNumber", AttributeType.INTEGER,
                                Integer.MIN_VALUE, Integer.MAX_VALUE),
                        range("versionnumber", "VersionNumber", AttributeType.BIGINT, Long.MIN_VALUE, Long.MAX_VALUE),
                        dateTime("createdon", "CreatedOn")),
                List.of());
        TableDefinition session = new TableDefinition("flowsession", "flowsession", "flowsessions", "flowsessions",
                "Flow Session", "Flow Sessions", "flowsessionid", "name", OwnershipType.USER_OWNED, "Standard",
                List.of(
                        column("flowsessionid", "FlowSessionId", AttributeType.UNIQUEIDENTIFIER,
                                RequiredLevel.SYSTEM_REQUIRED, true, false),
                        string("name", "Name", 100, RequiredLevel.NONE),
                        // a column on a global choice, to exercise GlobalOptionSetDefinitions
                        choice("componentstate", AttributeType.PICKLIST, "componentstate", List.of(
                                new ChoiceOption(0, "Published", null, null, null),
                                new ChoiceOption(1, "Unpublished", null, null, null)))),
                List.of());
        TableDefinition businessUnit = new TableDefinition("businessunit", "BusinessUnit", "businessunits",
                "businessunits", "Business Unit", "Business Units", "businessunitid", "name",
                OwnershipType.BUSINESS_OWNED, "Standard", List.of(
                        column("businessunitid", "BusinessUnitId", AttributeType.UNIQUEIDENTIFIER,
                                RequiredLevel.SYSTEM_REQUIRED, true, false),
                        string("name", "Name", 160, RequiredLevel.SYSTEM_REQUIRED)),
                List.of());
        RelationshipDefinition sessionBinaries = new RelationshipDefinition(
                "flowsession_flowsessionbinary_FlowSessionId", RelationshipDefinition.Kind.ONE_TO_MANY, "flowsession",
                "flowsessionid", "flowsessionbinary", "flowsessionid", "flowsessionid",
                "flowsession_flowsessionbinary_FlowSessionId", null, new CascadeConfiguration(
                        CascadeConfiguration.CascadeType.CASCADE, CascadeConfiguration.CascadeType.CASCADE,
                        CascadeConfiguration.CascadeType.NO_CASCADE, CascadeConfiguration.CascadeType.NO_CASCADE,
                        CascadeConfiguration.CascadeType.CASCADE, CascadeConfiguration.CascadeType.NO_CASCADE,
                        CascadeConfiguration.CascadeType.CASCADE, CascadeConfiguration.CascadeType.CASCADE));
        return new Model(List.of(binary, session, businessUnit), List.of(sessionBinaries));
    }

    private static ColumnDefinition column(String logicalName, String schemaName, AttributeType type,
            RequiredLevel level, boolean create, boolean update) {
        return new ColumnDefinition(logicalName, schemaName, schemaName, "", type, level, create, update, true, null,
                null, null, null, null, List.of(), null, null, List.of(), null, null);
    }

    private static ColumnDefinition string(String logicalName, String schemaName, int maxLength, RequiredLevel level) {
        return new ColumnDefinition(logicalName, schemaName, schemaName, "", AttributeType.STRING, level, true, true,
                true, maxLength, null, null, null, null, List.of(), "Text", null, List.of(), null, null);
    }

    private static ColumnDefinition memo(String logicalName, int maxLength) {
        return new ColumnDefinition(logicalName, logicalName, logicalName, "JSON blob containing metadata",
                AttributeType.MEMO, RequiredLevel.NONE, true, true, true, maxLength, null, null, null, null, List.of(),
                "Text", null, List.of(), null, null);
    }

    private static ColumnDefinition file(String logicalName, int maxSizeInKb) {
        return new ColumnDefinition(logicalName, "Data", "data", "", AttributeType.FILE, RequiredLevel.NONE, false,
                false, true, null, null, null, null, maxSizeInKb, List.of(), null, null, List.of(), null, null);
    }

    private static ColumnDefinition lookup(String logicalName, String schemaName, AttributeType type,
            List<String> targets) {
        return new ColumnDefinition(logicalName, schemaName, schemaName, "", type, RequiredLevel.SYSTEM_REQUIRED,
                true, true, true, null, null, null, null, null, targets, null, null, List.of(), null, null);
    }

    private static ColumnDefinition choice(String logicalName, AttributeType type, String optionSetName,
            List<ChoiceOption> options) {
        return new ColumnDefinition(logicalName, logicalName, "Status", "", type, RequiredLevel.NONE, true, true,
                true, null, null, null, null, null, List.of(), null, null, options, options.get(0).value(),
                optionSetName);
    }

    private static ColumnDefinition range(String logicalName, String schemaName, AttributeType type, long min,
            long max) {
        return new ColumnDefinition(logicalName, schemaName, schemaName, "", type, RequiredLevel.NONE, true, true,
                true, null, BigDecimal.valueOf(min), BigDecimal.valueOf(max), null, null, List.of(), null, null,
                List.of(), null, null);
    }

    private static ColumnDefinition dateTime(String logicalName, String schemaName) {
        return new ColumnDefinition(logicalName, schemaName, "Created On", "", AttributeType.DATETIME,
                RequiredLevel.NONE, false, false, true, null, null, null, null, null, List.of(), "DateAndTime",
                "UserLocal", List.of(), null, null);
    }
}
