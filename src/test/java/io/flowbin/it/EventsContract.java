package io.flowbin.it;

import static io.flowbin.it.EventsFixture.q;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowbin.it.plugins.ScriptedPlugin;
import io.flowbin.it.plugins.ScriptedPlugin.Call;
import io.flowbin.pipeline.ColumnSet;
import io.flowbin.pipeline.EntityReference;
import io.flowbin.pipeline.FetchExpression;
import io.flowbin.pipeline.PrincipalAccess;
import io.flowbin.pipeline.QueryExpression;
import io.flowbin.pipeline.Relationship;
import io.flowbin.testing.WebApiClient.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Registered steps with in-process plug-ins on the events of Flow Session Binary: registration through the Web API
 * and its rules, the stages and their order, the execution context, filtering attributes, images, the specialised
 * events of a PATCH, bulk and upsert events, rollback on a failing step, and the depth limit; the events of links,
 * sharing, reads and access queries with their parameters. Runs once per database.
 */
abstract class EventsContract extends ServerContract {
    EventsFixture fixture;
    String flowSession;

    @Override
    Map<String, String> settings() {
        return Map.of("FLOWBIN_EVENT_WEBHOOK_TIMEOUT", "3");
    }

    @Override
    void seed() {
        fixture = new EventsFixture(api);
        flowSession = api.create("flowsessions", "{\"name\":\"events run\"}");
    }

    @AfterEach
    void removeRegistrations() {
        fixture.removeRegistrations();
    }

    String binary(String name) {
        return "{\"name\":\"" + name + "\",\"type\":\"Output\",\"flowsessionid@odata.bind\":\"/flowsessions("
                + flowSession + ")\"}";
    }

    String tag() {
        return UUID.randomUUID().toString();
    }

    @Test
    void messageFiltersOfFlowSessionBinaryAreExactlyItsEvents() {
        Response response = api.get(q("sdkmessagefilters?$select=primaryobjecttypecode,"
                + "iscustomprocessingstepallowed"
                + "&$expand=sdkmessageid($select=name)&$filter=primaryobjecttypecode eq 'flowsessionbinary'"));
        assertEquals(200, response.status(), response.body());
        Set<String> messages = new TreeSet<>();
        for (JsonNode filter : response.json().path("value")) {
            messages.add(filter.path("sdkmessageid").path("name").asText());
            assertTrue(filter.path("iscustomprocessingstepallowed").asBoolean());
        }
        assertEquals(new TreeSet<>(List.of("Assign", "Associate", "Create", "CreateMultiple", "Delete",
                "Disassociate", "GrantAccess", "ModifyAccess", "Retrieve", "RetrieveMultiple",
                "RetrievePrincipalAccess", "RetrieveSharedPrincipalsAndAccess", "RevokeAccess", "SetState", "Update",
                "UpdateMultiple")), messages);
        assertEquals(200, api.get(q("sdkmessages?$filter=name eq 'Upsert'")).status());
    }

    @Test
    void invalidRegistrationsAreRefusedWithTheirReason() {
        String handler = fixture.pluginHandler();
        Response asyncPre = api.post("sdkmessageprocessingsteps",
                fixture.stepBody("Create", 20, 1, 1, handler, null, null));
        assertEquals(400, asyncPre.status(), asyncPre.body());
        assertEquals("0x80040203", asyncPre.errorCode());
        assertTrue(asyncPre.errorMessage().contains("stage 40"), asyncPre.errorMessage());

        Response mainStage = api.post("sdkmessageprocessingsteps",
                fixture.stepBody("Create", 30, 0, 1, handler, null, null));
        assertEquals(400, mainStage.status(), mainStage.body());
        assertTrue(mainStage.errorMessage().contains("Stage 30"), mainStage.errorMessage());

        String wrongFilter = fixture.stepBody("Update", 20, 0, 1, handler, null, null)
                .replace(fixture.filterId("Update", "flowsessionbinary"), fixture.filterId("Create",
                        "flowsessionbinary"));
        Response mismatch = api.post("sdkmessageprocessingsteps", wrongFilter);
        assertEquals(400, mismatch.status(), mismatch.body());

        Response notEvent = api.post("sdkmessageprocessingsteps", fixture.stepBody("Create", 20, 0, 1, handler, null,
                null).replace(fixture.filterId("Create", "flowsessionbinary"),
                        fixture.filterId("Create", "flowsession")).replace("\"sdkmessageid@odata.bind\":\"/sdkmessages("
                        + fixture.messageId("Create") + ")\"", "\"sdkmessageid@odata.bind\":\"/sdkmessages("
                        + fixture.messageId("IsValidStateTransition") + ")\""));
        assertEquals(400, notEvent.status(), notEvent.body());

        String retrieveStep = fixture.pluginStep("RetrieveMultiple", 20, 0, 1, "tag:none");
        Response imageOnRetrieve = api.post("sdkmessageprocessingstepimages", "{\"name\":\"pre\",\"entityalias\":"
                + "\"pre\",\"imagetype\":0,\"messagepropertyname\":\"Target\",\"sdkmessageprocessingstepid@odata.bind"
                + "\":\"/sdkmessageprocessingsteps(" + retrieveStep + ")\"}");
        assertEquals(400, imageOnRetrieve.status(), imageOnRetrieve.body());
        assertTrue(imageOnRetrieve.errorMessage().contains("no entity images"), imageOnRetrieve.errorMessage());

        String createStep = fixture.pluginStep("Create", 40, 0, 1, "tag:none");
        Response preImageOnCreate = api.post("sdkmessageprocessingstepimages", "{\"name\":\"pre\",\"entityalias\":"
                + "\"pre\",\"imagetype\":0,\"messagepropertyname\":\"Id\",\"sdkmessageprocessingstepid@odata.bind"
                + "\":\"/sdkmessageprocessingsteps(" + createStep + ")\"}");
        assertEquals(400, preImageOnCreate.status(), preImageOnCreate.body());

        Response topic = api.post("serviceendpoints", "{\"name\":\"bus\",\"contract\":5,\"authtype\":2,"
                + "\"namespaceaddress\":\"sb://contoso.servicebus.windows.net/\",\"path\":\"t\",\"connectionmode\":1}");
        assertEquals(400, topic.status(), topic.body());
        Response noUrl = api.post("serviceendpoints", "{\"name\":\"hook\",\"contract\":8,\"authtype\":4,"
                + "\"authvalue\":\"k\",\"connectionmode\":1}");
        assertEquals(400, noUrl.status(), noUrl.body());
        Response filter = api.post("sdkmessagefilters", "{\"primaryobjecttypecode\":\"flowsessionbinary\","
                + "\"secondaryobjecttypecode\":\"none\",\"sdkmessageid@odata.bind\":\"/sdkmessages("
                + fixture.messageId("IsValidStateTransition") + ")\"}");
        assertEquals(400, filter.status(), filter.body());
        Response job = api.post("asyncoperations", "{\"name\":\"mine\",\"operationtype\":1}");
        assertEquals(400, job.status(), job.body());
    }

