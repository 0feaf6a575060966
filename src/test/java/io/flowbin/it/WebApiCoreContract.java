package io.flowbin.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowbin.testing.WebApiClient.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The documented behaviour of the core Web API messages on Flow Session Binary rows: create, retrieve, update,
 * upsert, delete, with Dataverse's status codes, headers and error shapes. Runs once per database.
 */
abstract class WebApiCoreContract extends ServerContract {
    static final String ANNOTATIONS = "odata.include-annotations=\"*\"";

    String flowSession;

    @Override
    void seed() {
        flowSession = create("flowsessions", "{\"name\":\"run 1\"}");
    }


    String binary(String extra) {
        return "{\"name\":\"step-12-output\",\"type\":\"Output\",\"flowsessionid@odata.bind\":\"/flowsessions("
                + flowSession + ")\"" + extra + "}";
    }

    String createBinary() {
        return create("flowsessionbinaries", binary(""));
    }

    JsonNode row(String id) {
        Response response = api.get("flowsessionbinaries(" + id + ")");
        assertEquals(200, response.status(), response.body());
        return response.json();
    }

    @Test
    void healthAnswersWithoutToken() {
        Response response = api.withToken(null).get("/health");
        assertEquals(200, response.status());
    }

    @Test
    void serviceDocumentListsEntitySets() {
        Response response = api.get("");
        assertEquals(200, response.status());
        assertEquals(server.serviceRoot() + "$metadata", response.json().get("@odata.context").asText());
        assertTrue(response.body().contains("{\"name\":\"flowsessionbinaries\",\"kind\":\"EntitySet\","
                + "\"url\":\"flowsessionbinaries\"}"));
    }

    @Test
    void whoAmIReturnsTheCallersIds() {
        JsonNode me = api.get("WhoAmI").json();
        assertEquals(server.server().organization().adminUserId().toString(), me.get("UserId").asText());
        assertEquals(server.server().organization().rootBusinessUnitId().toString(),
                me.get("BusinessUnitId").asText());
        assertEquals(server.server().organization().organizationId().toString(), me.get("OrganizationId").asText());
    }

    @Test
    void metadataDescribesTheTableFromItsDefinition() {
        Response response = api.get("$metadata", "Accept", "application/xml");
        assertEquals(200, response.status());
        String csdl = response.body();
        assertTrue(csdl.contains("Namespace=\"Microsoft.Dynamics.CRM\""), "namespace");
        assertTrue(csdl.contains("<EntityType Name=\"flowsessionbinary\" BaseType=\"Microsoft.Dynamics.CRM.crmbaseentity\">")
                || csdl.contains("<EntityType Name=\"flowsessionbinary\" BaseType=\"mscrm.crmbaseentity\">"), csdl);
        assertTrue(csdl.contains("<PropertyRef Name=\"flowsessionbinaryid\""), "key");
        assertTrue(csdl.contains("<Property Name=\"name\" Type=\"Edm.String\" MaxLength=\"100\""), "name");
        assertTrue(csdl.contains("<Property Name=\"versionnumber\" Type=\"Edm.Int64\""), "versionnumber");
        assertTrue(csdl.contains("<Property Name=\"_flowsessionid_value\" Type=\"Edm.Guid\""), "lookup value");
        assertTrue(csdl.contains("<ReferentialConstraint Property=\"_flowsessionid_value\" "
                + "ReferencedProperty=\"flowsessionid\""), "referential constraint");
        assertTrue(csdl.contains("<NavigationProperty Name=\"ownerid\" Type=\"mscrm.principal\""),
                "owner navigation");
    }

    @Test
    void createAnswers204WithTheEntityIdHeader() {
        Response response = api.post("flowsessionbinaries", binary(""));
        assertEquals(204, response.status());
        assertEquals("4.0", response.header("OData-Version").orElseThrow());
        assertTrue(response.header("OData-EntityId").orElseThrow()
                .startsWith(server.serviceRoot() + "flowsessionbinaries("));
        assertTrue(response.body().isEmpty());
    }

