package io.flowbin.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowbin.testing.WebApiClient;
import io.flowbin.testing.WebApiClient.Response;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The security model as security.md documents it: privileges from user and team roles, depth measured against the
 * row's owner and business unit (own, same, child, other), shares, the privilege error, queries filtered in SQL, the
 * role and sharing operations, impersonation and attacks on all of them. Runs once per database.
 */
abstract class SecurityContract extends ServerContract {
    private static final String PRIVILEGE_DENIED = "0x80040220";
    private static final List<String> TABLES = List.of("flowsessionbinary", "flowsession");
    private static final List<String> DEPTHS = List.of("Basic", "Local", "Deep", "Global");
    /** Where a row's owner sits seen from the caller, and the least depth that reaches it. */
    private static final List<String> PLACES = List.of("own", "same", "child", "other");

    SecurityFixture org;
    WebApiClient admin;
    String sales;
    String emea;
    String otherUnit;
    String readerRole;
    SecurityFixture.User colleague;
    SecurityFixture.User childUser;
    SecurityFixture.User stranger;
    String session;

    @Override
    void seed() {
        org = new SecurityFixture(server);
        admin = org.admin;
        sales = org.unit("sales", org.rootUnit);
        emea = org.unit("emea", sales);
        otherUnit = org.unit("other", org.rootUnit);
        // owners of rows must be able to read them
        readerRole = org.role("reader", "Basic", TABLES, "Read");
        colleague = reader("colleague", sales);
        childUser = reader("child", emea);
        stranger = reader("stranger", otherUnit);
        session = org.session("shared session", "systemusers", server.server().organization().adminUserId()
                .toString());
    }

    private SecurityFixture.User reader(String name, String unit) {
        SecurityFixture.User user = org.user(name, unit);
        org.giveRole("systemusers", user.id(), readerRole);
        return user;
    }

    private String ownerIn(String place, SecurityFixture.User subject) {
        return switch (place) {
            case "own" -> subject.id();
            case "same" -> colleague.id();
            case "child" -> childUser.id();
            default -> stranger.id();
        };
    }