    @Test
    void preOperationPluginChangesTheTargetBeforeItIsWritten() {
        fixture.pluginStep("Create", 20, 0, 1, "set:metadata=stamped by a plug-in");
        String id = api.create("flowsessionbinaries", binary("stamped"));
        assertEquals("stamped by a plug-in", api.get(q("flowsessionbinaries(" + id + ")?$select=metadata"))
                .json()
                .path("metadata").asText());
    }

    @Test
    void preValidationVetoCancelsWithTheStepsMessage() {
        String tag = tag();
        fixture.pluginStep("Create", 10, 0, 1, "tag:" + tag + ";veto:Binaries of this run are closed.");
        long before = server.count("SELECT COUNT(*) FROM \"flowsessionbinary\"");
        Response refused = api.post("flowsessionbinaries", binary("vetoed"));
        assertEquals(400, refused.status(), refused.body());
        assertEquals("0x80040265", refused.errorCode());
        assertEquals("Binaries of this run are closed.", refused.errorMessage());
        assertEquals(before, server.count("SELECT COUNT(*) FROM \"flowsessionbinary\""));
        Call call = ScriptedPlugin.calls(tag).get(0);
        assertEquals(10, call.stage());
        assertFalse(call.inTransaction(), "PreValidation of the initial operation runs outside the transaction");
    }

    @Test
    void failingPostOperationStepRollsBackEverythingIncludingOtherStepsWork() {
        String session = "child of " + tag();
        fixture.pluginStep("Create", 40, 0, 1, "create-session:" + session);
        fixture.pluginStep("Create", 40, 0, 2, "veto:Second step refuses.");
        long before = server.count("SELECT COUNT(*) FROM \"flowsessionbinary\"");
        Response refused = api.post("flowsessionbinaries", binary("rolled back"));
        assertEquals(400, refused.status(), refused.body());
        assertEquals("Second step refuses.", refused.errorMessage());
        assertEquals(before, server.count("SELECT COUNT(*) FROM \"flowsessionbinary\""));
        assertEquals(0, server.count("SELECT COUNT(*) FROM \"flowsession\" WHERE \"name\" = ?", session));
    }

    @Test
    void unexpectedExceptionOfAPluginIsIsvUnexpected() {
        fixture.pluginStep("Create", 20, 0, 1, "crash:null pointer somewhere");
        Response refused = api.post("flowsessionbinaries", binary("crash"));
        assertEquals(400, refused.status(), refused.body());
        assertEquals("0x80040224", refused.errorCode());
        assertTrue(refused.errorMessage().startsWith("Unexpected exception from plug-in (Execute)"),
                refused.errorMessage());
    }