    @Test
    void createWithReturnRepresentationAnswers201WithTheRow() {
        Response response = api.post("flowsessionbinaries?$select=name,statecode,createdon,_ownerid_value",
                binary(""), "Prefer", "return=representation");
        assertEquals(201, response.status(), response.body());
        assertEquals("return=representation", response.header("Preference-Applied").orElseThrow());
        JsonNode row = response.json();
        assertEquals(server.serviceRoot() + "$metadata#flowsessionbinaries(name,statecode,createdon,_ownerid_value)"
                + "/$entity", row.get("@odata.context").asText());
        assertEquals("step-12-output", row.get("name").asText());
        assertEquals(0, row.get("statecode").asInt());
        assertTrue(row.get("@odata.etag").asText().matches("W/\"\\d+\""));
        assertTrue(row.has("flowsessionbinaryid"));
        assertFalse(row.has("type"));
    }

    @Test
    void createHonoursAClientSuppliedKey() {
        String id = UUID.randomUUID().toString();
        create("flowsessionbinaries", binary(",\"flowsessionbinaryid\":\"" + id + "\""));
        assertEquals(id, row(id).get("flowsessionbinaryid").asText());
    }

    @Test
    void createWithAnExistingKeyIsADuplicateRecord() {
        String id = createBinary();
        Response response = api.post("flowsessionbinaries", binary(",\"flowsessionbinaryid\":\"" + id + "\""));
        assertEquals(412, response.status());
        assertEquals("0x80040237", response.errorCode());
    }