    /**
     * For each depth, held through a user role or a team role, and each place of the row's owner: Retrieve,
     * RetrieveMultiple (with $count), Update and Delete succeed exactly when the depth reaches the row, and a Read
     * share makes the row readable (not writable) whatever the depth.
     */
    @TestFactory
    List<DynamicTest> privilegeDepthMatrix() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String depth : DEPTHS) {
            for (String via : List.of("user role", "team role")) {
                String label = depth + " via " + via;
                SecurityFixture.User subject = org.user("subject " + label.replace(' ', '-'), sales);
                String role = org.role("matrix " + label, depth, TABLES, "Create", "Read", "Write", "Delete",
                        "Append", "AppendTo", "Share");
                if (via.equals("user role")) {
                    org.giveRole("systemusers", subject.id(), role);
                } else {
                    String team = org.team("matrix team " + label, sales);
                    org.giveRole("teams", team, role);
                    org.join(team, subject.id());
                }
                for (String place : PLACES) {
                    // a row cannot be shared with its owner
                    for (boolean shared : place.equals("own") ? List.of(false) : List.of(false, true)) {
                        boolean reaches = DEPTHS.indexOf(depth) >= PLACES.indexOf(place);
                        String name = "matrix " + label + " " + place + (shared ? " shared" : "");
                        tests.add(DynamicTest.dynamicTest(name, () -> cell(subject, place, shared, reaches, name)));
                    }
                }
            }
        }
        return tests;
    }

    private void cell(SecurityFixture.User subject, String place, boolean shared, boolean reaches, String name) {
        String row = org.binary(name, session, "systemusers", ownerIn(place, subject));
        if (shared) {
            assertEquals(204, admin.post("GrantAccess", grant(row, "systemuser", subject.id(), "ReadAccess"))
                    .status());
        }
        boolean readable = reaches || shared;
        Response read = subject.api().get("flowsessionbinaries(" + row + ")?$select=name");
        assertEquals(readable ? 200 : 403, read.status(), read.body());
        if (!readable) {
            assertEquals(PRIVILEGE_DENIED, read.errorCode());
        }
        Response list = subject.api().get("flowsessionbinaries?$select=name&$count=true&$filter="
                + "name%20eq%20'" + name.replace(" ", "%20") + "'");
        assertEquals(200, list.status(), list.body());
        assertEquals(readable ? 1 : 0, list.json().get("value").size());
        assertEquals(readable ? 1 : 0, list.json().get("@odata.count").asInt());
        Response write = subject.api().patch("flowsessionbinaries(" + row + ")", "{\"name\":\"changed\"}",
                "If-Match", "*");
        assertEquals(reaches ? 204 : 403, write.status(), write.body());
        if (!reaches) {
            assertEquals(PRIVILEGE_DENIED, write.errorCode());
            assertTrue(write.errorMessage().contains("WriteAccess"), write.errorMessage());
        }
        Response delete = subject.api().delete("flowsessionbinaries(" + row + ")");
        assertEquals(reaches ? 204 : 403, delete.status(), delete.body());
        assertEquals(reaches ? 404 : 200, admin.get("flowsessionbinaries(" + row + ")").status());
    }

    /** A Target alias value as the documentation writes it, encoded for the URL. */
    private static String target(String row) {
        return java.net.URLEncoder.encode("{'@odata.id':'flowsessionbinaries(" + row + ")'}",
                java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String grant(String row, String principalTable, String principal, String mask) {
        return "{\"Target\":{\"flowsessionbinaryid\":\"" + row + "\",\"@odata.type\":"
                + "\"Microsoft.Dynamics.CRM.flowsessionbinary\"},\"PrincipalAccess\":{\"AccessMask\":\"" + mask
                + "\",\"Principal\":{\"" + principalTable + "id\":\"" + principal + "\",\"@odata.type\":"
                + "\"Microsoft.Dynamics.CRM." + principalTable + "\"}}}";
    }

    @Test
    void theRealClientWithTheTokensOfTwoUsersSeesTheSameOutcomes() {
        String role = org.role("client basic", "Basic", TABLES, "Read", "Write");
        SecurityFixture.User first = org.user("client first", sales);
        SecurityFixture.User second = org.user("client second", otherUnit);
        org.giveRole("systemusers", first.id(), role);
        org.giveRole("systemusers", second.id(), role);
        String output = io.flowbin.testing.NodeClient.run(server, "security.mjs", java.time.Duration.ofSeconds(120),
                java.util.Map.of(
                        "FIRST_TOKEN", server.tokenFor(first.objectId()),
                        "SECOND_TOKEN", server.tokenFor(second.objectId()),
                        "FIRST_ROW", org.binary("client security first", session, "systemusers", first.id()),
                        "SECOND_ROW", org.binary("client security second", session, "systemusers", second.id()),
                        "SECOND_USER", second.id()));
        assertFalse(output.contains("FAIL"), output);
        assertEquals(5, output.lines().filter(line -> line.startsWith("ok ")).count(), output);
    }

    @Test
    void theBootstrapAdministratorHoldsSystemAdministratorWithEveryPrivilegeAtGlobal() {
        String role = server.server().organization().systemAdministratorRoleId().toString();
        assertEquals("System Administrator", admin.get("roles(" + role + ")?$select=name").json().get("name")
                .asText());
        Response privileges = admin.get("roles(" + role + ")/Microsoft.Dynamics.CRM.RetrieveRolePrivilegesRole()");
        assertEquals(200, privileges.status(), privileges.body());
        JsonNode body = privileges.json();
        assertTrue(body.get("@odata.context").asText()
                .endsWith("$metadata#Microsoft.Dynamics.CRM.RetrieveRolePrivilegesRoleResponse"));
        Set<String> names = new HashSet<>();
        for (JsonNode privilege : body.get("RolePrivileges")) {
            assertEquals("Global", privilege.get("Depth").asText());
            assertEquals(org.rootUnit, privilege.get("BusinessUnitId").asText());
            names.add(privilege.get("PrivilegeName").asText());
        }
        for (String verb : List.of("Create", "Read", "Write", "Delete", "Append", "AppendTo", "Assign", "Share")) {
            assertTrue(names.contains("prv" + verb + "flowsessionbinary"), verb);
        }
        assertTrue(names.contains("prvActOnBehalfOfAnotherUser"));
        long rows = admin.get("privileges?$count=true&$filter=startswith(name,'prvReadflowsession')").json()
                .get("@odata.count").asLong();
        assertEquals(2, rows);
    }

    @Test
    void businessUnitsFormOneTree() {
        Response secondRoot = admin.post("businessunits", "{\"name\":\"second root\"}");
        assertEquals(400, secondRoot.status(), secondRoot.body());
        assertEquals(1, admin.get("businessunits?$count=true&$filter=_parentbusinessunitid_value%20eq%20null").json()
                .get("@odata.count").asInt());
        assertEquals(400, admin.patch("businessunits(" + sales + ")", "{\"parentbusinessunitid@odata.bind\":"
                + "null}").status());
        assertEquals(400, admin.patch("businessunits(" + sales + ")", "{\"parentbusinessunitid@odata.bind\":"
                + "\"/businessunits(" + sales + ")\"}").status());
        assertEquals(405, admin.delete("businessunits(" + sales + ")").status(), "a unit with child units stays");
    }

    @Test
    void aUserWithoutRolesGetsThePrivilegeErrorNamingTheMissingPrivilege() {
        SecurityFixture.User nobody = org.user("nobody", sales);
        Response response = nobody.api().get("flowsessionbinaries");
        assertEquals(403, response.status());
        assertEquals(PRIVILEGE_DENIED, response.errorCode());
        assertTrue(response.errorMessage().contains("is missing prvReadflowsessionbinary privilege"),
                response.errorMessage());
        Response create = nobody.api().post("flowsessionbinaries", "{\"name\":\"x\",\"flowsessionid@odata.bind\":"
                + "\"flowsessions(" + session + ")\"}");
        assertEquals(403, create.status());
        assertTrue(create.errorMessage().contains("prvCreateflowsessionbinary"), create.errorMessage());
    }

    @Test
    void aDisabledUserIsRefused() {
        SecurityFixture.User user = reader("disabled", sales);
        assertEquals(200, user.api().get("WhoAmI").status());
        assertEquals(204, admin.patch("systemusers(" + user.id() + ")", "{\"isdisabled\":true}").status());
        Response refused = user.api().get("WhoAmI");
        assertEquals(403, refused.status());
        assertEquals("0x80040225", refused.errorCode());
    }

    @Test
    void createNeedsAppendToOnTheRowsItsLookupsPointAt() {
        SecurityFixture.User user = org.user("appender", sales);
        org.giveRole("systemusers", user.id(), org.role("creator without append to", "Global", TABLES, "Create",
                "Read", "Append"));
        Response denied = user.api().post("flowsessionbinaries", "{\"name\":\"a\",\"flowsessionid@odata.bind\":"
                + "\"flowsessions(" + session + ")\"}");
        assertEquals(403, denied.status());
        assertTrue(denied.errorMessage().contains("AppendToAccess") || denied.errorMessage()
                .contains("prvAppendToflowsession"), denied.errorMessage());
        org.giveRole("systemusers", user.id(), org.role("append to sessions", "Global", List.of("flowsession"),
                "AppendTo"));
        Response created = user.api().post("flowsessionbinaries", "{\"name\":\"a\",\"flowsessionid@odata.bind\":"
                + "\"flowsessions(" + session + ")\"}");
        assertEquals(204, created.status(), created.body());
    }

    @Test
    void aBasicCreatorCannotCreateRowsForAnotherOwnerNorTamperWithOwnershipColumns() {
        SecurityFixture.User user = org.user("basic creator", sales);
        org.giveRole("systemusers", user.id(), org.role("basic all", "Basic", TABLES, "Create", "Read", "Write",
                "Append", "AppendTo", "Assign"));
        String own = org.session("basic creator's session", "systemusers", user.id());
        Response forOther = user.api().post("flowsessionbinaries", "{\"name\":\"t\",\"flowsessionid@odata.bind\":"
                + "\"flowsessions(" + own + ")\",\"ownerid@odata.bind\":\"/systemusers(" + stranger.id() + ")\"}");
        assertEquals(403, forOther.status(), forOther.body());
        String row = user.api().create("flowsessionbinaries", "{\"name\":\"t\",\"flowsessionid@odata.bind\":"
                + "\"flowsessions(" + own + ")\",\"owningbusinessunit@odata.bind\":\"/businessunits(" + otherUnit
                + ")\",\"createdby@odata.bind\":\"/systemusers(" + stranger.id() + ")\"}");
        JsonNode stored = admin.get("flowsessionbinaries(" + row + ")").json();
        assertEquals(sales, stored.get("_owningbusinessunit_value").asText());
        assertEquals(user.id(), stored.get("_createdby_value").asText());
        assertEquals(user.id(), stored.get("_owninguser_value").asText());
        Response assign = user.api().patch("flowsessionbinaries(" + row + ")", "{\"ownerid@odata.bind\":"
                + "\"/systemusers(" + stranger.id() + ")\"}", "If-Match", "*");
        assertEquals(204, assign.status(), "Basic Assign reaches the caller's own row: " + assign.body());
        assertEquals(403, user.api().get("flowsessionbinaries(" + row + ")").status());
        Response share = user.api().post("principalobjectaccessset", "{\"accessrightsmask\":1,"
                + "\"inheritedaccessrightsmask\":0,\"objecttypecode\":\"flowsessionbinary\","
                + "\"principaltypecode\":\"systemuser\"}");
        assertEquals(403, share.status(), "shares are made by GrantAccess only: " + share.body());
    }

    @Test
    void assignNeedsTheAssignPrivilegeAndMovesTheRowToTheNewOwnersUnit() {
        SecurityFixture.User user = org.user("writer", sales);
        org.giveRole("systemusers", user.id(), org.role("writer", "Global", TABLES, "Read", "Write"));
        String row = org.binary("to assign", session, "systemusers", colleague.id());
        Response denied = user.api().patch("flowsessionbinaries(" + row + ")", "{\"ownerid@odata.bind\":"
                + "\"/systemusers(" + stranger.id() + ")\"}", "If-Match", "*");
        assertEquals(403, denied.status());
        assertTrue(denied.errorMessage().contains("prvAssignflowsessionbinary"), denied.errorMessage());
        String team = org.team("assignees", otherUnit);
        org.giveRole("teams", team, readerRole);
        assertEquals(204, admin.patch("flowsessionbinaries(" + row + ")", "{\"ownerid@odata.bind\":\"/teams(" + team
                + ")\"}", "If-Match", "*").status());
        JsonNode assigned = admin.get("flowsessionbinaries(" + row + ")").json();
        assertEquals(team, assigned.get("_owningteam_value").asText());
        assertTrue(assigned.get("_owninguser_value").isNull());
        assertEquals(otherUnit, assigned.get("_owningbusinessunit_value").asText());
        String lacksRead = org.team("no readers", otherUnit);
        Response target = admin.patch("flowsessionbinaries(" + row + ")", "{\"ownerid@odata.bind\":\"/teams("
                + lacksRead + ")\"}", "If-Match", "*");
        assertEquals(403, target.status());
        assertEquals("0x80040299", target.errorCode());
    }

    @Test
    void aUserMovedToAnotherUnitTakesItsRowsAlong() {
        SecurityFixture.User mover = reader("mover", sales);
        SecurityFixture.User local = org.user("local reader", otherUnit);
        org.giveRole("systemusers", local.id(), org.role("local reader", "Local", TABLES, "Read"));
        String row = org.binary("moving row", session, "systemusers", mover.id());
        assertEquals(403, local.api().get("flowsessionbinaries(" + row + ")").status());
        assertEquals(204, admin.patch("systemusers(" + mover.id() + ")", "{\"businessunitid@odata.bind\":"
                + "\"/businessunits(" + otherUnit + ")\"}").status());
        assertEquals(otherUnit, admin.get("flowsessionbinaries(" + row + ")").json().get("_owningbusinessunit_value")
                .asText());
        assertEquals(200, local.api().get("flowsessionbinaries(" + row + ")").status());
        assertEquals(1, local.api().get("flowsessionbinaries?$count=true&$filter=name%20eq%20'moving%20row'").json()
                .get("@odata.count").asInt());
        assertEquals(200, mover.api().get("flowsessionbinaries(" + row + ")").status());
    }

    @Test
    void teamOwnedRowsCountForTheTeamsMembers() {
        SecurityFixture.User member = org.user("member", sales);
        org.giveRole("systemusers", member.id(), org.role("member basic", "Basic", TABLES, "Read"));
        String team = org.team("owners", otherUnit);
        org.giveRole("teams", team, readerRole);
        String row = org.binary("team owned", session, "teams", team);
        assertEquals(403, member.api().get("flowsessionbinaries(" + row + ")").status());
        org.join(team, member.id());
        assertEquals(200, member.api().get("flowsessionbinaries(" + row + ")").status());
    }

    @Test
    void restrictedQueriesCountAggregateAndExpandOnlyReadableRows() {
        SecurityFixture.User user = org.user("counter", sales);
        org.giveRole("systemusers", user.id(), org.role("counter basic", "Basic", TABLES, "Read"));
        String hidden = org.session("hidden session", "systemusers", stranger.id());
        for (int i = 0; i < 3; i++) {
            org.binary("counted mine " + i, hidden, "systemusers", user.id());
            org.binary("counted theirs " + i, hidden, "systemusers", stranger.id());
        }
        String filter = "$filter=startswith(name,'counted')";
        JsonNode mine = user.api().get("flowsessionbinaries?$select=name&$count=true&" + filter).json();
        assertEquals(3, mine.get("@odata.count").asInt());
        assertEquals(3, mine.get("value").size());
        assertEquals(6, admin.get("flowsessionbinaries?$count=true&" + filter).json().get("@odata.count").asInt());
        JsonNode aggregate = user.api().get("flowsessionbinaries?$apply=filter(startswith(name,'counted'))/"
                + "aggregate($count%20as%20total)").json();
        assertEquals(3, aggregate.get("value").get(0).get("total").asInt());
        JsonNode paged = user.api().get("flowsessionbinaries?$select=name&" + filter, "Prefer",
                "odata.maxpagesize=2").json();
        assertEquals(2, paged.get("value").size());
        String next = paged.get("@odata.nextLink").asText();
        JsonNode second = user.api().get(next.substring(next.indexOf("flowsessionbinaries"))).json();
        assertEquals(1, second.get("value").size());
        // the administrator's paging token gives the restricted user its own rows only
        JsonNode adminPage = admin.get("flowsessionbinaries?$select=name&" + filter, "Prefer",
                "odata.maxpagesize=2").json();
        String adminNext = adminPage.get("@odata.nextLink").asText();
        JsonNode borrowed = user.api().get(adminNext.substring(adminNext.indexOf("flowsessionbinaries"))).json();
        for (JsonNode row : borrowed.get("value")) {
            assertTrue(row.get("name").asText().startsWith("counted mine"), row.toString());
        }
        // the session is not readable: $expand shows no row, a filter through the lookup matches nothing
        JsonNode expanded = user.api().get("flowsessionbinaries?$select=name&$expand=flowsessionid($select=name)&"
                + filter).json();
        for (JsonNode row : expanded.get("value")) {
            assertTrue(row.get("flowsessionid").isNull(), row.toString());
        }
        assertEquals(0, user.api().get("flowsessionbinaries?$filter=flowsessionid/name%20eq%20'hidden%20session'")
                .json().get("value").size());
        String fetch = "<fetch><entity name='flowsessionbinary'><attribute name='name'/><link-entity "
                + "name='flowsession' from='flowsessionid' to='flowsessionid'><filter><condition attribute='name' "
                + "operator='eq' value='hidden session'/></filter></link-entity></entity></fetch>";
        Response fetched = user.api().get("flowsessionbinaries?fetchXml=" + java.net.URLEncoder.encode(fetch,
                java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"));
        assertEquals(200, fetched.status(), fetched.body());
        assertEquals(0, fetched.json().get("value").size());
        assertEquals(3, admin.get("flowsessionbinaries?fetchXml=" + java.net.URLEncoder.encode(fetch,
                java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20")).json().get("value").size() / 2);
    }

    @Test
    void fileColumnsAndBatchPartsAreCheckedLikeEveryMessage() {
        SecurityFixture.User user = org.user("file reader", sales);
        org.giveRole("systemusers", user.id(), org.role("file basic", "Basic", TABLES, "Read", "Write"));
        String hidden = org.binary("file hidden", session, "systemusers", stranger.id());
        assertEquals(204, admin.send("PATCH", "flowsessionbinaries(" + hidden + ")/data?x-ms-file-name=secret.bin",
                "secret bytes", "Content-Type", "application/octet-stream").status());
        Response download = user.api().get("flowsessionbinaries(" + hidden + ")/data/$value");
        assertEquals(403, download.status(), download.body());
        assertEquals(PRIVILEGE_DENIED, download.errorCode());
        Response upload = user.api().send("PATCH", "flowsessionbinaries(" + hidden + ")/data?x-ms-file-name=mine.bin",
                "overwritten", "Content-Type", "application/octet-stream");
        assertEquals(403, upload.status(), upload.body());
        Response blocks = user.api().post("InitializeFileBlocksDownload", "{\"Target\":{\"flowsessionbinaryid\":\""
                + hidden + "\",\"@odata.type\":\"Microsoft.Dynamics.CRM.flowsessionbinary\"},"
                + "\"FileAttributeName\":\"data\"}");
        assertEquals(403, blocks.status(), blocks.body());
        assertEquals(200, admin.get("flowsessionbinaries(" + hidden + ")/data/$value").status());
        String fileId = admin.get("flowsessionbinaries(" + hidden + ")?$select=data").json().get("data").asText();
        Response block = user.api().post("DownloadBlock", "{\"FileContinuationToken\":\"" + fileId
                + "\",\"Offset\":0,\"BlockLength\":6}");
        assertEquals(403, block.status(), "a file id taken from elsewhere opens nothing: " + block.body());
        Response deleteFile = user.api().post("DeleteFile", "{\"FileId\":\"" + fileId + "\"}");
        assertEquals(403, deleteFile.status(), deleteFile.body());
        assertEquals(200, admin.get("flowsessionbinaries(" + hidden + ")/data/$value").status());
        String batch = "--batch_1\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n"
                + "GET " + server.serviceRoot() + "flowsessionbinaries(" + hidden + ")?$select=name HTTP/1.1\r\n"
                + "Accept: application/json\r\n\r\n--batch_1--\r\n";
        Response batched = user.api().post("$batch", batch, "Content-Type", "multipart/mixed; boundary=batch_1",
                "Prefer", "odata.continue-on-error");
        assertTrue(batched.body().contains("HTTP/1.1 403"), batched.body());
        assertTrue(batched.body().contains(PRIVILEGE_DENIED), batched.body());
        assertFalse(batched.body().contains("file hidden"), batched.body());
    }

    @Test
    void sharingGrantsModifiesRevokesAndAnswersTheDocumentedShapes() {
        SecurityFixture.User user = org.user("sharee", sales);
        org.giveRole("systemusers", user.id(), org.role("sharee basic", "Basic", TABLES, "Read", "Write"));
        String row = org.binary("to share", session, "systemusers", stranger.id());
        assertEquals(403, user.api().get("flowsessionbinaries(" + row + ")").status());
        assertEquals(204, admin.post("GrantAccess", grant(row, "systemuser", user.id(), "ReadAccess")).status());
        assertEquals(200, user.api().get("flowsessionbinaries(" + row + ")").status());
        assertEquals(403, user.api().patch("flowsessionbinaries(" + row + ")", "{\"name\":\"x\"}",
                "If-Match", "*").status());
        assertEquals(204, admin.post("GrantAccess", grant(row, "systemuser", user.id(), "WriteAccess")).status());
        assertEquals(204, user.api().patch("flowsessionbinaries(" + row + ")", "{\"name\":\"x\"}",
                "If-Match", "*").status());
        JsonNode shared = admin.get("RetrieveSharedPrincipalsAndAccess(Target=@t)?@t=" + target(row)).json();
        assertTrue(shared.get("@odata.context").asText()
                .endsWith("$metadata#Microsoft.Dynamics.CRM.RetrieveSharedPrincipalsAndAccessResponse"));
        JsonNode access = shared.get("PrincipalAccesses").get(0);
        assertEquals("ReadAccess, WriteAccess", access.get("AccessMask").asText());
        assertEquals("#Microsoft.Dynamics.CRM.systemuser", access.get("Principal").get("@odata.type").asText());
        assertEquals(user.id(), access.get("Principal").get("ownerid").asText());
        JsonNode rights = admin.get("systemusers(" + user.id() + ")/Microsoft.Dynamics.CRM.RetrievePrincipalAccess("
                + "Target=@t)?@t=" + target(row)).json();
        assertTrue(rights.get("@odata.context").asText()
                .endsWith("$metadata#Microsoft.Dynamics.CRM.RetrievePrincipalAccessResponse"));
        assertEquals("ReadAccess, WriteAccess", rights.get("AccessRights").asText());
        JsonNode adminRights = admin.get("systemusers(" + server.server().organization().adminUserId()
                + ")/Microsoft.Dynamics.CRM.RetrievePrincipalAccess(Target=@t)?@t=" + target(row)).json();
        assertEquals("ReadAccess, WriteAccess, AppendAccess, AppendToAccess, CreateAccess, DeleteAccess, "
                + "ShareAccess, AssignAccess", adminRights.get("AccessRights").asText());
        assertEquals(204, admin.post("ModifyAccess", grant(row, "systemuser", user.id(), "ReadAccess")).status());
        assertEquals(403, user.api().patch("flowsessionbinaries(" + row + ")", "{\"name\":\"y\"}",
                "If-Match", "*").status());
        assertEquals(204, admin.post("RevokeAccess", "{\"Target\":{\"flowsessionbinaryid\":\"" + row + "\","
                + "\"@odata.type\":\"Microsoft.Dynamics.CRM.flowsessionbinary\"},\"Revokee\":{\"systemuserid\":\""
                + user.id() + "\",\"@odata.type\":\"Microsoft.Dynamics.CRM.systemuser\"}}").status());
        assertEquals(403, user.api().get("flowsessionbinaries(" + row + ")").status());
        assertEquals(400, admin.post("GrantAccess", grant(row, "systemuser", stranger.id(), "ReadAccess"))
                .status(), "sharing with the owner");
    }

    @Test
    void sharesToATeamReachItsMembersAndGoWithTheRow() {
        SecurityFixture.User member = org.user("share member", sales);
        org.giveRole("systemusers", member.id(), org.role("share member basic", "Basic", TABLES, "Read"));
        String team = org.team("share team", sales);
        org.join(team, member.id());
        String row = org.binary("team share", session, "systemusers", stranger.id());
        assertEquals(204, admin.post("GrantAccess", grant(row, "team", team, "ReadAccess")).status());
        assertEquals(200, member.api().get("flowsessionbinaries(" + row + ")").status());
        JsonNode teamRights = admin.get("teams(" + team + ")/Microsoft.Dynamics.CRM.RetrievePrincipalAccess("
                + "Target=@t)?@t=" + target(row)).json();
        assertEquals("None", teamRights.get("AccessRights").asText(), "the team holds no role: shares give nothing");
        org.giveRole("teams", team, readerRole);
        JsonNode withRole = admin.get("teams(" + team + ")/Microsoft.Dynamics.CRM.RetrievePrincipalAccess("
                + "Target=@t)?@t=" + target(row)).json();
        assertEquals("ReadAccess", withRole.get("AccessRights").asText());
        Response unprefixed = admin.get("teams(" + team + ")/RetrievePrincipalAccess(Target=@t)?@t=" + target(row));
        assertEquals(400, unprefixed.status());
        JsonNode shared = admin.get("RetrieveSharedPrincipalsAndAccess(Target=@t)?@t=" + target(row)).json();
        assertEquals("#Microsoft.Dynamics.CRM.team", shared.get("PrincipalAccesses").get(0).get("Principal")
                .get("@odata.type").asText());
        assertEquals(team, shared.get("PrincipalAccesses").get(0).get("Principal").get("ownerid").asText());
        assertEquals(1, server.count("SELECT COUNT(*) FROM \"principalobjectaccess\" WHERE \"objectid\" = ?",
                UUID.fromString(row)));
        assertEquals(204, admin.delete("flowsessionbinaries(" + row + ")").status());
        assertEquals(0, server.count("SELECT COUNT(*) FROM \"principalobjectaccess\" WHERE \"objectid\" = ?",
                UUID.fromString(row)));
    }

    @Test
    void nobodyCanShareMoreThanTheyHold() {
        SecurityFixture.User sharer = org.user("sharer", sales);
        org.giveRole("systemusers", sharer.id(), org.role("sharer", "Basic", TABLES, "Read", "Share"));
        String row = org.binary("sharer's", session, "systemusers", sharer.id());
        Response tooMuch = sharer.api().post("GrantAccess", grant(row, "systemuser", colleague.id(),
                "ReadAccess, WriteAccess"));
        assertEquals(403, tooMuch.status(), tooMuch.body());
        assertEquals(204, sharer.api().post("GrantAccess", grant(row, "systemuser", colleague.id(), "ReadAccess"))
                .status());
    }

    @Test
    void aRevokedRightStopsWorkingOnTheNextRequest() {
        SecurityFixture.User user = org.user("revoked", sales);
        String role = org.role("revocable", "Global", TABLES, "Read");
        org.giveRole("systemusers", user.id(), role);
        assertEquals(200, user.api().get("flowsessionbinaries?$top=1").status());
        assertEquals(204, admin.post("roles(" + role + ")/Microsoft.Dynamics.CRM.RemovePrivilegeRole",
                "{\"PrivilegeId\":\"" + admin.get("privileges?$filter=name%20eq%20'prvReadflowsessionbinary'")
                        .json().get("value").get(0).get("privilegeid").asText() + "\"}").status());
        assertEquals(403, user.api().get("flowsessionbinaries?$top=1").status());
        assertEquals(200, user.api().get("flowsessions?$top=1").status());
        assertEquals(204, admin.delete("systemusers(" + user.id() + ")/systemuserroles_association(" + role
                + ")/$ref").status());
        assertEquals(403, user.api().get("flowsessions?$top=1").status());
        assertEquals(204, admin.post("roles(" + role + ")/Microsoft.Dynamics.CRM.ReplacePrivilegesRole",
                "{\"Privileges\":[{\"Depth\":\"Global\",\"PrivilegeName\":\"prvReadflowsession\"}]}").status());
        JsonNode left = admin.get("roles(" + role + ")/Microsoft.Dynamics.CRM.RetrieveRolePrivilegesRole()").json();
        assertEquals(1, left.get("RolePrivileges").size());
        String team = org.team("revocable team", sales);
        org.giveRole("teams", team, role);
        org.join(team, user.id());
        assertEquals(200, user.api().get("flowsessions?$top=1").status());
        assertEquals(204, admin.delete("teams(" + team + ")/teammembership_association(" + user.id() + ")/$ref")
                .status());
        assertEquals(403, user.api().get("flowsessions?$top=1").status());
    }

    private static String sessionGrant(String session, String principalTable, String principal, String mask) {
        return "{\"Target\":{\"flowsessionid\":\"" + session + "\",\"@odata.type\":"
                + "\"Microsoft.Dynamics.CRM.flowsession\"},\"PrincipalAccess\":{\"AccessMask\":\"" + mask
                + "\",\"Principal\":{\"" + principalTable + "id\":\"" + principal + "\",\"@odata.type\":"
                + "\"Microsoft.Dynamics.CRM." + principalTable + "\"}}}";
    }

    private static String sessionRevoke(String session, String user) {
        return "{\"Target\":{\"flowsessionid\":\"" + session + "\",\"@odata.type\":"
                + "\"Microsoft.Dynamics.CRM.flowsession\"},\"Revokee\":{\"systemuserid\":\"" + user
                + "\",\"@odata.type\":\"Microsoft.Dynamics.CRM.systemuser\"}}";
    }

    /** The explicit and inherited masks of a principal's share of a row, or -1 each when it has none. */
    private int[] masks(String row, String principal) {
        long count = server.count("SELECT COUNT(*) FROM \"principalobjectaccess\" WHERE \"objectid\" = ? AND"
                + " \"principalid\" = ?", UUID.fromString(row), UUID.fromString(principal));
        if (count == 0) {
            return new int[] {-1, -1};
        }
        int explicit = (int) server.count("SELECT MAX(\"accessrightsmask\") FROM \"principalobjectaccess\" WHERE"
                + " \"objectid\" = ? AND \"principalid\" = ?", UUID.fromString(row), UUID.fromString(principal));
        int inherited = (int) server.count("SELECT MAX(\"inheritedaccessrightsmask\") FROM \"principalobjectaccess\""
                + " WHERE \"objectid\" = ? AND \"principalid\" = ?", UUID.fromString(row),
                UUID.fromString(principal));
        return new int[] {explicit, inherited};
    }

    private SecurityFixture.User basicUser(String name) {
        SecurityFixture.User user = org.user(name, sales);
        org.giveRole("systemusers", user.id(), org.role(name + " basic", "Basic", TABLES, "Read", "Write"));
        return user;
    }

    /**
     * Share = Cascade on flowsession_flowsessionbinary_FlowSessionId: sharing a session gives each of its binaries
     * the same rights as inherited access (inheritedaccessrightsmask), not as an explicit share; ModifyAccess on the
     * session makes the inherited rights follow.
     */
    @Test
    void sharingAFlowSessionGivesItsBinariesInheritedAccess() {
        SecurityFixture.User user = basicUser("inheritor");
        String parent = org.session("inherited session", "systemusers", stranger.id());
        String first = org.binary("inherited 1", parent, "systemusers", stranger.id());
        String second = org.binary("inherited 2", parent, "systemusers", stranger.id());
        String elsewhere = org.binary("not inherited", session, "systemusers", stranger.id());
        assertEquals(403, user.api().get("flowsessionbinaries(" + first + ")").status());
        Response granted = admin.post("GrantAccess", sessionGrant(parent, "systemuser", user.id(), "ReadAccess"));
        assertEquals(204, granted.status(), granted.body());
        for (String child : List.of(first, second)) {
            assertEquals(200, user.api().get("flowsessionbinaries(" + child + ")").status());
            assertEquals(403, user.api().patch("flowsessionbinaries(" + child + ")", "{\"name\":\"x\"}",
                    "If-Match", "*").status(), "only Read was shared");
            assertEquals(0, masks(child, user.id())[0], "no explicit rights");
            assertEquals(1, masks(child, user.id())[1], "ReadAccess inherited");
        }
        assertEquals(403, user.api().get("flowsessionbinaries(" + elsewhere + ")").status());
        assertEquals(0, admin.get("RetrieveSharedPrincipalsAndAccess(Target=@t)?@t=" + target(first)).json()
                .get("PrincipalAccesses").size(), "inherited access is not an explicit share");
        assertEquals(204, admin.post("ModifyAccess", sessionGrant(parent, "systemuser", user.id(),
                "ReadAccess, WriteAccess")).status());
        assertEquals(3, masks(second, user.id())[1]);
        assertEquals(204, user.api().patch("flowsessionbinaries(" + second + ")", "{\"name\":\"y\"}",
                "If-Match", "*").status());
    }

    /**
     * Unshare = Cascade: revoking the session's share removes the access its binaries inherited from it ("removing
     * the share of a parent removes the inherited sharing properties"); a binary's own explicit share stays.
     */
    @Test
    void revokingTheParentsShareRemovesTheInheritedAccessButKeepsExplicitShares() {
        SecurityFixture.User user = basicUser("unshared");
        String parent = org.session("unshared session", "systemusers", stranger.id());
        String explicit = org.binary("explicitly shared", parent, "systemusers", stranger.id());
        String inheritedOnly = org.binary("inherited only", parent, "systemusers", stranger.id());
        assertEquals(204, admin.post("GrantAccess", grant(explicit, "systemuser", user.id(), "ReadAccess"))
                .status());
        assertEquals(204, admin.post("GrantAccess", sessionGrant(parent, "systemuser", user.id(),
                "ReadAccess, WriteAccess")).status());
        assertEquals(1, masks(explicit, user.id())[0]);
        assertEquals(3, masks(explicit, user.id())[1]);
        assertEquals(204, user.api().patch("flowsessionbinaries(" + explicit + ")", "{\"name\":\"w\"}",
                "If-Match", "*").status());
        Response revoked = admin.post("RevokeAccess", sessionRevoke(parent, user.id()));
        assertEquals(204, revoked.status(), revoked.body());
        assertEquals(200, user.api().get("flowsessionbinaries(" + explicit + ")").status());
        assertEquals(403, user.api().patch("flowsessionbinaries(" + explicit + ")", "{\"name\":\"v\"}",
                "If-Match", "*").status(), "the inherited Write is gone");
        assertEquals(1, masks(explicit, user.id())[0]);
        assertEquals(0, masks(explicit, user.id())[1]);
        assertEquals(403, user.api().get("flowsessionbinaries(" + inheritedOnly + ")").status());
        assertEquals(-1, masks(inheritedOnly, user.id())[0], "a share left without rights is removed");
        assertEquals(-1, masks(parent, user.id())[0]);
    }

    /**
     * Reparent = Cascade: a binary moved to another session (PATCH of its lookup, or Associate through the
     * relationship) loses what it inherited from the old session and inherits the new one's shares.
     */
    @Test
    void movingABinaryToAnotherSessionRecomputesItsInheritedAccess() {
        SecurityFixture.User first = basicUser("first sharee");
        SecurityFixture.User second = basicUser("second sharee");
        String from = org.session("old parent", "systemusers", stranger.id());
        String to = org.session("new parent", "systemusers", stranger.id());
        assertEquals(204, admin.post("GrantAccess", sessionGrant(from, "systemuser", first.id(), "ReadAccess"))
                .status());
        assertEquals(204, admin.post("GrantAccess", sessionGrant(to, "systemuser", second.id(), "ReadAccess"))
                .status());
        String moved = org.binary("moved", from, "systemusers", stranger.id());
        assertEquals(200, first.api().get("flowsessionbinaries(" + moved + ")").status(),
                "a binary created under a shared session inherits its shares");
        assertEquals(403, second.api().get("flowsessionbinaries(" + moved + ")").status());
        Response patched = admin.patch("flowsessionbinaries(" + moved + ")", "{\"flowsessionid@odata.bind\":"
                + "\"flowsessions(" + to + ")\"}", "If-Match", "*");
        assertEquals(204, patched.status(), patched.body());
        assertEquals(403, first.api().get("flowsessionbinaries(" + moved + ")").status());
        assertEquals(200, second.api().get("flowsessionbinaries(" + moved + ")").status());
        assertEquals(-1, masks(moved, first.id())[0]);
        assertEquals(1, masks(moved, second.id())[1]);
        Response associated = admin.post("flowsessions(" + from + ")/flowsession_flowsessionbinary_flowsessionid/$ref",
                "{\"@odata.id\":\"" + server.serviceRoot() + "flowsessionbinaries(" + moved + ")\"}");
        assertEquals(204, associated.status(), associated.body());
        assertEquals(200, first.api().get("flowsessionbinaries(" + moved + ")").status());
        assertEquals(403, second.api().get("flowsessionbinaries(" + moved + ")").status());
    }

    /**
     * Inherited rights count wherever shares count: the SQL filter of RetrieveMultiple (also through a team the
     * user belongs to) and RetrievePrincipalAccess; RetrieveSharedPrincipalsAndAccess lists explicit shares only.
     */
    @Test
    void inheritedAccessCountsInRetrieveMultipleAndRetrievePrincipalAccess() {
        SecurityFixture.User user = basicUser("lister");
        SecurityFixture.User member = basicUser("team lister");
        String team = org.team("inheriting team", sales);
        org.join(team, member.id());
        String parent = org.session("listed session", "systemusers", stranger.id());
        List<String> children = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            children.add(org.binary("listed " + i, parent, "systemusers", stranger.id()));
        }
        String query = "flowsessionbinaries?$select=name&$count=true&$filter=_flowsessionid_value%20eq%20" + parent;
        assertEquals(0, user.api().get(query).json().get("@odata.count").asInt());
        assertEquals(204, admin.post("GrantAccess", sessionGrant(parent, "systemuser", user.id(),
                "ReadAccess, WriteAccess")).status());
        assertEquals(204, admin.post("GrantAccess", sessionGrant(parent, "team", team, "ReadAccess")).status());
        JsonNode listed = user.api().get(query).json();
        assertEquals(3, listed.get("@odata.count").asInt());
        assertEquals(3, listed.get("value").size());
        assertEquals(3, member.api().get(query).json().get("value").size(), "a team's inherited share");
        JsonNode rights = admin.get("systemusers(" + user.id() + ")/Microsoft.Dynamics.CRM.RetrievePrincipalAccess("
                + "Target=@t)?@t=" + target(children.get(0))).json();
        assertEquals("ReadAccess, WriteAccess", rights.get("AccessRights").asText());
        assertEquals(0, admin.get("RetrieveSharedPrincipalsAndAccess(Target=@t)?@t=" + target(children.get(0)))
                .json().get("PrincipalAccesses").size());
        assertEquals(204, admin.post("RevokeAccess", sessionRevoke(parent, user.id())).status());
        assertEquals(0, user.api().get(query).json().get("value").size(), "the next query sees the revocation");
        assertEquals("None", admin.get("systemusers(" + user.id() + ")/Microsoft.Dynamics.CRM."
                + "RetrievePrincipalAccess(Target=@t)?@t=" + target(children.get(0))).json().get("AccessRights")
                .asText());
    }

    /** A share and its cascade are one transaction: a failing synchronous step leaves no share, inherited or not. */
    @Test
    void failedShareLeavesNoInheritedRights() {
        SecurityFixture.User user = basicUser("refused");
        String parent = org.session("refused session", "systemusers", stranger.id());
        String child = org.binary("refused child", parent, "systemusers", stranger.id());
        EventsFixture events = new EventsFixture(admin);
        String step = admin.create("sdkmessageprocessingsteps", "{\"name\":\"flowsession: GrantAccess stage 40\","
                + "\"stage\":40,\"mode\":0,\"rank\":1,\"supporteddeployment\":0,\"sdkmessageid@odata.bind\":"
                + "\"/sdkmessages(" + events.messageId("GrantAccess") + ")\",\"sdkmessagefilterid@odata.bind\":"
                + "\"/sdkmessagefilters(" + events.filterId("GrantAccess", "flowsession") + ")\","
                + events.pluginHandler() + ",\"configuration\":\"veto:Sessions are not shared.\"}");
        try {
            Response refused = admin.post("GrantAccess", sessionGrant(parent, "systemuser", user.id(),
                    "ReadAccess"));
            assertEquals(400, refused.status(), refused.body());
            assertEquals("Sessions are not shared.", refused.errorMessage());
        } finally {
            assertEquals(204, admin.delete("sdkmessageprocessingsteps(" + step + ")").status());
        }
        assertEquals(-1, masks(parent, user.id())[0]);
        assertEquals(-1, masks(child, user.id())[0]);
        assertEquals(403, user.api().get("flowsessionbinaries(" + child + ")").status());
        assertEquals(0, user.api().get("flowsessionbinaries?$filter=_flowsessionid_value%20eq%20" + parent).json()
                .get("value").size());
        // the same share without the failing step reaches the binary: what was rolled back was the cascade too
        assertEquals(204, admin.post("GrantAccess", sessionGrant(parent, "systemuser", user.id(), "ReadAccess"))
                .status());
        assertEquals(1, masks(child, user.id())[1]);
        assertEquals(200, user.api().get("flowsessionbinaries(" + child + ")").status());
    }

    /** Delete = Cascade: the shares of the binaries a session's deletion removes go with them. */
    @Test
    void deletingASessionRemovesTheSharesOfItsBinaries() {
        SecurityFixture.User user = basicUser("orphaned");
        String parent = org.session("deleted session", "systemusers", stranger.id());
        String child = org.binary("deleted child", parent, "systemusers", stranger.id());
        assertEquals(204, admin.post("GrantAccess", grant(child, "systemuser", colleague.id(), "ReadAccess"))
                .status());
        assertEquals(204, admin.post("GrantAccess", sessionGrant(parent, "systemuser", user.id(), "ReadAccess"))
                .status());
        assertEquals(204, admin.delete("flowsessions(" + parent + ")").status());
        assertEquals(0, server.count("SELECT COUNT(*) FROM \"principalobjectaccess\" WHERE \"objectid\" IN (?, ?)",
                UUID.fromString(parent), UUID.fromString(child)));
    }

    @Test
    void impersonationNeedsActOnBehalfAndRecordsTheRealCaller() {
        SecurityFixture.User target = org.user("impersonated", sales);
        org.giveRole("systemusers", target.id(), org.role("impersonated", "Global", TABLES, "Create", "Read",
                "Append", "AppendTo"));
        String admins = server.server().organization().adminUserId().toString();
        Response created = admin.post("flowsessionbinaries", "{\"name\":\"on behalf\",\"flowsessionid@odata.bind\":"
                + "\"flowsessions(" + session + ")\"}", "CallerObjectId", target.objectId().toString());
        assertEquals(204, created.status(), created.body());
        String id = created.header("OData-EntityId").orElseThrow().replaceAll(".*\\(([0-9a-f-]{36})\\)$", "$1");
        JsonNode row = admin.get("flowsessionbinaries(" + id + ")").json();
        assertEquals(target.id(), row.get("_createdby_value").asText());
        assertEquals(target.id(), row.get("_owninguser_value").asText());
        assertEquals(admins, row.get("_createdonbehalfby_value").asText());
        JsonNode who = admin.get("WhoAmI", "MSCRMCallerID", target.id()).json();
        assertEquals(target.id(), who.get("UserId").asText());
        Response denied = target.api().get("WhoAmI", "CallerObjectId", server.server().adminObjectId().toString());
        assertEquals(403, denied.status());
        assertEquals("0x8004A110", denied.errorCode());
        Response deleteAsTarget = admin.delete("flowsessionbinaries(" + id + ")", "CallerObjectId",
                target.objectId().toString());
        assertEquals(403, deleteAsTarget.status(), "the impersonated user's privileges apply");
        assertFalse(deleteAsTarget.errorMessage().isEmpty());
    }

    /** A user who may create, read, write and append binaries and sessions in every unit. */
    private SecurityFixture.User writer(String name) {
        SecurityFixture.User user = org.user(name, sales);
        org.giveRole("systemusers", user.id(), org.role(name + " writer", "Global", TABLES, "Create", "Read", "Write",
                "Append", "AppendTo"));
        return user;
    }

    private static String binaryIn(String session, String name) {
        return "{\"name\":\"" + name + "\",\"flowsessionid@odata.bind\":\"flowsessions(" + session + ")\"}";
    }

    /** Sends a batch of the given parts and change sets; {@code headers} are the outer request's. */
    private static Response batch(WebApiClient client, List<String> parts, String... headers) {
        List<String> all = new ArrayList<>(List.of("Content-Type", "multipart/mixed; boundary=\"batch_IMP\""));
        all.addAll(List.of(headers));
        return client.post("$batch", BatchContract.batch("batch_IMP", parts, "\r\n"), all.toArray(String[]::new));
    }

    /** The one binary with this name, with who created and last modified it and on whose behalf. */
    private JsonNode binaryNamed(String name) {
        JsonNode rows = admin.get("flowsessionbinaries?$filter=name%20eq%20'" + name + "'").json()
                .get("value");
        assertEquals(1, rows.size(), name);
        return rows.get(0);
    }

    private long binariesNamed(String name) {
        return server.count("SELECT COUNT(*) FROM \"flowsessionbinary\" WHERE \"name\" = ?", name);
    }

    private String adminId() {
        return server.server().organization().adminUserId().toString();
    }

    /** The {@code CallerObjectId} header of the batch request applies to each of its requests, change sets included. */
    @Test
    void outerImpersonationHeaderAppliesToEveryPart() {
        SecurityFixture.User target = writer("outer impersonated");
        String tag = UUID.randomUUID().toString();
        Response response = batch(admin, List.of(
                BatchContract.request("POST", "flowsessionbinaries", binaryIn(session, "outer-single-" + tag)),
                BatchContract.changeSet("changeset_O1", List.of(BatchContract.request("POST", "flowsessionbinaries",
                        binaryIn(session, "outer-changeset-" + tag), "Content-ID", "1"))),
                BatchContract.request("GET", "WhoAmI", "")), "CallerObjectId", target.objectId().toString());
        assertEquals(200, response.status(), response.body());
        List<Response> parts = BatchParts.of(response.body());
        assertEquals(List.of(204, 204, 200), parts.stream().map(Response::status).toList(), response.body());
        assertEquals(target.id(), parts.get(2).json().get("UserId").asText());
        for (String name : List.of("outer-single-" + tag, "outer-changeset-" + tag)) {
            JsonNode row = binaryNamed(name);
            assertEquals(target.id(), row.get("_createdby_value").asText(), name);
            assertEquals(target.id(), row.get("_owninguser_value").asText(), name);
            assertEquals(adminId(), row.get("_createdonbehalfby_value").asText(), name);
        }
    }

    /**
     * A part's own {@code MSCRMCallerID} or {@code CallerObjectId} impersonates that user for that request alone, inside
     * and outside change sets, and the rows record the user and the real caller as for a request alone.
     */
    @Test
    void batchPartImpersonatesTheUserItsHeaderNames() {
        SecurityFixture.User target = writer("part impersonated");
        String tag = UUID.randomUUID().toString();
        String mine = org.binary("part-mine-" + tag, session, "systemusers", adminId());
        Response response = batch(admin, List.of(
                BatchContract.request("POST", "flowsessionbinaries", binaryIn(session, "part-by-id-" + tag),
                        "MSCRMCallerID", target.id()),
                BatchContract.request("POST", "flowsessionbinaries", binaryIn(session, "part-as-admin-" + tag)),
                BatchContract.changeSet("changeset_P1", List.of(
                        BatchContract.request("POST", "flowsessionbinaries",
                                binaryIn(session, "part-by-object-id-" + tag), "Content-ID", "1", "CallerObjectId",
                                target.objectId().toString()),
                        BatchContract.request("PATCH", "$1", "{\"mimetype\":\"text/plain\"}", "Content-ID", "2",
                                "MSCRMCallerID", target.id()))),
                BatchContract.request("PATCH", "flowsessionbinaries(" + mine + ")", "{\"mimetype\":\"text/csv\"}",
                        "MSCRMCallerID", target.id(), "If-Match", "*"),
                BatchContract.request("GET", "WhoAmI", "", "CallerObjectId", target.objectId().toString()),
                BatchContract.request("GET", "WhoAmI", "")));
        assertEquals(200, response.status(), response.body());
        List<Response> parts = BatchParts.of(response.body());
        assertEquals(List.of(204, 204, 204, 204, 204, 200, 200), parts.stream().map(Response::status).toList(),
                response.body());
        assertEquals(target.id(), parts.get(5).json().get("UserId").asText());
        assertEquals(adminId(), parts.get(6).json().get("UserId").asText());
        for (String name : List.of("part-by-id-" + tag, "part-by-object-id-" + tag)) {
            JsonNode row = binaryNamed(name);
            assertEquals(target.id(), row.get("_createdby_value").asText(), name);
            assertEquals(adminId(), row.get("_createdonbehalfby_value").asText(), name);
        }
        JsonNode asAdmin = binaryNamed("part-as-admin-" + tag);
        assertEquals(adminId(), asAdmin.get("_createdby_value").asText());
        assertTrue(asAdmin.get("_createdonbehalfby_value").isNull(), asAdmin.toString());
        JsonNode patched = binaryNamed("part-by-object-id-" + tag);
        assertEquals("text/plain", patched.get("mimetype").asText());
        assertEquals(target.id(), patched.get("_modifiedby_value").asText());
        assertEquals(adminId(), patched.get("_modifiedonbehalfby_value").asText());
        JsonNode modified = binaryNamed("part-mine-" + tag);
        assertEquals("text/csv", modified.get("mimetype").asText());
        assertEquals(target.id(), modified.get("_modifiedby_value").asText());
        assertEquals(adminId(), modified.get("_modifiedonbehalfby_value").asText());
    }

    /** A part naming a user replaces the batch's impersonation for that request; the others keep the batch's. */
    @Test
    void batchPartImpersonationOverridesTheOuterHeader() {
        SecurityFixture.User outer = writer("outer of override");
        SecurityFixture.User inner = writer("inner of override");
        String tag = UUID.randomUUID().toString();
        Response response = batch(admin, List.of(
                BatchContract.request("GET", "WhoAmI", ""),
                BatchContract.request("GET", "WhoAmI", "", "MSCRMCallerID", inner.id()),
                BatchContract.request("GET", "WhoAmI", "", "CallerObjectId",
                        server.server().adminObjectId().toString()),
                BatchContract.request("POST", "flowsessionbinaries", binaryIn(session, "override-" + tag),
                        "MSCRMCallerID", inner.id())), "CallerObjectId", outer.objectId().toString());
        assertEquals(200, response.status(), response.body());
        List<Response> parts = BatchParts.of(response.body());
        assertEquals(List.of(200, 200, 200, 204), parts.stream().map(Response::status).toList(), response.body());
        assertEquals(outer.id(), parts.get(0).json().get("UserId").asText());
        assertEquals(inner.id(), parts.get(1).json().get("UserId").asText());
        assertEquals(adminId(), parts.get(2).json().get("UserId").asText(), "naming the real caller ends it");
        JsonNode row = binaryNamed("override-" + tag);
        assertEquals(inner.id(), row.get("_createdby_value").asText());
        assertEquals(adminId(), row.get("_createdonbehalfby_value").asText(), "the real caller, not the outer user");
    }

    /** Without prvActOnBehalfOfAnotherUser a part that impersonates answers 0x8004A110; the others run. */
    @Test
    void batchPartImpersonationWithoutThePrivilegeFailsThatPartOnly() {
        SecurityFixture.User user = writer("batch without act on behalf");
        String tag = UUID.randomUUID().toString();
        List<String> requests = List.of(
                BatchContract.request("GET", "WhoAmI", "", "MSCRMCallerID", adminId()),
                BatchContract.request("POST", "flowsessionbinaries", binaryIn(session, "unprivileged-" + tag)),
                BatchContract.request("GET", "WhoAmI", ""));
        Response continued = batch(user.api(), requests, "Prefer", "odata.continue-on-error");
        assertEquals(200, continued.status(), continued.body());
        List<Response> parts = BatchParts.of(continued.body());
        assertEquals(List.of(403, 204, 200), parts.stream().map(Response::status).toList(), continued.body());
        assertEquals("0x8004A110", parts.get(0).errorCode());
        assertEquals(user.id(), parts.get(2).json().get("UserId").asText());
        assertEquals(user.id(), binaryNamed("unprivileged-" + tag).get("_createdby_value").asText());

        Response stopped = batch(user.api(), requests.subList(0, 1));
        assertEquals(403, stopped.status(), "without continue-on-error the batch answers with the failing part");
        assertEquals("0x8004A110", BatchParts.of(stopped.body()).get(0).errorCode());
    }

    /** A change set's part impersonating without the privilege fails the change set, which rolls back. */
    @Test
    void changeSetPartImpersonationWithoutThePrivilegeRollsBackTheChangeSet() {
        SecurityFixture.User user = writer("change set without act on behalf");
        String tag = UUID.randomUUID().toString();
        Response response = batch(user.api(), List.of(
                BatchContract.request("POST", "flowsessionbinaries", binaryIn(session, "before-" + tag)),
                BatchContract.changeSet("changeset_R1", List.of(
                        BatchContract.request("POST", "flowsessionbinaries", binaryIn(session, "undone-" + tag),
                                "Content-ID", "1"),
                        BatchContract.request("POST", "flowsessionbinaries", binaryIn(session, "refused-" + tag),
                                "Content-ID", "2", "CallerObjectId", server.server().adminObjectId().toString())))));
        assertEquals(403, response.status(), response.body());
        List<Response> parts = BatchParts.of(response.body());
        assertEquals(List.of(204, 403), parts.stream().map(Response::status).toList(), response.body());
        assertEquals("0x8004A110", parts.get(1).errorCode());
        assertEquals(1, binariesNamed("before-" + tag), "a request outside the change set is not undone");
        assertEquals(0, binariesNamed("undone-" + tag), "the change set's first request is rolled back");
        assertEquals(0, binariesNamed("refused-" + tag));
    }

    /** A malformed id, an unknown user or a disabled one named in a part answers as it does for a request alone. */
    @Test
    void batchPartImpersonatingAnUnknownOrDisabledUserOrAMalformedIdAnswersAsARequestAlone() {
        SecurityFixture.User disabled = writer("disabled impersonated");
        assertEquals(204, admin.patch("systemusers(" + disabled.id() + ")", "{\"isdisabled\":true}").status());
        List<List<String>> headers = List.of(
                List.of("MSCRMCallerID", "not-a-guid"),
                List.of("CallerObjectId", "not-a-guid"),
                List.of("MSCRMCallerID", UUID.randomUUID().toString()),
                List.of("CallerObjectId", UUID.randomUUID().toString()),
                List.of("MSCRMCallerID", disabled.id()),
                List.of("CallerObjectId", disabled.objectId().toString()));
        List<String> requests = new ArrayList<>();
        for (List<String> header : headers) {
            requests.add(BatchContract.request("GET", "WhoAmI", "", header.get(0), header.get(1)));
        }
        Response response = batch(admin, requests, "Prefer", "odata.continue-on-error");
        assertEquals(200, response.status(), response.body());
        List<Response> parts = BatchParts.of(response.body());
        assertEquals(headers.size(), parts.size(), response.body());
        for (int i = 0; i < headers.size(); i++) {
            Response alone = admin.get("WhoAmI", headers.get(i).get(0), headers.get(i).get(1));
            assertTrue(alone.status() == 400 || alone.status() == 403, alone.body());
            assertEquals(alone.status(), parts.get(i).status(), headers.get(i).toString());
            assertEquals(alone.errorCode(), parts.get(i).errorCode(), headers.get(i).toString());
        }
    }

    /**
     * Access checks of an impersonating part use the rights of the user impersonated and of the real caller, as for
     * a request alone: the user impersonated may not delete, nor may a real caller who holds only the right to
     * impersonate.
     */
    @Test
    void batchPartImpersonationChecksTheRightsOfBothUsers() {
        SecurityFixture.User target = writer("impersonated without delete");
        SecurityFixture.User impersonator = writer("impersonator without delete");
        String role = admin.create("roles", "{\"name\":\"act on behalf\",\"businessunitid@odata.bind\":"
                + "\"businessunits(" + org.rootUnit + ")\"}");
        assertEquals(204, admin.post("roles(" + role + ")/Microsoft.Dynamics.CRM.AddPrivilegesRole",
                "{\"Privileges\":[{\"Depth\":\"Global\",\"PrivilegeName\":\"prvActOnBehalfOfAnotherUser\"}]}")
                .status());
        org.giveRole("systemusers", impersonator.id(), role);
        String tag = UUID.randomUUID().toString();
        String first = org.binary("kept-first-" + tag, session, "systemusers", adminId());
        String second = org.binary("kept-second-" + tag, session, "systemusers", adminId());
        Response asTarget = batch(admin, List.of(BatchContract.request("DELETE", "flowsessionbinaries(" + first + ")",
                "", "MSCRMCallerID", target.id())));
        assertEquals(403, asTarget.status(), asTarget.body());
        assertEquals(PRIVILEGE_DENIED, BatchParts.of(asTarget.body()).get(0).errorCode());
        Response alone = impersonator.api().delete("flowsessionbinaries(" + second + ")", "MSCRMCallerID",
                adminId());
        Response asAdmin = batch(impersonator.api(), List.of(BatchContract.request("DELETE",
                "flowsessionbinaries(" + second + ")", "", "MSCRMCallerID", adminId())));
        assertEquals(403, alone.status(), alone.body());
        assertEquals(alone.status(), asAdmin.status(), asAdmin.body());
        assertEquals(alone.errorCode(), BatchParts.of(asAdmin.body()).get(0).errorCode());
        assertEquals(1, binariesNamed("kept-first-" + tag));
        assertEquals(1, binariesNamed("kept-second-" + tag));
    }
}