    @Test
    void stepsRunInStageAndRankOrderWithTheDocumentedContext() {
        String tag = tag();
        fixture.pluginStep("Create", 40, 0, 2, "tag:" + tag);
        String post = fixture.pluginStep("Create", 40, 0, 1, "tag:" + tag);
        fixture.pluginStep("Create", 20, 0, 5, "tag:" + tag);
        fixture.pluginStep("Create", 10, 0, 9, "tag:" + tag);
        fixture.image(post, 1, "post", "name,type,statecode", "Id");
        String id = api.create("flowsessionbinaries", binary("context"));
        List<Call> calls = ScriptedPlugin.calls(tag);
        assertEquals(List.of(10, 20, 40, 40), calls.stream().map(Call::stage).toList());
        Call pre = calls.get(1);
        Call first = calls.get(2);
        assertEquals(UUID.fromString(post), first.owningExtension(), "rank 1 runs before rank 2");
        for (Call call : calls) {
            assertEquals("Create", call.message());
            assertEquals("flowsessionbinary", call.table());
            assertEquals(0, call.mode());
            assertEquals(1, call.depth());
            assertEquals(call.userId(), call.initiatingUserId());
            assertEquals(calls.get(0).correlationId(), call.correlationId());
            assertEquals(calls.get(0).businessUnitId(), call.businessUnitId());
            @SuppressWarnings("unchecked")
            Map<String, Object> target = (Map<String, Object>) call.inputs().get("Target");
            assertEquals("context", target.get("name"));
            assertEquals(new EntityReference("flowsession", UUID.fromString(flowSession)),
                    target.get("flowsessionid"));
        }
        assertFalse(pre.outputs().containsKey("id"), "OutputParameters are filled only after the main operation");
        assertEquals(UUID.fromString(id), first.outputs().get("id"));
        assertEquals(UUID.fromString(id), first.primaryId());
        assertTrue(pre.inTransaction());
        assertEquals(Map.of("name", "context", "type", "Output", "statecode", 0), first.postImages().get("post"));
        assertTrue(calls.get(3).postImages().isEmpty(), "images belong to the step that registered them");
    }

    @Test
    void updateStepsFireOnlyForTheirFilteringAttributesAndSeeBothImages() {
        String tag = tag();
        String step = api.create("sdkmessageprocessingsteps", fixture.stepBody("Update", 40, 0, 1,
                fixture.pluginHandler(), "tag:" + tag, "metadata,mimetype"));
        fixture.image(step, 2, "image", "metadata,name", "Target");
        String id = api.create("flowsessionbinaries", binary("filtered"));
        assertEquals(204, api.patch("flowsessionbinaries(" + id + ")", "{\"name\":\"renamed\"}").status());
        assertTrue(ScriptedPlugin.calls(tag).isEmpty(), "name is not a filtering attribute");
        assertEquals(204, api.patch("flowsessionbinaries(" + id + ")", "{\"metadata\":\"v2\"}").status());
        List<Call> calls = ScriptedPlugin.calls(tag);
        assertEquals(1, calls.size());
        Call call = calls.get(0);
        assertEquals("Update", call.message());
        assertEquals(Map.of("name", "renamed"), call.preImages().get("image"));
        assertEquals(Map.of("name", "renamed", "metadata", "v2"), call.postImages().get("image"));
    }

    @Test
    void patchOfStateRaisesSetStateAndOfOwnerRaisesAssignInsteadOfUpdate() {
        String tag = tag();
        fixture.pluginStep("SetState", 20, 0, 1, "tag:" + tag);
        fixture.pluginStep("Assign", 20, 0, 1, "tag:" + tag);
        fixture.pluginStep("Update", 20, 0, 1, "tag:" + tag);
        String id = api.create("flowsessionbinaries", binary("state"));
        assertEquals(204, api.patch("flowsessionbinaries(" + id + ")", "{\"statecode\":1,\"statuscode\":2}")
                .status());
        List<Call> calls = ScriptedPlugin.calls(tag);
        assertEquals(List.of("SetState"), calls.stream().map(Call::message).toList());
        assertEquals(1, calls.get(0).inputs().get("State"));
        assertEquals(2, calls.get(0).inputs().get("Status"));
        assertEquals(new EntityReference("flowsessionbinary", UUID.fromString(id)),
                calls.get(0).inputs().get("EntityMoniker"));
        UUID admin = calls.get(0).userId();
        assertEquals(204, api.patch("flowsessionbinaries(" + id + ")", "{\"ownerid@odata.bind\":\"/systemusers("
                + admin + ")\",\"metadata\":\"with owner\"}").status());
        calls = ScriptedPlugin.calls(tag);
        assertEquals(List.of("SetState", "Assign", "Update"), calls.stream().map(Call::message).toList());
        assertEquals(new EntityReference("systemuser", admin), calls.get(1).inputs().get("Assignee"));
        @SuppressWarnings("unchecked")
        Map<String, Object> target = (Map<String, Object>) calls.get(2).inputs().get("Target");
        assertEquals(Set.of("metadata"), target.keySet());
    }

    @Test
    void upsertRaisesTheEventsOfTheBranchItTakes() {
        String tag = tag();
        fixture.pluginStep("Create", 40, 0, 1, "tag:" + tag);
        fixture.pluginStep("Update", 40, 0, 1, "tag:" + tag);
        String id = UUID.randomUUID().toString();
        assertEquals(204, api.patch("flowsessionbinaries(" + id + ")", binary("upserted")).status());
        assertEquals(204, api.patch("flowsessionbinaries(" + id + ")", "{\"name\":\"upserted again\"}").status());
        assertEquals(List.of("Create", "Update"), ScriptedPlugin.calls(tag).stream().map(Call::message).toList());
    }

