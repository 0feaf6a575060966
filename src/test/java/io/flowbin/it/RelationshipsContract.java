package io.flowbin.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowbin.testing.WebApiClient.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Associate and Disassociate through {@code $ref} on one-to-many and many-to-many navigation properties, and the
 * cascades of the relationship definitions: Delete (Cascade, RemoveLink, Restrict) and Assign, each in the
 * transaction of the operation. Runs once per database.
 */
abstract class RelationshipsContract extends ServerContract {
    private static final String TYPE = "\"@odata.type\":\"Microsoft.Dynamics.CRM.flowsessionbinary\"";

    String rootUnit;
    String admin;

    @Override
    void seed() {
        rootUnit = server.server().organization().rootBusinessUnitId().toString();
        admin = server.server().organization().adminUserId().toString();
    }


    String session(String name) {
        return create("flowsessions", "{\"name\":\"" + name + "\"}");
    }

    String binary(String session, String name) {
        return create("flowsessionbinaries", "{\"name\":\"" + name + "\",\"flowsessionid@odata.bind\":"
                + "\"flowsessions(" + session + ")\"}");
    }

    String user(String name) {
        return create("systemusers", "{\"firstname\":\"" + name + "\",\"lastname\":\"Tester\",\"domainname\":\""
                + name + "@flowbin.local\",\"internalemailaddress\":\"" + name + "@flowbin.local\","
                + "\"accessmode\":0,\"caltype\":0,\"incomingemaildeliverymethod\":0,\"outgoingemaildeliverymethod\":0,"
                + "\"userlicensetype\":0,\"businessunitid@odata.bind\":\"businessunits(" + rootUnit + ")\"}");
    }

    String team(String name) {
        return create("teams", "{\"name\":\"" + name + "\",\"businessunitid@odata.bind\":\"businessunits(" + rootUnit
                + ")\",\"administratorid@odata.bind\":\"systemusers(" + admin + ")\"}");
    }

    JsonNode get(String path) {
        Response response = api.get(path);
        assertEquals(200, response.status(), response.body());
        return response.json();
    }

    long count(String sql, Object... parameters) {
        return server.count(sql, parameters);
    }

    @Test
    void associatingFromTheParentSideSetsTheChildsLookup() {
        String first = session("assoc-1");
        String second = session("assoc-2");
        String binary = binary(first, "moved");
        Response response = api.post("flowsessions(" + second + ")/flowsession_flowsessionbinary_flowsessionid/$ref",
                "{\"@odata.id\":\"" + server.serviceRoot() + "flowsessionbinaries(" + binary + ")\"}");
        assertEquals(204, response.status(), response.body());
        assertEquals(second, get("flowsessionbinaries(" + binary + ")").get("_flowsessionid_value").asText());
        Response required = api.delete("flowsessions(" + second + ")/flowsession_flowsessionbinary_flowsessionid("
                + binary + ")/$ref");
        assertEquals(400, required.status(), "a SystemRequired lookup cannot be emptied");
        assertEquals("0x80040200", required.errorCode());
    }

    @Test
    void anOptionalOneToManyLinkIsAddedAndRemovedEitherWay() {
        String parent = session("parent-run");
        String child = session("child-run");
        String collection = "flowsessions(" + parent + ")/flowsession_flowsession_parentdesktopflowrunid";
        String childUrl = server.serviceRoot() + "flowsessions(" + child + ")";
        assertEquals(204, api.post(collection + "/$ref", "{\"@odata.id\":\"" + childUrl + "\"}").status());
        assertEquals(parent, get("flowsessions(" + child + ")").get("_parentdesktopflowrunid_value").asText());
        assertEquals(204, api.delete(collection + "(" + child + ")/$ref").status());
        assertTrue(get("flowsessions(" + child + ")").get("_parentdesktopflowrunid_value").isNull());
        assertEquals(204, api.post(collection + "/$ref", "{\"@odata.id\":\"flowsessions(" + child + ")\"}").status());
        assertEquals(204, api.delete(collection + "/$ref?$id=" + childUrl).status());
        assertTrue(get("flowsessions(" + child + ")").get("_parentdesktopflowrunid_value").isNull());
    }