    @Test
    void createSetsTheSystemColumns() {
        JsonNode row = row(createBinary());
        String admin = server.server().organization().adminUserId().toString();
        assertEquals(admin, row.get("_ownerid_value").asText());
        assertEquals(admin, row.get("_owninguser_value").asText());
        assertEquals(admin, row.get("_createdby_value").asText());
        assertEquals(admin, row.get("_modifiedby_value").asText());
        assertTrue(row.get("_createdonbehalfby_value").isNull());
        assertEquals(server.server().organization().rootBusinessUnitId().toString(),
                row.get("_owningbusinessunit_value").asText());
        assertEquals(0, row.get("statecode").asInt());
        assertEquals(1, row.get("statuscode").asInt());
        assertTrue(row.get("createdon").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"));
        assertEquals(row.get("createdon").asText(), row.get("modifiedon").asText());
        assertEquals("W/\"" + row.get("versionnumber").asLong() + "\"", row.get("@odata.etag").asText());
    }

    @Test
    void overriddenCreatedOnBecomesCreatedOn() {
        JsonNode row = row(create("flowsessionbinaries", binary(",\"overriddencreatedon\":\"2020-05-01T08:00:00Z\"")));
        assertEquals("2020-05-01T08:00:00Z", row.get("createdon").asText());
        assertFalse(row.get("overriddencreatedon").isNull());
    }

    @Test
    void createIgnoresReadOnlySystemColumns() {
        JsonNode row = row(create("flowsessionbinaries", binary(",\"createdon\":\"2001-01-01T00:00:00Z\","
                + "\"versionnumber\":5")));
        assertFalse(row.get("createdon").asText().startsWith("2001"));
        assertTrue(row.get("versionnumber").asLong() != 5);
    }

    @Test
    void createWithoutFlowSessionIsARequiredFieldMissing() {
        Response response = api.post("flowsessionbinaries", "{\"name\":\"x\"}");
        assertEquals(400, response.status());
        assertEquals("0x80040200", response.errorCode());
    }

    @Test
    void applicationRequiredColumnsAreNotEnforced() {
        create("flowsessionbinaries", "{\"flowsessionid@odata.bind\":\"flowsessions(" + flowSession + ")\"}");
    }

    @Test
    void aNameOverItsMaxLengthIsRefused() {
        Response response = api.post("flowsessionbinaries", binary(",\"mimetype\":\"" + "m".repeat(101) + "\""));
        assertEquals(400, response.status());
        assertEquals("0x80044331", response.errorCode());
        assertEquals("A validation error occurred.  The length of the 'mimetype' attribute of the 'flowsessionbinary'"
                + " entity exceeded the maximum allowed length of '100'.", response.errorMessage());
    }

    @Test
    void metadataAcceptsUpToTwoThousandCharacters() {
        create("flowsessionbinaries", binary(",\"metadata\":\"" + "m".repeat(2000) + "\""));
        assertEquals(400, api.post("flowsessionbinaries", binary(",\"metadata\":\"" + "m".repeat(2001) + "\""))
                .status());
    }

    @Test
    void anUnknownPropertyIsRefused() {
        Response response = api.post("flowsessionbinaries", binary(",\"colour\":\"red\""));
        assertEquals(400, response.status());
        assertEquals("0x80048d19", response.errorCode());
        assertTrue(response.errorMessage().contains("Invalid property 'colour' was found in entity "
                + "'Microsoft.Dynamics.CRM.flowsessionbinary'."));
    }

    @Test
    void propertyNamesAreCaseSensitive() {
        Response response = api.post("flowsessionbinaries", binary(",\"Name\":\"x\""));
        assertEquals(400, response.status());
        assertEquals("0x80048d19", response.errorCode());
    }

    @Test
    void aValueOfTheWrongTypeIsRefused() {
        Response response = api.post("flowsessionbinaries", binary(",\"importsequencenumber\":\"many\""));
        assertEquals(400, response.status());
        assertEquals("0x80048d19", response.errorCode());
    }

    @Test
    void anIntegerOutsideItsRangeIsRefused() {
        Response response = api.post("flowsessionbinaries", binary(",\"timezoneruleversionnumber\":-2"));
        assertEquals(400, response.status());
        assertTrue(response.errorMessage().contains("timezoneruleversionnumber"));
        assertEquals(400, api.post("flowsessionbinaries", binary(",\"importsequencenumber\":2147483648")).status());
    }

    @Test
    void aLookupToAMissingRowIsNotFound() {
        UUID missing = UUID.randomUUID();
        Response response = api.post("flowsessionbinaries",
                "{\"name\":\"x\",\"flowsessionid@odata.bind\":\"/flowsessions(" + missing + ")\"}");
        assertEquals(404, response.status(), response.body());
        assertEquals("0x80040217", response.errorCode());
        assertEquals("flowsession With Id = " + missing + " Does Not Exist", response.errorMessage());
    }

    @Test
    void aBindToAnUndeclaredNavigationPropertyIsRefused() {
        Response response = api.post("flowsessionbinaries", binary(",\"session@odata.bind\":\"/flowsessions("
                + flowSession + ")\""));
        assertEquals(400, response.status());
        assertEquals("0x80048d19", response.errorCode());
    }

    @Test
    void aBindWithABadUrlIsRefused() {
        Response response = api.post("flowsessionbinaries",
                "{\"flowsessionid@odata.bind\":\"/systemusers(" + UUID.randomUUID() + ")\"}");
        assertEquals(400, response.status());
        assertEquals("0x80090800", response.errorCode());
    }

    @Test
    void aStatusThatDoesNotBelongToTheStateIsRefused() {
        Response response = api.post("flowsessionbinaries", binary(",\"statecode\":0,\"statuscode\":2"));
        assertEquals(400, response.status());
        assertEquals("0x80048408", response.errorCode());
    }

    @Test
    void settingOnlyTheStateTakesItsDefaultStatus() {
        String id = createBinary();
        assertEquals(204, api.patch("flowsessionbinaries(" + id + ")", "{\"statecode\":1}", "If-Match", "*")
                .status());
        JsonNode row = row(id);
        assertEquals(1, row.get("statecode").asInt());
        assertEquals(2, row.get("statuscode").asInt());
    }

    @Test
    void retrieveWithSelectReturnsTheSelectedColumnsAndTheKey() {
        String id = createBinary();
        Response response = api.get("flowsessionbinaries(" + id + ")?$select=name,_flowsessionid_value");
        JsonNode row = response.json();
        assertEquals(server.serviceRoot() + "$metadata#flowsessionbinaries(name,_flowsessionid_value)/$entity",
                row.get("@odata.context").asText());
        assertEquals(flowSession, row.get("_flowsessionid_value").asText());
        assertEquals(id, row.get("flowsessionbinaryid").asText());
        assertFalse(row.has("type"));
    }

    @Test
    void retrieveWithAnUnknownSelectedColumnIsRefused() {
        Response response = api.get("flowsessionbinaries(" + createBinary() + ")?$select=colour");
        assertEquals(400, response.status());
    }

    @Test
    void annotationsGiveFormattedValuesAndLookupDetails() {
        String id = createBinary();
        Response response = api.get("flowsessionbinaries(" + id + ")?$select=statecode,_ownerid_value,"
                + "_flowsessionid_value", "Prefer", ANNOTATIONS);
        assertEquals(ANNOTATIONS, response.header("Preference-Applied").orElseThrow());
        JsonNode row = response.json();
        assertEquals("Active", row.get("statecode@OData.Community.Display.V1.FormattedValue").asText());
        assertEquals("systemuser", row.get("_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname").asText());
        assertEquals("ownerid", row.get("_ownerid_value@Microsoft.Dynamics.CRM.associatednavigationproperty")
                .asText());
        assertEquals("flowbin Administrator",
                row.get("_ownerid_value@OData.Community.Display.V1.FormattedValue").asText());
        assertEquals("run 1", row.get("_flowsessionid_value@OData.Community.Display.V1.FormattedValue").asText());
        assertFalse(api.get("flowsessionbinaries(" + id + ")").body().contains("@OData.Community"));
    }

    @Test
    void concurrentRetrievesOfManyRowsEachGetTheirOwnRow() throws Exception {
        // concurrent retrieves of one table and column list share statements; each must still get its own row
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ids.add(create("flowsessionbinaries", binary(",\"metadata\":\"row " + i + "\"")));
        }
        List<String> missing = List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString());
        ExecutorService clients = Executors.newFixedThreadPool(12);
        try {
            List<Future<Integer>> checked = new ArrayList<>();
            for (int client = 0; client < 12; client++) {
                int first = client;
                checked.add(clients.submit(() -> {
                    for (int i = 0; i < 60; i++) {
                        int index = (first * 7 + i) % (ids.size() + missing.size());
                        if (index >= ids.size()) {
                            assertEquals(404, api.get("flowsessionbinaries(" + missing.get(index - ids.size()) + ")")
                                    .status());
                            continue;
                        }
                        boolean annotated = i % 3 == 0;
                        Response response = annotated
                                ? api.get("flowsessionbinaries(" + ids.get(index) + ")?$select=metadata,"
                                        + "_flowsessionid_value", "Prefer", ANNOTATIONS)
                                : api.get("flowsessionbinaries(" + ids.get(index) + ")");
                        assertEquals(200, response.status(), response.body());
                        JsonNode row = response.json();
                        assertEquals(ids.get(index), row.get("flowsessionbinaryid").asText());
                        assertEquals("row " + index, row.get("metadata").asText());
                        if (annotated) {
                            assertEquals("run 1", row.get("_flowsessionid_value@OData.Community.Display.V1"
                                    + ".FormattedValue").asText());
                        } else {
                            assertEquals("step-12-output", row.get("name").asText());
                        }
                    }
                    return 60;
                }));
            }
            for (Future<Integer> client : checked) {
                assertEquals(60, client.get(60, TimeUnit.SECONDS));
            }
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void aConditionalRetrieveOfAnUnchangedRowIsNotModified() {
        String id = createBinary();
        String etag = row(id).get("@odata.etag").asText();
        assertEquals(304, api.get("flowsessionbinaries(" + id + ")", "If-None-Match", etag).status());
        api.patch("flowsessionbinaries(" + id + ")", "{\"name\":\"changed\"}", "If-Match", "*");
        assertEquals(200, api.get("flowsessionbinaries(" + id + ")", "If-None-Match", etag).status());
    }

    @Test
    void retrievingAMissingRowIsNotFound() {
        UUID missing = UUID.randomUUID();
        Response response = api.get("flowsessionbinaries(" + missing + ")");
        assertEquals(404, response.status());
        assertEquals("0x80040217", response.errorCode());
        assertEquals("flowsessionbinary With Id = " + missing + " Does Not Exist", response.errorMessage());
    }

    @Test
    void updateWithIfMatchStarDoesNotCreate() {
        Response response = api.patch("flowsessionbinaries(" + UUID.randomUUID() + ")", "{\"name\":\"x\"}",
                "If-Match", "*");
        assertEquals(404, response.status());
        assertEquals("0x80040217", response.errorCode());
    }

    @Test
    void updateWithAStaleEtagIsAPreconditionFailure() {
        String id = createBinary();
        String etag = row(id).get("@odata.etag").asText();
        assertEquals(204, api.patch("flowsessionbinaries(" + id + ")", "{\"name\":\"v2\"}", "If-Match", etag)
                .status());
        Response stale = api.patch("flowsessionbinaries(" + id + ")", "{\"name\":\"v3\"}", "If-Match", etag);
        assertEquals(412, stale.status());
        assertEquals("0x80060882", stale.errorCode());
        assertEquals("v2", row(id).get("name").asText());
    }

    @Test
    void everyWriteIncreasesTheVersion() {
        String id = createBinary();
        long first = row(id).get("versionnumber").asLong();
        api.patch("flowsessionbinaries(" + id + ")", "{\"name\":\"v2\"}", "If-Match", "*");
        long second = row(id).get("versionnumber").asLong();
        assertTrue(second > first);
    }

    @Test
    void updateWithReturnRepresentationAnswers200WithTheRow() {
        String id = createBinary();
        Response response = api.patch("flowsessionbinaries(" + id + ")?$select=name", "{\"name\":\"renamed\"}",
                "If-Match", "*", "Prefer", "return=representation");
        assertEquals(200, response.status());
        assertEquals("renamed", response.json().get("name").asText());
    }

    @Test
    void upsertCreatesAMissingRow() {
        String id = UUID.randomUUID().toString();
        Response response = api.patch("flowsessionbinaries(" + id + ")", binary(""));
        assertEquals(204, response.status(), response.body());
        assertTrue(response.header("OData-EntityId").orElseThrow().endsWith("(" + id + ")"));
        assertEquals("step-12-output", row(id).get("name").asText());
        String other = UUID.randomUUID().toString();
        assertEquals(201, api.patch("flowsessionbinaries(" + other + ")", binary(""), "Prefer",
                "return=representation").status());
    }

    @Test
    void upsertWithIfNoneMatchStarDoesNotUpdate() {
        String id = createBinary();
        Response response = api.patch("flowsessionbinaries(" + id + ")", "{\"name\":\"x\"}", "If-None-Match", "*");
        assertEquals(412, response.status());
        assertEquals("step-12-output", row(id).get("name").asText());
    }

    @Test
    void singlePropertiesCanBeReadWrittenAndCleared() {
        String id = createBinary();
        JsonNode value = api.get("flowsessionbinaries(" + id + ")/name").json();
        assertEquals("step-12-output", value.get("value").asText());
        assertEquals(204, api.put("flowsessionbinaries(" + id + ")/mimetype", "{\"value\":\"image/png\"}").status());
        assertEquals("image/png", row(id).get("mimetype").asText());
        assertEquals(204, api.delete("flowsessionbinaries(" + id + ")/mimetype").status());
        assertTrue(row(id).get("mimetype").isNull());
    }

    @Test
    void anOptionalLookupCanBeSetAndCleared() {
        String child = create("flowsessions", "{\"name\":\"child\",\"parentdesktopflowrunid@odata.bind\":"
                + "\"/flowsessions(" + flowSession + ")\"}");
        String path = "flowsessions(" + child + ")";
        assertEquals(flowSession, api.get(path).json().get("_parentdesktopflowrunid_value").asText());
        assertEquals(204, api.patch(path, "{\"parentdesktopflowrunid@odata.bind\":null}", "If-Match", "*").status());
        assertTrue(api.get(path).json().get("_parentdesktopflowrunid_value").isNull());
        api.patch(path, "{\"parentdesktopflowrunid@odata.bind\":\"flowsessions(" + flowSession + ")\"}");
        assertEquals(204, api.delete(path + "/parentdesktopflowrunid/$ref").status());
        assertTrue(api.get(path).json().get("_parentdesktopflowrunid_value").isNull());
    }

    @Test
    void aSystemRequiredLookupCannotBeCleared() {
        String id = createBinary();
        Response response = api.patch("flowsessionbinaries(" + id + ")", "{\"flowsessionid@odata.bind\":null}",
                "If-Match", "*");
        assertEquals(400, response.status());
        assertEquals(flowSession, row(id).get("_flowsessionid_value").asText());
    }

    @Test
    void flowSessionChoiceDefaultsAreApplied() {
        JsonNode session = api.get("flowsessions(" + flowSession + ")").json();
        assertEquals(0, session.get("runsessionmode").asInt());
        assertEquals(0, session.get("subcategory").asInt());
        assertEquals(0, session.get("statecode").asInt());
    }

    @Test
    void deleteRemovesTheRow() {
        String id = createBinary();
        assertEquals(204, api.delete("flowsessionbinaries(" + id + ")").status());
        assertEquals(404, api.get("flowsessionbinaries(" + id + ")").status());
        assertEquals(404, api.delete("flowsessionbinaries(" + id + ")").status());
    }

    @Test
    void deleteWithAStaleEtagIsAPreconditionFailure() {
        String id = createBinary();
        String etag = row(id).get("@odata.etag").asText();
        api.patch("flowsessionbinaries(" + id + ")", "{\"name\":\"v2\"}", "If-Match", "*");
        assertEquals(412, api.delete("flowsessionbinaries(" + id + ")", "If-Match", etag).status());
        assertEquals(200, api.get("flowsessionbinaries(" + id + ")").status());
    }

    @Test
    void aFailedUpdateChangesNothing() {
        String id = createBinary();
        Response response = api.patch("flowsessionbinaries(" + id + ")",
                "{\"name\":\"changed\",\"mimetype\":\"" + "m".repeat(101) + "\"}", "If-Match", "*");
        assertEquals(400, response.status());
        assertEquals("step-12-output", row(id).get("name").asText());
    }

    @Test
    void requestsWithoutAValidTokenAreUnauthorized() {
        Response missing = api.withToken(null).get("WhoAmI");
        assertEquals(401, missing.status());
        assertEquals("0x80044302", missing.errorCode());
        assertEquals(401, api.withToken("not.a.token").get("WhoAmI").status());
    }

    @Test
    void aTokenOfAnUnknownUserIsRefused() {
        assertEquals(403, api.withToken(server.tokenFor(UUID.randomUUID())).get("WhoAmI").status());
    }

    @Test
    void malformedRequestsAreClientErrors() {
        assertEquals(400, api.post("flowsessionbinaries", "{\"name\":").status());
        assertEquals(400, api.post("flowsessionbinaries", "[1,2]").status());
        assertEquals(415, api.post("flowsessionbinaries", binary(""), "Content-Type", "text/plain").status());
        assertEquals(400, api.get("flowsessionbinaries(not-a-guid)").status());
        assertEquals(404, api.get("nosuchtables").status());
        assertEquals(405, api.patch("flowsessionbinaries", binary("")).status());
        Response huge = api.post("flowsessionbinaries", binary(",\"metadata\":\"" + "x".repeat(20_000_000) + "\""));
        assertEquals(413, huge.status());
        assertEquals("0x8004418a", huge.errorCode());
    }

    @Test
    void tableDefinitionsAnswerWhatClientsAsk() {
        JsonNode sets = api.get("EntityDefinitions?$select=EntitySetName,LogicalName", "Cache-Control", "no-cache")
                .json();
        boolean found = false;
        for (JsonNode table : sets.get("value")) {
            found |= table.get("LogicalName").asText().equals("flowsessionbinary")
                    && table.get("EntitySetName").asText().equals("flowsessionbinaries");
        }
        assertTrue(found, sets.toString());
        JsonNode table = api.get("EntityDefinitions(LogicalName='flowsessionbinary')?$select=LogicalName,"
                + "PrimaryIdAttribute,PrimaryNameAttribute,OwnershipType").json();
        assertEquals("flowsessionbinaryid", table.get("PrimaryIdAttribute").asText());
        assertEquals("UserOwned", table.get("OwnershipType").asText());
        JsonNode name = api.get("EntityDefinitions(LogicalName='flowsessionbinary')/Attributes(LogicalName='name')/"
                + "Microsoft.Dynamics.CRM.StringAttributeMetadata?$select=MaxLength").json();
        assertEquals(100, name.get("MaxLength").asInt());
        JsonNode userOwned = api.get("EntityDefinitions?$select=LogicalName&$filter=OwnershipType eq "
                .replace(" ", "%20") + "Microsoft.Dynamics.CRM.OwnershipTypes'UserOwned'").json();
        assertTrue(userOwned.get("value").size() >= 2);
        assertTrue(api.get("$metadata").body().contains("<EntityType Name=\"EntityMetadata\""));
    }

    @Test
    void theOwnerCanBeSetWithABindToAUserOrATeam() {
        String admin = server.server().organization().adminUserId().toString();
        String unit = server.server().organization().rootBusinessUnitId().toString();
        JsonNode row = row(create("flowsessionbinaries", binary(",\"ownerid@odata.bind\":\"/systemusers(" + admin
                + ")\"")));
        assertEquals(admin, row.get("_ownerid_value").asText());
        String team = create("teams", "{\"name\":\"artefact keepers\",\"teamtype\":0,"
                + "\"businessunitid@odata.bind\":\"/businessunits(" + unit + ")\","
                + "\"administratorid@odata.bind\":\"/systemusers(" + admin + ")\"}");
        // a new owner must hold the Read privilege on the table: the team gets it through a role
        assertEquals(204, api.post("teams(" + team + ")/teamroles_association/$ref", "{\"@odata.id\":\""
                + server.serviceRoot() + "roles(" + server.server().organization().systemAdministratorRoleId()
                + ")\"}").status());
        String id = create("flowsessionbinaries", binary(",\"ownerid@odata.bind\":\"/teams(" + team + ")\""));
        JsonNode owned = api.get("flowsessionbinaries(" + id + ")", "Prefer", ANNOTATIONS).json();
        assertEquals(team, owned.get("_ownerid_value").asText());
        assertEquals("team", owned.get("_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname").asText());
        assertEquals(team, owned.get("_owningteam_value").asText());
        assertTrue(owned.get("_owninguser_value").isNull());
        assertEquals(unit, owned.get("_owningbusinessunit_value").asText());
        assertEquals(204, api.patch("flowsessionbinaries(" + id + ")", "{\"ownerid@odata.bind\":\"/systemusers("
                + admin + ")\"}", "If-Match", "*").status());
        JsonNode reassigned = row(id);
        assertEquals(admin, reassigned.get("_owninguser_value").asText());
        assertTrue(reassigned.get("_owningteam_value").isNull());
    }

    @Test
    void anOwnerThatDoesNotExistIsNotFound() {
        UUID missing = UUID.randomUUID();
        Response response = api.post("flowsessionbinaries", binary(",\"ownerid@odata.bind\":\"/teams(" + missing
                + ")\""));
        assertEquals(404, response.status());
        assertEquals("team With Id = " + missing + " Does Not Exist", response.errorMessage());
    }
}