    @Test
    void bulkAndSingleMessagesRaiseEachOthersEvents() {
        String tag = tag();
        fixture.pluginStep("Create", 20, 0, 1, "tag:" + tag + ";set:metadata=single step");
        fixture.pluginStep("CreateMultiple", 20, 0, 1, "tag:" + tag);
        Response bulk = api.post("flowsessionbinaries/Microsoft.Dynamics.CRM.CreateMultiple", "{\"Targets\":["
                + binary("bulk 1").replace("{", "{\"@odata.type\":\"Microsoft.Dynamics.CRM.flowsessionbinary\",") + ","
                + binary("bulk 2").replace("{", "{\"@odata.type\":\"Microsoft.Dynamics.CRM.flowsessionbinary\",")
                + "]}");
        assertEquals(200, bulk.status(), bulk.body());
        List<Call> calls = ScriptedPlugin.calls(tag);
        assertEquals(List.of("CreateMultiple", "Create", "Create"), calls.stream().map(Call::message).toList());
        for (JsonNode id : bulk.json().path("Ids")) {
            assertEquals("single step", api.get(q("flowsessionbinaries(" + id.asText() + ")?$select=metadata"))
                    .json()
                    .path("metadata").asText(), "a Create step's change reaches the bulk write");
        }
        api.create("flowsessionbinaries", binary("single"));
        calls = ScriptedPlugin.calls(tag);
        assertEquals(List.of("CreateMultiple", "Create", "Create", "Create", "CreateMultiple"),
                calls.stream().map(Call::message).toList());
        assertEquals(1, ((List<?>) calls.get(4).inputs().get("Targets")).size());
    }

    @Test
    void deleteStepSeesThePreImageAndNoPostImage() {
        String tag = tag();
        String step = fixture.pluginStep("Delete", 20, 0, 1, "tag:" + tag);
        fixture.image(step, 0, "before", "name", "Target");
        String id = api.create("flowsessionbinaries", binary("to delete"));
        assertEquals(204, api.delete("flowsessionbinaries(" + id + ")").status());
        Call call = ScriptedPlugin.calls(tag).get(0);
        assertEquals(Map.of("name", "to delete"), call.preImages().get("before"));
        assertEquals(new EntityReference("flowsessionbinary", UUID.fromString(id)), call.inputs().get("Target"));
    }

    @Test
    void stepUpdatingItsOwnRowIsStoppedAtTheMaximumDepth() {
        String tag = tag();
        fixture.pluginStep("Update", 40, 0, 1, "tag:" + tag + ";touch-self");
        String id = api.create("flowsessionbinaries", binary("loop"));
        Response refused = api.patch("flowsessionbinaries(" + id + ")", "{\"metadata\":\"start\"}");
        assertEquals(400, refused.status(), refused.body());
        assertEquals("0x80044182", refused.errorCode());
        assertTrue(refused.errorMessage().contains("infinite loop"), refused.errorMessage());
        assertEquals(8, ScriptedPlugin.calls(tag).stream().mapToInt(Call::depth).max().orElse(0));
        assertNull(api.get(q("flowsessionbinaries(" + id + ")?$select=metadata")).json().path("metadata")
                .textValue(), "nothing of the loop is written");
    }

    @Test
    void disabledStepsDoNotFire() {
        String tag = tag();
        String step = fixture.pluginStep("Create", 20, 0, 1, "tag:" + tag);
        assertEquals(204, api.patch("sdkmessageprocessingsteps(" + step + ")", "{\"statecode\":1,\"statuscode\":2}")
                .status());
        api.create("flowsessionbinaries", binary("disabled"));
        assertTrue(ScriptedPlugin.calls(tag).isEmpty());
    }

    @Test
    void asynchronousPluginRunsAfterwardsAsASystemJobVisibleThroughTheWebApi() {
        String tag = tag();
        String step = fixture.pluginStep("Create", 40, 1, 1, "tag:" + tag);
        String id = api.create("flowsessionbinaries", binary("async"));
        JsonNode jobs = fixture.jobsOf(step, 1, EventsFixture::completed, java.time.Duration.ofSeconds(20));
        assertEquals(1, jobs.size(), jobs.toString());
        JsonNode job = jobs.get(0);
        assertEquals(30, job.path("statuscode").asInt(), job.toString());
        assertEquals("Create", job.path("messagename").asText());
        assertEquals("flowsessionbinary", job.path("primaryentitytype").asText());
        assertEquals(id, job.path("_regardingobjectid_value").asText());
        Call call = ScriptedPlugin.calls(tag).get(0);
        assertEquals(1, call.mode());
        assertEquals(40, call.stage());
        assertFalse(call.inTransaction());
        assertEquals(UUID.fromString(id), call.outputs().get("id"));
        assertTrue(call.postImages().containsKey("AsynchronousStepPrimaryName"));
        Response related = api.get(q("flowsessionbinaries(" + id + ")/flowsessionbinary_AsyncOperations"
                + "?$select=asyncoperationid,statuscode"));
        assertEquals(200, related.status(), related.body());
        assertEquals(job.path("asyncoperationid").asText(),
                related.json().path("value").get(0).path("asyncoperationid").asText());
    }