    @Test
    void aSingleValuedLookupIsSetThroughRef() {
        String first = session("single-1");
        String second = session("single-2");
        String binary = binary(first, "single");
        assertEquals(204, api.put("flowsessionbinaries(" + binary + ")/flowsessionid/$ref",
                "{\"@odata.id\":\"" + server.serviceRoot() + "flowsessions(" + second + ")\"}").status());
        assertEquals(second, get("flowsessionbinaries(" + binary + ")").get("_flowsessionid_value").asText());
        UUID missing = UUID.randomUUID();
        Response response = api.put("flowsessionbinaries(" + binary + ")/flowsessionid/$ref",
                "{\"@odata.id\":\"" + server.serviceRoot() + "flowsessions(" + missing + ")\"}");
        assertEquals(404, response.status());
        assertEquals("flowsession With Id = " + missing + " Does Not Exist", response.errorMessage());
    }

    @Test
    void manyToManyAssociationsLiveInTheIntersectTable() {
        String team = team("assoc-team");
        String user = user("member");
        String members = "teams(" + team + ")/teammembership_association";
        String userUrl = server.serviceRoot() + "systemusers(" + user + ")";
        assertEquals(204, api.post(members + "/$ref", "{\"@odata.id\":\"" + userUrl + "\"}").status());
        String pair = "SELECT COUNT(*) FROM \"teammembership\" WHERE \"teamid\" = ? AND \"systemuserid\" = ?";
        assertEquals(1, count(pair, UUID.fromString(team), UUID.fromString(user)));
        Response again = api.post(members + "/$ref", "{\"@odata.id\":\"" + userUrl + "\"}");
        assertEquals(412, again.status());
        assertEquals("0x80040237", again.errorCode());
        assertEquals(204, api.delete(members + "(" + user + ")/$ref").status());
        assertEquals(0, count(pair, UUID.fromString(team), UUID.fromString(user)));
        // the same relationship from the user's side
        assertEquals(204, api.post("systemusers(" + user + ")/teammembership_association/$ref",
                "{\"@odata.id\":\"teams(" + team + ")\"}").status());
        assertEquals(1, count(pair, UUID.fromString(team), UUID.fromString(user)));
        assertEquals(204, api.delete("systemusers(" + user + ")/teammembership_association/$ref?$id="
                + server.serviceRoot() + "teams(" + team + ")").status());
        assertEquals(0, count(pair, UUID.fromString(team), UUID.fromString(user)));
    }

    @Test
    void associatingAMissingRowOrThroughAnUnknownRelationshipFails() {
        String team = team("errors-team");
        UUID missing = UUID.randomUUID();
        Response missingUser = api.post("teams(" + team + ")/teammembership_association/$ref",
                "{\"@odata.id\":\"" + server.serviceRoot() + "systemusers(" + missing + ")\"}");
        assertEquals(404, missingUser.status());
        assertEquals("0x80040217", missingUser.errorCode());
        assertEquals("systemuser With Id = " + missing + " Does Not Exist", missingUser.errorMessage());
        Response missingTeam = api.post("teams(" + missing + ")/teammembership_association/$ref",
                "{\"@odata.id\":\"systemusers(" + admin + ")\"}");
        assertEquals(404, missingTeam.status());
        Response unknown = api.post("teams(" + team + ")/no_such_relationship/$ref",
                "{\"@odata.id\":\"systemusers(" + admin + ")\"}");
        assertEquals(400, unknown.status());
        Response wrongTable = api.post("teams(" + team + ")/teammembership_association/$ref",
                "{\"@odata.id\":\"flowsessions(" + missing + ")\"}");
        assertEquals(400, wrongTable.status());
        Response notAUrl = api.post("teams(" + team + ")/teammembership_association/$ref",
                "{\"@odata.id\":\"somewhere\"}");
        assertEquals(400, notAUrl.status());
        Response missingChild = api.post("flowsessions(" + session("no-child")
                + ")/flowsession_flowsessionbinary_flowsessionid/$ref", "{\"@odata.id\":\"flowsessionbinaries("
                + missing + ")\"}");
        assertEquals(404, missingChild.status());
        assertEquals("flowsessionbinary With Id = " + missing + " Does Not Exist", missingChild.errorMessage());
    }

    /** Deleting a flow session deletes its 1,000 binaries in the same transaction and leaves no row behind. */
    @Test
    void deletingAFlowSessionDeletesItsBinaries() {
        String session = session("cascade");
        String other = session("cascade-other");
        List<String> targets = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            targets.add("{" + TYPE + ",\"name\":\"cascade-" + i + "\",\"flowsessionid@odata.bind\":\"flowsessions("
                    + session + ")\"}");
        }
        assertEquals(200, api.post("flowsessionbinaries/Microsoft.Dynamics.CRM.CreateMultiple",
                "{\"Targets\":[" + String.join(",", targets) + "]}").status());
        String survivor = binary(other, "cascade-survivor");
        String child = create("flowsessions", "{\"name\":\"cascade-child\",\"parentdesktopflowrunid@odata.bind\":"
                + "\"flowsessions(" + session + ")\"}");
        String ofSession = "SELECT COUNT(*) FROM \"flowsessionbinary\" WHERE \"flowsessionid\" = ?";
        assertEquals(1000, count(ofSession, UUID.fromString(session)));

