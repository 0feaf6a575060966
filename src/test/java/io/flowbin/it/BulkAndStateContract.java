package io.flowbin.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowbin.testing.WebApiClient.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The bulk actions CreateMultiple, UpdateMultiple and UpsertMultiple (all or nothing, each row prepared as a single
 * write), SetState through PATCH, and IsValidStateTransition. Runs once per database.
 */
abstract class BulkAndStateContract extends ServerContract {
    static final String TYPE = "\"@odata.type\":\"Microsoft.Dynamics.CRM.flowsessionbinary\"";

    String flowSession;

    @Override
    void seed() {
        flowSession = create("flowsessions", "{\"name\":\"bulk run\"}");
    }


    String target(String name, String extra) {
        return "{" + TYPE + ",\"name\":\"" + name + "\",\"type\":\"Input\",\"flowsessionid@odata.bind\":"
                + "\"flowsessions(" + flowSession + ")\"" + extra + "}";
    }

    static String targets(List<String> items) {
        return "{\"Targets\":[" + String.join(",", items) + "]}";
    }

    long rowsNamed(String prefix) {
        return server.count("SELECT COUNT(*) FROM \"flowsessionbinary\" WHERE \"name\" LIKE ?", prefix + "%");
    }

    JsonNode row(String id) {
        Response response = api.get("flowsessionbinaries(" + id + ")");
        assertEquals(200, response.status(), response.body());
        return response.json();
    }

    @Test
    void createMultipleAnswersWithTheIdsOfTheNewRowsInOrder() {
        Response response = api.post("flowsessionbinaries/Microsoft.Dynamics.CRM.CreateMultiple",
                targets(List.of(target("cm-a", ""), target("cm-b", ",\"mimetype\":\"text/plain\""),
                        target("cm-c", ""))));
        assertEquals(200, response.status(), response.body());
        JsonNode body = response.json();
        assertEquals(server.serviceRoot() + "$metadata#Microsoft.Dynamics.CRM.CreateMultipleResponse",
                body.get("@odata.context").asText());
        assertEquals(3, body.get("Ids").size());
        JsonNode second = row(body.get("Ids").get(1).asText());
        assertEquals("cm-b", second.get("name").asText());
        assertEquals("text/plain", second.get("mimetype").asText());
        assertEquals("cm-a", row(body.get("Ids").get(0).asText()).get("name").asText());
        // each row gets the system columns, owner and state a single Create gives
        String admin = server.server().organization().adminUserId().toString();
        assertEquals(admin, second.get("_ownerid_value").asText());
        assertEquals(admin, second.get("_createdby_value").asText());
        assertEquals(server.server().organization().rootBusinessUnitId().toString(),
                second.get("_owningbusinessunit_value").asText());
        assertEquals(1, second.get("statuscode").asInt());
        assertFalse(second.get("createdon").isNull());
        assertEquals(flowSession, second.get("_flowsessionid_value").asText());
    }

    @Test
    void createMultipleKeepsClientKeys() {
        String id = UUID.randomUUID().toString();
        Response response = api.post("flowsessionbinaries/Microsoft.Dynamics.CRM.CreateMultiple",
                targets(List.of(target("cm-key", ",\"flowsessionbinaryid\":\"" + id + "\""))));
        assertEquals(200, response.status(), response.body());
        assertEquals(id, response.json().get("Ids").get(0).asText());
        assertEquals("cm-key", row(id).get("name").asText());
    }

    /** The 500th of 1,000 targets is invalid: the whole request fails, names that target, and writes nothing. */
    @Test
    void oneInvalidTargetOfAThousandFailsTheWholeRequestAndWritesNothing() {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            items.add(i == 499 ? target("atomic-" + i, ",\"mimetype\":\"" + "m".repeat(101) + "\"")
                    : target("atomic-" + i, ""));
        }
        Response response = api.post("flowsessionbinaries/Microsoft.Dynamics.CRM.CreateMultiple", targets(items));
        assertEquals(400, response.status(), response.body());
        assertEquals("0x80044331", response.errorCode());
        assertTrue(response.errorMessage().contains("Targets[499]"), response.errorMessage());
        assertEquals(0, rowsNamed("atomic-"));