    @Test
    void failingAsynchronousPluginFailsItsJobNotTheCaller() {
        String step = fixture.pluginStep("Create", 40, 1, 1, "veto:Archive is offline.");
        String id = api.create("flowsessionbinaries", binary("async failure"));
        assertEquals(200, api.get(q("flowsessionbinaries(" + id + ")")).status());
        JsonNode job = fixture.jobsOf(step, 1, EventsFixture::completed, java.time.Duration.ofSeconds(20)).get(0);
        assertEquals(31, job.path("statuscode").asInt(), job.toString());
        assertEquals("Archive is offline.", job.path("message").asText());
        assertEquals(0x80040265, job.path("errorcode").asInt());
    }

    String session(String name) {
        return api.create("flowsessions", "{\"name\":\"" + name + "\"}");
    }

    String binaryIn(String session, String name) {
        return api.create("flowsessionbinaries", "{\"name\":\"" + name + "\",\"type\":\"Output\","
                + "\"flowsessionid@odata.bind\":\"/flowsessions(" + session + ")\"}");
    }

    static EntityReference reference(String table, String id) {
        return new EntityReference(table, UUID.fromString(id));
    }

    /** A user to share rows with. */
    String grantee() {
        return new SecurityFixture(server).user("grantee" + UUID.randomUUID().toString().substring(0, 8),
                server.server().organization().rootBusinessUnitId().toString()).id();
    }

    static String sharing(String row, String user, String mask) {
        return "{\"Target\":{\"flowsessionbinaryid\":\"" + row + "\",\"@odata.type\":"
                + "\"Microsoft.Dynamics.CRM.flowsessionbinary\"},\"PrincipalAccess\":{\"AccessMask\":\"" + mask
                + "\",\"Principal\":{\"systemuserid\":\"" + user + "\",\"@odata.type\":"
                + "\"Microsoft.Dynamics.CRM.systemuser\"}}}";
    }

    static String revoking(String row, String user) {
        return "{\"Target\":{\"flowsessionbinaryid\":\"" + row + "\",\"@odata.type\":"
                + "\"Microsoft.Dynamics.CRM.flowsessionbinary\"},\"Revokee\":{\"systemuserid\":\"" + user
                + "\",\"@odata.type\":\"Microsoft.Dynamics.CRM.systemuser\"}}";
    }

    /** The Target parameter alias of the access functions, encoded for the URL. */
    static String target(String row) {
        return URLEncoder.encode("{'@odata.id':'flowsessionbinaries(" + row + ")'}", StandardCharsets.UTF_8);
    }

    JsonNode sharedWith(String row) {
        Response shared = api.get("RetrieveSharedPrincipalsAndAccess(Target=@t)?@t=" + target(row));
        assertEquals(200, shared.status(), shared.body());
        return shared.json().path("PrincipalAccesses");
    }

    @Test
    void associateAndDisassociateRaiseTheirEventsWithRelationshipAndRelatedEntities() {
        String tag = tag();
        fixture.pluginStep("Associate", 20, 0, 1, "tag:" + tag);
        fixture.pluginStep("Associate", 40, 0, 1, "tag:" + tag);
        fixture.pluginStep("Disassociate", 40, 0, 1, "tag:" + tag);
        String first = session("associate from");
        String second = session("associate to");
        String binary = binaryIn(first, "moving");
        String links = "flowsessions(" + second + ")/flowsession_flowsessionbinary_flowsessionid";
        Response associated = api.post(links + "/$ref", "{\"@odata.id\":\"" + server.serviceRoot()
                + "flowsessionbinaries(" + binary + ")\"}");
        assertEquals(204, associated.status(), associated.body());
        List<Call> calls = ScriptedPlugin.calls(tag);
        assertEquals(List.of("Associate", "Associate"), calls.stream().map(Call::message).toList(),
                "a step on the related rows' table fires");
        assertEquals(List.of(20, 40), calls.stream().map(Call::stage).toList());
        for (Call call : calls) {
            assertEquals("flowsession", call.table(), "the target is the primary entity");
            assertEquals(UUID.fromString(second), call.primaryId());
            assertEquals(reference("flowsession", second), call.inputs().get("Target"));
            Relationship relationship = (Relationship) call.inputs().get("Relationship");
            assertTrue(relationship.schemaName().equalsIgnoreCase("flowsession_flowsessionbinary_FlowSessionId"),
                    relationship.toString());
            assertEquals(List.of(reference("flowsessionbinary", binary)), call.inputs().get("RelatedEntities"));
            assertTrue(call.inTransaction());
        }
        assertEquals(second, api.get(q("flowsessionbinaries(" + binary + ")?$select=_flowsessionid_value")).json()
                .path("_flowsessionid_value").asText());

        // the binary belongs to the second run now: removing its link to the first has nothing to remove
        Response disassociated = api.delete("flowsessions(" + first + ")/flowsession_flowsessionbinary_flowsessionid("
                + binary + ")/$ref");
        assertEquals(204, disassociated.status(), disassociated.body());
        calls = ScriptedPlugin.calls(tag);
        assertEquals(List.of("Associate", "Associate", "Disassociate"), calls.stream().map(Call::message).toList());
        Call disassociate = calls.get(2);
        assertEquals(reference("flowsession", first), disassociate.inputs().get("Target"));
        assertEquals(List.of(reference("flowsessionbinary", binary)), disassociate.inputs().get("RelatedEntities"));
    }

