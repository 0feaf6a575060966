package io.flowbin.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flowbin.testing.TestServer;
import io.flowbin.testing.WebApiClient;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Builds an organization through the Web API as an administrator would: business units, users with their object
 * ids, owner teams, roles with privileges at a depth, and rows owned by a given principal.
 */
final class SecurityFixture {
    final TestServer server;
    final WebApiClient admin;
    final String rootUnit;

    SecurityFixture(TestServer server) {
        this.server = server;
        this.admin = server.client();
        this.rootUnit = server.server().organization().rootBusinessUnitId().toString();
    }

    /** A user of the organization and the client that calls as that user. */
    record User(String id, UUID objectId, WebApiClient api) {}

    String unit(String name, String parent) {
        return admin.create("businessunits", "{\"name\":\"" + name + "\",\"parentbusinessunitid@odata.bind\":"
                + "\"businessunits(" + parent + ")\"}");
    }

    User user(String name, String unit) {
        UUID objectId = UUID.randomUUID();
        String id = admin.create("systemusers", "{\"firstname\":\"" + name + "\",\"lastname\":\"Tester\","
                + "\"domainname\":\"" + name + objectId + "@flowbin.local\",\"internalemailaddress\":\"" + name
                + "@flowbin.local\",\"azureactivedirectoryobjectid\":\"" + objectId + "\","
                + "\"accessmode\":0,\"caltype\":0,\"incomingemaildeliverymethod\":0,\"outgoingemaildeliverymethod\":0,"
                + "\"userlicensetype\":0,\"businessunitid@odata.bind\":\"businessunits(" + unit + ")\"}");
        return new User(id, objectId, admin.withToken(server.tokenFor(objectId)));
    }

    String team(String name, String unit) {
        return admin.create("teams", "{\"name\":\"" + name + "\",\"teamtype\":0,\"businessunitid@odata.bind\":"
                + "\"businessunits(" + unit + ")\",\"administratorid@odata.bind\":\"systemusers("
                + server.server().organization().adminUserId() + ")\"}");
    }

    /** A role holding the privileges (names without the table, e.g. "Read") on the tables, at one depth. */
    String role(String name, String depth, List<String> tables, String... rights) {
        String role = admin.create("roles", "{\"name\":\"" + name + "\",\"businessunitid@odata.bind\":"
                + "\"businessunits(" + rootUnit + ")\"}");
        List<String> privileges = new ArrayList<>();
        for (String table : tables) {
            for (String right : rights) {
                privileges.add("{\"Depth\":\"" + depth + "\",\"PrivilegeName\":\"prv" + right + table + "\"}");
            }
        }
        assertEquals(204, admin.post("roles(" + role + ")/Microsoft.Dynamics.CRM.AddPrivilegesRole",
                "{\"Privileges\":[" + String.join(",", privileges) + "]}").status());
        return role;
    }

    void giveRole(String userOrTeamSet, String principal, String role) {
        String navigation = userOrTeamSet.equals("teams") ? "teamroles_association" : "systemuserroles_association";
        WebApiClient.Response response = admin.post(userOrTeamSet + "(" + principal + ")/" + navigation + "/$ref",
                "{\"@odata.id\":\"" + server.serviceRoot() + "roles(" + role + ")\"}");
        assertEquals(204, response.status(), response.body());
    }

    void join(String team, String user) {
        WebApiClient.Response response = admin.post("teams(" + team + ")/teammembership_association/$ref",
                "{\"@odata.id\":\"" + server.serviceRoot() + "systemusers(" + user + ")\"}");
        assertEquals(204, response.status(), response.body());
    }

    String session(String name, String ownerSet, String owner) {
        return admin.create("flowsessions", "{\"name\":\"" + name + "\",\"ownerid@odata.bind\":\"/" + ownerSet + "("
                + owner + ")\"}");
    }

    String binary(String name, String session, String ownerSet, String owner) {
        return admin.create("flowsessionbinaries", "{\"name\":\"" + name + "\",\"flowsessionid@odata.bind\":"
                + "\"flowsessions(" + session + ")\",\"ownerid@odata.bind\":\"/" + ownerSet + "(" + owner + ")\"}");
    }
}