        assertEquals(204, api.delete("flowsessions(" + session + ")").status());
        assertEquals(0, count(ofSession, UUID.fromString(session)));
        assertEquals(0, count("SELECT COUNT(*) FROM \"flowsessionbinary\" WHERE \"name\" LIKE 'cascade-%'"
                + " AND \"name\" <> 'cascade-survivor'"));
        assertEquals(404, api.get("flowsessions(" + session + ")").status());
        assertEquals(200, api.get("flowsessionbinaries(" + survivor + ")").status());
        // the self-reference of runs is RemoveLink: the child run stays, without its parent
        assertTrue(get("flowsessions(" + child + ")").get("_parentdesktopflowrunid_value").isNull());
    }

    @Test
    void aFailedDeleteLeavesTheCascadeUndone() {
        String session = session("stale");
        String binary = binary(session, "stale-child");
        String etag = get("flowsessions(" + session + ")").get("@odata.etag").asText();
        api.patch("flowsessions(" + session + ")", "{\"name\":\"stale-renamed\"}", "If-Match", "*");
        assertEquals(412, api.delete("flowsessions(" + session + ")", "If-Match", etag).status());
        assertEquals(200, api.get("flowsessionbinaries(" + binary + ")").status(), "the cascaded delete is rolled back");
    }

    @Test
    void deletingABusinessUnitThatStillOwnsRowsIsRestricted() {
        String role = create("roles", "{\"name\":\"restricted-role\",\"canbedeleted\":true,\"iscustomizable\":true,"
                + "\"businessunitid@odata.bind\":\"businessunits(" + rootUnit + ")\"}");
        binary(session("restrict"), "restrict-child");
        Response response = api.delete("businessunits(" + rootUnit + ")");
        assertEquals(405, response.status(), response.body());
        assertEquals("0x80040227", response.errorCode());
        assertTrue(response.errorMessage().startsWith("The object you tried to delete is associated with another"
                + " object and cannot be deleted."), response.errorMessage());
        assertEquals(200, api.get("businessunits(" + rootUnit + ")").status());
        assertEquals(200, api.get("roles(" + role + ")").status(),
                "the role the Cascade relationship deleted first is back: the whole delete was rolled back");
        String emptyUnit = create("businessunits", "{\"name\":\"empty unit\",\"parentbusinessunitid@odata.bind\":"
                + "\"businessunits(" + rootUnit + ")\"}");
        assertEquals(204, api.delete("businessunits(" + emptyUnit + ")").status());
    }

    @Test
    void assigningAFlowSessionReassignsItsBinaries() {
        String session = session("assign");
        String other = session("assign-other");
        String first = binary(session, "assign-1");
        String second = binary(session, "assign-2");
        String untouched = binary(other, "assign-untouched");
        String newOwner = user("new-owner");
        // a new owner must hold the Read privilege on the table (TargetPrincipalLacksReadPrivilege otherwise)
        assertEquals(204, api.post("systemusers(" + newOwner + ")/systemuserroles_association/$ref",
                "{\"@odata.id\":\"" + server.serviceRoot() + "roles("
                        + server.server().organization().systemAdministratorRoleId() + ")\"}").status());
        assertEquals(204, api.patch("flowsessions(" + session + ")", "{\"ownerid@odata.bind\":\"systemusers("
                + newOwner + ")\"}", "If-Match", "*").status());
        for (String binary : List.of(first, second)) {
            JsonNode row = get("flowsessionbinaries(" + binary + ")");
            assertEquals(newOwner, row.get("_ownerid_value").asText());
            assertEquals(newOwner, row.get("_owninguser_value").asText());
            assertEquals(rootUnit, row.get("_owningbusinessunit_value").asText());
        }
        assertEquals(admin, get("flowsessionbinaries(" + untouched + ")").get("_ownerid_value").asText());
        long version = get("flowsessionbinaries(" + first + ")").get("versionnumber").asLong();
        assertEquals(204, api.patch("flowsessions(" + session + ")", "{\"ownerid@odata.bind\":\"systemusers("
                + newOwner + ")\"}", "If-Match", "*").status());
        assertEquals(version, get("flowsessionbinaries(" + first + ")").get("versionnumber").asLong(),
                "assigning to the current owner runs no cascade");
    }
}