    @Test
    void failingStepOnAssociateLeavesTheLinkUnchanged() {
        fixture.pluginStep("Associate", 40, 0, 1, "veto:Binaries stay with their run.");
        String first = session("veto from");
        String second = session("veto to");
        String binary = binaryIn(first, "staying");
        Response refused = api.post("flowsessions(" + second + ")/flowsession_flowsessionbinary_flowsessionid/$ref",
                "{\"@odata.id\":\"" + server.serviceRoot() + "flowsessionbinaries(" + binary + ")\"}");
        assertEquals(400, refused.status(), refused.body());
        assertEquals("0x80040265", refused.errorCode());
        assertEquals("Binaries stay with their run.", refused.errorMessage());
        assertEquals(first, api.get(q("flowsessionbinaries(" + binary + ")?$select=_flowsessionid_value")).json()
                .path("_flowsessionid_value").asText());
    }

    @Test
    void associateStepsOfAnotherTableDoNotFire() {
        String tag = tag();
        fixture.pluginStep("Associate", 40, 0, 1, "tag:" + tag);
        String parent = session("parent run");
        String child = session("child run");
        assertEquals(204, api.post("flowsessions(" + parent + ")/flowsession_flowsession_parentdesktopflowrunid/$ref",
                "{\"@odata.id\":\"" + server.serviceRoot() + "flowsessions(" + child + ")\"}").status());
        assertTrue(ScriptedPlugin.calls(tag).isEmpty(), "no flowsessionbinary on either side");
    }

    @Test
    void grantModifyRevokeAccessRaiseTheirEvents() {
        String tag = tag();
        fixture.pluginStep("GrantAccess", 40, 0, 1, "tag:" + tag);
        fixture.pluginStep("ModifyAccess", 20, 0, 1, "tag:" + tag);
        fixture.pluginStep("RevokeAccess", 10, 0, 1, "tag:" + tag);
        String row = api.create("flowsessionbinaries", binary("shared"));
        String user = grantee();
        assertEquals(204, api.post("GrantAccess", sharing(row, user, "ReadAccess")).status());
        assertEquals(204, api.post("ModifyAccess", sharing(row, user, "ReadAccess, WriteAccess")).status());
        assertEquals(204, api.post("RevokeAccess", revoking(row, user)).status());
        List<Call> calls = ScriptedPlugin.calls(tag);
        assertEquals(List.of("GrantAccess", "ModifyAccess", "RevokeAccess"), calls.stream().map(Call::message)
                .toList());
        assertEquals(List.of(40, 20, 10), calls.stream().map(Call::stage).toList());
        for (Call call : calls) {
            assertEquals("flowsessionbinary", call.table());
            assertEquals(UUID.fromString(row), call.primaryId());
            assertEquals(reference("flowsessionbinary", row), call.inputs().get("Target"));
        }
        assertEquals(new PrincipalAccess(reference("systemuser", user), 1), calls.get(0).inputs()
                .get("PrincipalAccess"));
        assertEquals(new PrincipalAccess(reference("systemuser", user), 3), calls.get(1).inputs()
                .get("PrincipalAccess"));
        assertEquals(reference("systemuser", user), calls.get(2).inputs().get("Revokee"));
        assertFalse(calls.get(2).inTransaction(), "PreValidation runs before the transaction");
        assertEquals(0, sharedWith(row).size());
    }

    @Test
    void failingPreOperationStepOnGrantAccessLeavesNoShare() {
        String tag = tag();
        fixture.pluginStep("GrantAccess", 20, 0, 1, "tag:" + tag + ";veto:Sharing of binaries is closed.");
        String row = api.create("flowsessionbinaries", binary("not shared"));
        String user = grantee();
        Response refused = api.post("GrantAccess", sharing(row, user, "ReadAccess"));
        assertEquals(400, refused.status(), refused.body());
        assertEquals("0x80040265", refused.errorCode());
        assertEquals("Sharing of binaries is closed.", refused.errorMessage());
        assertEquals(1, ScriptedPlugin.calls(tag).size());
        assertEquals(0, sharedWith(row).size());
    }

    @Test
    void preOperationStepMayChangeTheRightsAGrantGives() {
        fixture.pluginStep("GrantAccess", 20, 0, 1, "access-mask:1");
        String row = api.create("flowsessionbinaries", binary("narrowed"));
        String user = grantee();
        assertEquals(204, api.post("GrantAccess", sharing(row, user, "ReadAccess, WriteAccess")).status());
        JsonNode shares = sharedWith(row);
        assertEquals(1, shares.size(), shares.toString());
        assertEquals("ReadAccess", shares.get(0).path("AccessMask").asText());
    }