        items.set(499, "{" + TYPE + ",\"name\":\"atomic-499\",\"flowsessionid@odata.bind\":\"flowsessions("
                + UUID.randomUUID() + ")\"}");
        Response missingParent = api.post("flowsessionbinaries/Microsoft.Dynamics.CRM.CreateMultiple",
                targets(items));
        assertEquals(404, missingParent.status(), missingParent.body());
        assertEquals("0x80040217", missingParent.errorCode());
        assertTrue(missingParent.errorMessage().startsWith("flowsession With Id = "), missingParent.errorMessage());
        assertTrue(missingParent.errorMessage().contains("Targets[499]"), missingParent.errorMessage());
        assertEquals(0, rowsNamed("atomic-"));

        items.set(499, target("atomic-499", ""));
        Response written = api.post("flowsessionbinaries/Microsoft.Dynamics.CRM.CreateMultiple", targets(items));
        assertEquals(200, written.status(), written.body());
        assertEquals(1000, rowsNamed("atomic-"));
    }

    @Test
    void aDuplicateKeyFailsTheWholeRequest() {
        String existing = create("flowsessionbinaries", target("dup-existing", "").replace(TYPE + ",", ""));
        Response response = api.post("flowsessionbinaries/Microsoft.Dynamics.CRM.CreateMultiple",
                targets(List.of(target("dup-1", ""), target("dup-2", ",\"flowsessionbinaryid\":\"" + existing + "\""))));
        assertEquals(412, response.status(), response.body());
        assertEquals("0x80040237", response.errorCode());
        assertTrue(response.errorMessage().startsWith("Cannot insert duplicate key."), response.errorMessage());
        assertTrue(response.errorMessage().contains("Targets[1]"));
        String twice = UUID.randomUUID().toString();
        Response sameKeyTwice = api.post("flowsessionbinaries/Microsoft.Dynamics.CRM.CreateMultiple",
                targets(List.of(target("dup-3", ",\"flowsessionbinaryid\":\"" + twice + "\""),
                        target("dup-4", ",\"flowsessionbinaryid\":\"" + twice + "\""))));
        assertEquals(412, sameKeyTwice.status());
        assertEquals(0, rowsNamed("dup-") - 1, "only the row created beforehand exists");
    }

    @Test
    void targetsMustNameTheirTypeAndBelongToTheBoundTable() {
        Response untyped = api.post("flowsessionbinaries/Microsoft.Dynamics.CRM.CreateMultiple",
                targets(List.of(target("typed", ""), target("untyped", "").replace(TYPE + ",", ""))));
        assertEquals(400, untyped.status());
        assertEquals("0x80048d19", untyped.errorCode());
        assertTrue(untyped.errorMessage().contains("@odata.type") && untyped.errorMessage().contains("Targets[1]"));
        Response otherTable = api.post("flowsessionbinaries/Microsoft.Dynamics.CRM.CreateMultiple",
                targets(List.of("{\"@odata.type\":\"Microsoft.Dynamics.CRM.flowsession\",\"name\":\"x\"}")));
        assertEquals(400, otherTable.status());
        assertEquals(400, api.post("flowsessionbinaries/Microsoft.Dynamics.CRM.CreateMultiple", "{\"Targets\":[]}")
                .status());
        assertEquals(400, api.post("flowsessionbinaries/Microsoft.Dynamics.CRM.CreateMultiple", "{\"Rows\":[]}")
                .status());
        assertEquals(405, api.get("flowsessionbinaries/Microsoft.Dynamics.CRM.CreateMultiple").status());
        assertEquals(0, rowsNamed("typed") + rowsNamed("untyped"));
    }

    @Test
    void updateMultipleChangesEveryRowAndAnswers204() {
        String first = create("flowsessionbinaries", target("um-1", "").replace(TYPE + ",", ""));
        String second = create("flowsessionbinaries", target("um-2", "").replace(TYPE + ",", ""));
        long version = row(first).get("versionnumber").asLong();
        Response response = api.post("flowsessionbinaries/Microsoft.Dynamics.CRM.UpdateMultiple", targets(List.of(
                "{" + TYPE + ",\"flowsessionbinaryid\":\"" + first + "\",\"name\":\"um-1-changed\"}",
                "{" + TYPE + ",\"flowsessionbinaryid\":\"" + second + "\",\"mimetype\":\"image/png\","
                        + "\"statecode\":1}")));
        assertEquals(204, response.status(), response.body());
        assertTrue(response.body().isEmpty());
        JsonNode one = row(first);
        assertEquals("um-1-changed", one.get("name").asText());
        assertTrue(one.get("versionnumber").asLong() > version);
        JsonNode two = row(second);
        assertEquals("um-2", two.get("name").asText());
        assertEquals("image/png", two.get("mimetype").asText());
        assertEquals(1, two.get("statecode").asInt());
        assertEquals(2, two.get("statuscode").asInt(), "the state's default status, as a single update gives");
    }

    @Test
    void updateMultipleOfAMissingRowChangesNothing() {
        String existing = create("flowsessionbinaries", target("um-keep", "").replace(TYPE + ",", ""));
        String missing = UUID.randomUUID().toString();
        Response response = api.post("flowsessionbinaries/Microsoft.Dynamics.CRM.UpdateMultiple", targets(List.of(
                "{" + TYPE + ",\"flowsessionbinaryid\":\"" + existing + "\",\"name\":\"um-changed\"}",
                "{" + TYPE + ",\"flowsessionbinaryid\":\"" + missing + "\",\"name\":\"um-ghost\"}")));
        assertEquals(404, response.status(), response.body());
        assertEquals("0x80040217", response.errorCode());
        assertEquals("flowsessionbinary With Ids = " + missing + " Do Not Exist (Targets[1])", response.errorMessage());
        assertEquals("um-keep", row(existing).get("name").asText());
        Response invalid = api.post("flowsessionbinaries/Microsoft.Dynamics.CRM.UpdateMultiple", targets(List.of(
                "{" + TYPE + ",\"flowsessionbinaryid\":\"" + existing + "\",\"name\":\"um-changed\"}",
                "{" + TYPE + ",\"flowsessionbinaryid\":\"" + existing + "\",\"statecode\":0,\"statuscode\":2}")));
        assertEquals(400, invalid.status());
        assertEquals("0x80048408", invalid.errorCode());
        assertEquals("um-keep", row(existing).get("name").asText());
        Response withoutKey = api.post("flowsessionbinaries/Microsoft.Dynamics.CRM.UpdateMultiple",
                targets(List.of("{" + TYPE + ",\"name\":\"um-nokey\"}")));
        assertEquals(400, withoutKey.status());
    }

    @Test
    void upsertMultipleUpdatesExistingRowsAndCreatesMissingOnes() {
        String existing = create("flowsessionbinaries", target("up-existing", "").replace(TYPE + ",", ""));
        String fresh = UUID.randomUUID().toString();
        Response response = api.post("flowsessionbinaries/Microsoft.Dynamics.CRM.UpsertMultiple", targets(List.of(
                "{" + TYPE + ",\"@odata.id\":\"flowsessionbinaries(" + existing + ")\",\"name\":\"up-updated\"}",
                target("up-created", ",\"@odata.id\":\"flowsessionbinaries(" + fresh + ")\""),
                target("up-by-key", ",\"flowsessionbinaryid\":\"" + UUID.randomUUID() + "\""))));
        assertEquals(204, response.status(), response.body());
        assertEquals("up-updated", row(existing).get("name").asText());
        assertEquals("Input", row(existing).get("type").asText(), "an upsert that updates keeps the other columns");
        assertEquals("up-created", row(fresh).get("name").asText());
        assertEquals(1, rowsNamed("up-by-key"));
        Response missingParent = api.post("flowsessionbinaries/Microsoft.Dynamics.CRM.UpsertMultiple",
                targets(List.of("{" + TYPE + ",\"@odata.id\":\"flowsessionbinaries(" + existing
                        + ")\",\"name\":\"up-never\"}", "{" + TYPE + ",\"name\":\"up-orphan\"}")));
        assertEquals(400, missingParent.status(), "a created row needs its SystemRequired flow session");
        assertEquals("up-updated", row(existing).get("name").asText());
    }

    @Test
    void theBulkActionsAndIsValidStateTransitionAreDeclaredInMetadata() {
        String csdl = api.get("$metadata", "Accept", "application/xml").body();
        for (String action : List.of("CreateMultiple", "UpdateMultiple", "UpsertMultiple")) {
            Matcher declared = Pattern.compile("<Action Name=\"" + action + "\" IsBound=\"true\">\\s*<Parameter"
                    + " Name=\"entityset\" Type=\"Collection\\((Microsoft\\.Dynamics\\.CRM|mscrm)\\.crmbaseentity\\)\"")
                    .matcher(csdl);
            assertTrue(declared.find(), action + " in " + csdl.substring(0, Math.min(csdl.length(), 200)));
        }
        assertTrue(csdl.contains("<ComplexType Name=\"CreateMultipleResponse\">"));
        assertTrue(csdl.contains("<Function Name=\"IsValidStateTransition\"><Parameter Name=\"Entity\""));
        assertTrue(csdl.contains("<FunctionImport Name=\"IsValidStateTransition\""));
        assertTrue(csdl.contains("<ComplexType Name=\"IsValidStateTransitionResponse\">"));
    }

    @Test
    void setStateThroughPatchAcceptsOnlyPairsOfTheDefinitions() {
        String id = create("flowsessionbinaries", target("state", "").replace(TYPE + ",", ""));
        String path = "flowsessionbinaries(" + id + ")";
        assertEquals(204, api.patch(path, "{\"statecode\":1,\"statuscode\":2}", "If-Match", "*").status());
        assertEquals(2, row(id).get("statuscode").asInt());
        Response mismatched = api.patch(path, "{\"statecode\":1,\"statuscode\":1}", "If-Match", "*");
        assertEquals(400, mismatched.status());
        assertEquals("0x80048408", mismatched.errorCode());
        Response statusOfOtherState = api.patch(path, "{\"statuscode\":1}", "If-Match", "*");
        assertEquals(400, statusOfOtherState.status(), "a status alone must belong to the current state");
        assertEquals("0x80048408", statusOfOtherState.errorCode());
        assertEquals(400, api.patch(path, "{\"statecode\":7}", "If-Match", "*").status());
        assertEquals(204, api.patch(path, "{\"statecode\":0}", "If-Match", "*").status());
        JsonNode active = row(id);
        assertEquals(0, active.get("statecode").asInt());
        assertEquals(1, active.get("statuscode").asInt(), "statecode alone takes the state's default status");
        assertEquals(204, api.patch(path, "{\"statuscode\":1}", "If-Match", "*").status());
    }

    @Test
    void isValidStateTransitionAnswersWhetherTheStatusBelongsToTheState() {
        String id = create("flowsessionbinaries", target("transition", "").replace(TYPE + ",", ""));
        String entity = "%7B'@odata.id':'flowsessionbinaries(" + id + ")'%7D";
        String call = "IsValidStateTransition(Entity=@e,NewState=@s,NewStatus=@t)?@e=" + entity;
        Response valid = api.get(call + "&@s='Inactive'&@t=2");
        assertEquals(200, valid.status(), valid.body());
        assertEquals(server.serviceRoot() + "$metadata#Microsoft.Dynamics.CRM.IsValidStateTransitionResponse",
                valid.json().get("@odata.context").asText());
        assertTrue(valid.json().get("IsValid").asBoolean());
        assertFalse(api.get(call + "&@s='Inactive'&@t=1").json().get("IsValid").asBoolean());
        assertTrue(api.get(call + "&@s='Active'&@t=1").json().get("IsValid").asBoolean());
        assertFalse(api.get(call + "&@s='Paused'&@t=1").json().get("IsValid").asBoolean());
        String clientForm = "IsValidStateTransition(Entity=@p1,NewState=@p2,NewStatus=@p3)?@p1="
                + "%7B%22@odata.id%22:%22flowsessionbinaries(" + id + ")%22%7D&@p2='Inactive'&@p3=2";
        assertTrue(api.get(clientForm).json().get("IsValid").asBoolean());
        UUID missing = UUID.randomUUID();
        Response notFound = api.get("IsValidStateTransition(Entity=@e,NewState=@s,NewStatus=@t)?@e="
                + "%7B'@odata.id':'flowsessionbinaries(" + missing + ")'%7D&@s='Inactive'&@t=2");
        assertEquals(404, notFound.status());
        assertEquals("0x80040217", notFound.errorCode());
        assertEquals(400, api.get("IsValidStateTransition(Entity=@e,NewState=@s,NewStatus=@t)?@s='Inactive'&@t=2")
                .status());
        assertEquals(400, api.get(call + "&@s='Inactive'&@t=two").status());
    }
}