    @Test
    void accessQueriesRaiseTheirEvents() {
        String tag = tag();
        String row = api.create("flowsessionbinaries", binary("queried"));
        String user = grantee();
        assertEquals(204, api.post("GrantAccess", sharing(row, user, "ReadAccess")).status());
        fixture.pluginStep("RetrievePrincipalAccess", 40, 0, 1, "tag:" + tag);
        fixture.pluginStep("RetrieveSharedPrincipalsAndAccess", 40, 0, 1, "tag:" + tag);
        String owner = server.server().organization().adminUserId().toString();
        Response rights = api.get("systemusers(" + owner + ")/Microsoft.Dynamics.CRM.RetrievePrincipalAccess("
                + "Target=@t)?@t=" + target(row));
        assertEquals(200, rights.status(), rights.body());
        assertEquals("ReadAccess, WriteAccess, AppendAccess, AppendToAccess, CreateAccess, DeleteAccess, "
                + "ShareAccess, AssignAccess", rights.json().path("AccessRights").asText());
        assertEquals(1, sharedWith(row).size());
        List<Call> calls = ScriptedPlugin.calls(tag);
        assertEquals(List.of("RetrievePrincipalAccess", "RetrieveSharedPrincipalsAndAccess"),
                calls.stream().map(Call::message).toList());
        Call principal = calls.get(0);
        assertEquals(reference("flowsessionbinary", row), principal.inputs().get("Target"));
        assertEquals(reference("systemuser", owner), principal.inputs().get("Principal"));
        assertEquals(1 | 2 | 4 | 16 | 32 | 65536 | 262144 | 524288, principal.outputs().get("AccessRights"),
                "the rights the caller receives");
        Call shared = calls.get(1);
        assertEquals(reference("flowsessionbinary", row), shared.inputs().get("Target"));
        assertEquals(List.of(new PrincipalAccess(reference("systemuser", user), 1)),
                shared.outputs().get("PrincipalAccesses"));
    }

    @Test
    void failingStepOnAnAccessQueryCancelsIt() {
        fixture.pluginStep("RetrieveSharedPrincipalsAndAccess", 10, 0, 1, "veto:Shares are private.");
        String row = api.create("flowsessionbinaries", binary("private shares"));
        Response refused = api.get("RetrieveSharedPrincipalsAndAccess(Target=@t)?@t=" + target(row));
        assertEquals(400, refused.status(), refused.body());
        assertEquals("0x80040265", refused.errorCode());
        assertEquals("Shares are private.", refused.errorMessage());
    }

    @Test
    void retrieveRaisesItsEventWithTargetAndColumnSet() {
        String tag = tag();
        String id = api.create("flowsessionbinaries", binary("read"));
        fixture.pluginStep("Retrieve", 20, 0, 1, "tag:" + tag);
        fixture.pluginStep("Retrieve", 40, 0, 1, "tag:" + tag);
        assertEquals(200, api.get(q("flowsessionbinaries(" + id + ")?$select=name,metadata")).status());
        List<Call> calls = ScriptedPlugin.calls(tag);
        assertEquals(List.of(20, 40), calls.stream().map(Call::stage).toList());
        for (Call call : calls) {
            assertEquals("Retrieve", call.message());
            assertEquals(UUID.fromString(id), call.primaryId());
            assertEquals(reference("flowsessionbinary", id), call.inputs().get("Target"));
            ColumnSet columns = (ColumnSet) call.inputs().get("ColumnSet");
            assertTrue(columns.columns().containsAll(List.of("name", "metadata")), columns.toString());
        }
        assertFalse(calls.get(0).outputs().containsKey("BusinessEntity"));
        @SuppressWarnings("unchecked")
        Map<String, Object> entity = (Map<String, Object>) calls.get(1).outputs().get("BusinessEntity");
        assertEquals("read", entity.get("name"));
    }

    @Test
    void postOperationRetrievePluginChangesWhatTheClientReceives() {
        String id = api.create("flowsessionbinaries", binary("original name"));
        fixture.pluginStep("Retrieve", 40, 0, 1, "output-set:name=masked by a plug-in");
        JsonNode row = api.get(q("flowsessionbinaries(" + id + ")?$select=name,type")).json();
        assertEquals("masked by a plug-in", row.path("name").asText());
        assertEquals("Output", row.path("type").asText(), "columns the step left alone are unchanged");
        assertEquals(1, server.count("SELECT COUNT(*) FROM \"flowsessionbinary\" WHERE \"flowsessionbinaryid\" = ?"
                + " AND \"name\" = ?", UUID.fromString(id), "original name"), "only the response changes");
    }

    @Test
    void retrieveWithExpandRaisesRetrieveAndShowsThePostOperationChange() {
        String tag = tag();
        String id = api.create("flowsessionbinaries", binary("expanded"));
        fixture.pluginStep("Retrieve", 40, 0, 1, "tag:" + tag + ";output-set:name=expanded and masked");
        fixture.pluginStep("RetrieveMultiple", 40, 0, 1, "tag:" + tag);
        Response row = api.get(q("flowsessionbinaries(" + id + ")?$select=name&$expand=flowsessionid($select=name)"));
        assertEquals(200, row.status(), row.body());
        assertEquals("expanded and masked", row.json().path("name").asText());
        assertEquals("events run", row.json().path("flowsessionid").path("name").asText());
        assertEquals(List.of("Retrieve"), ScriptedPlugin.calls(tag).stream().map(Call::message).toList());
    }

    @Test
    void failingPreValidationStepOnRetrieveCancelsTheRead() {
        String id = api.create("flowsessionbinaries", binary("guarded"));
        fixture.pluginStep("Retrieve", 10, 0, 1, "veto:Reading binaries is paused.");
        Response refused = api.get(q("flowsessionbinaries(" + id + ")?$select=name"));
        assertEquals(400, refused.status(), refused.body());
        assertEquals("0x80040265", refused.errorCode());
        assertEquals("Reading binaries is paused.", refused.errorMessage());
    }

    @Test
    void retrieveMultiplePostOperationSeesTheReturnedRows() {
        String tag = tag();
        String session = session("listed run");
        binaryIn(session, "visible");
        binaryIn(session, "hidden");
        fixture.pluginStep("RetrieveMultiple", 20, 0, 1, "tag:" + tag);
        fixture.pluginStep("RetrieveMultiple", 40, 0, 1, "tag:" + tag
                + ";output-drop:name=hidden;output-set:metadata=filtered by a plug-in");
        Response list = api.get(q("flowsessionbinaries?$select=name,metadata&$orderby=name&$filter=_flowsessionid_value"
                + " eq " + session));
        assertEquals(200, list.status(), list.body());
        JsonNode rows = list.json().path("value");
        assertEquals(1, rows.size(), rows.toString());
        assertEquals("visible", rows.get(0).path("name").asText());
        assertEquals("filtered by a plug-in", rows.get(0).path("metadata").asText());
        List<Call> calls = ScriptedPlugin.calls(tag);
        assertEquals(List.of(20, 40), calls.stream().map(Call::stage).toList());
        QueryExpression query = (QueryExpression) calls.get(0).inputs().get("Query");
        assertEquals("flowsessionbinary", query.entityName());
        assertTrue(query.columnSet().columns().containsAll(List.of("name", "metadata")), query.toString());
        assertFalse(calls.get(0).outputs().containsKey("BusinessEntityCollection"));
        List<?> returned = (List<?>) calls.get(1).outputs().get("BusinessEntityCollection");
        assertEquals(List.of("hidden", "visible"), returned.stream().map(item -> ((Map<?, ?>) item).get("name"))
                .toList(), "the step sees every row the query returned");
    }

    @Test
    void retrieveMultipleOfFetchXmlPassesTheFetchExpression() {
        String tag = tag();
        String session = session("fetched run");
        binaryIn(session, "fetched");
        fixture.pluginStep("RetrieveMultiple", 40, 0, 1, "tag:" + tag);
        String fetch = "<fetch><entity name='flowsessionbinary'><attribute name='name'/><filter><condition "
                + "attribute='flowsessionid' operator='eq' value='" + session + "'/></filter></entity></fetch>";
        Response list = api.get("flowsessionbinaries?fetchXml=" + URLEncoder.encode(fetch, StandardCharsets.UTF_8)
                .replace("+", "%20"));
        assertEquals(200, list.status(), list.body());
        assertEquals(1, list.json().path("value").size());
        Call call = ScriptedPlugin.calls(tag).get(0);
        assertEquals(new FetchExpression(fetch), call.inputs().get("Query"));
        assertEquals(1, ((List<?>) call.outputs().get("BusinessEntityCollection")).size());
    }

    @Test
    void asynchronousPluginOnGrantAccessRunsAsASystemJobWithTheParameters() {
        String tag = tag();
        String step = fixture.pluginStep("GrantAccess", 40, 1, 1, "tag:" + tag);
        String row = api.create("flowsessionbinaries", binary("async share"));
        String user = grantee();
        assertEquals(204, api.post("GrantAccess", sharing(row, user, "ReadAccess")).status());
        JsonNode job = fixture.jobsOf(step, 1, EventsFixture::completed, java.time.Duration.ofSeconds(20)).get(0);
        assertEquals(30, job.path("statuscode").asInt(), job.toString());
        assertEquals("GrantAccess", job.path("messagename").asText());
        assertEquals(row, job.path("_regardingobjectid_value").asText());
        Call call = ScriptedPlugin.calls(tag).get(0);
        assertEquals(1, call.mode());
        assertFalse(call.inTransaction());
        assertEquals(reference("flowsessionbinary", row), call.inputs().get("Target"));
        assertEquals(new PrincipalAccess(reference("systemuser", user), 1), call.inputs().get("PrincipalAccess"));
    }
}
