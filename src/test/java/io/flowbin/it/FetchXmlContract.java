package io.flowbin.it;

import static io.flowbin.it.QueryFixture.names;
import static io.flowbin.it.QueryFixture.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowbin.testing.DatabaseKind;
import io.flowbin.testing.WebApiClient;
import io.flowbin.testing.WebApiClient.Response;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * FetchXML through the {@code fetchXml} query parameter: attributes, nested filters with Dataverse's condition
 * operators, order, link-entities, paging with the paging cookie, distinct and aggregates; hostile XML is refused.
 * Runs once per database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FetchXmlContract {
    static final String SET = "flowsessionbinaries";
    static final String ALL_ANNOTATIONS = "odata.include-annotations=\"*\"";
    private static final Pattern CLIENT_COOKIE = Pattern.compile("pagingcookie=\"(<cookie page=\"(\\d+)\".+</cookie>)");

    QueryFixture fixture;
    WebApiClient api;

    abstract DatabaseKind kind();

    @BeforeAll
    void seed(@TempDir Path tempDir) {
        fixture = new QueryFixture(kind(), tempDir);
        api = fixture.api;
    }

    @AfterEach
    void noLeakedConnections() {
        fixture.server.assertNoLeakedConnections();
    }

    @AfterAll
    void stop() {
        fixture.close();
    }

    Response fetch(String xml, String... headers) {
        return api.get(SET + query("fetchXml", xml), headers);
    }

    List<String> fetchedNames(String entityBody) {
        return names(fetch("<fetch><entity name='flowsessionbinary'><attribute name='name'/>" + entityBody
                + "</entity></fetch>"));
    }

    Response bad(String xml) {
        Response response = fetch(xml);
        assertEquals(400, response.status(), response.body());
        assertTrue(response.errorCode().startsWith("0x"), response.body());
        return response;
    }

    @Test
    void attributesOrderAndNestedFilters() {
        Response response = fetch("<fetch><entity name='flowsessionbinary'><attribute name='name'/>"
                + "<attribute name='metadata'/><order attribute='importsequencenumber' descending='true'/>"
                + "<filter type='and'><condition attribute='statecode' operator='eq' value='0'/>"
                + "<filter type='or'><condition attribute='type' operator='eq' value='input'/>"
                + "<condition attribute='importsequencenumber' operator='ge' value='25'/></filter></filter>"
                + "</entity></fetch>");
        assertEquals(List.of("Zeta", "under_score", "50% off", "Alpha"), names(response));
        JsonNode under = response.json().get("value").get(1);
        assertFalse(under.has("metadata"), "empty columns are left out");
        assertTrue(under.has("flowsessionbinaryid"));
        assertTrue(under.get("@odata.etag").asText().startsWith("W/"));
        assertEquals("fourth", response.json().get("value").get(0).get("metadata").asText());
    }

    @Test
    void conditionOperators() {
        String order = "<order attribute='name'/>";
        assertEquals(List.of("Alpha", "alphabet"), fetchedNames(order
                + "<filter><condition attribute='name' operator='begins-with' value='alp'/></filter>"));
        assertEquals(List.of("50% off", "Beta", "Delta", "gamma ray", "under_score", "Zeta"), fetchedNames(order
                + "<filter><condition attribute='name' operator='not-begin-with' value='alp'/></filter>"));
        assertEquals(List.of("Beta", "Delta", "Zeta"), fetchedNames(order
                + "<filter><condition attribute='name' operator='ends-with' value='ta'/></filter>"));
        assertEquals(List.of("alphabet", "Beta"), fetchedNames(order
                + "<filter><condition attribute='name' operator='like' value='%b%t%'/></filter>"));
        assertEquals(List.of("Alpha", "Delta"), fetchedNames(order
                + "<filter><condition attribute='name' operator='in'><value>ALPHA</value><value>delta</value>"
                + "</condition></filter>"));
        assertEquals(List.of("alphabet", "Beta", "gamma ray"), fetchedNames(order
                + "<filter><condition attribute='importsequencenumber' operator='between'><value>10</value>"
                + "<value>20</value></condition></filter>"));
        assertEquals(List.of("Delta"), fetchedNames(order
                + "<filter><condition attribute='importsequencenumber' operator='null'/></filter>"));
        assertEquals(List.of("alphabet", "gamma ray", "under_score"), fetchedNames(order
                + "<filter><condition attribute='metadata' operator='null'/></filter>"));
        assertEquals(List.of("Alpha", "Zeta"), fetchedNames(order
                + "<filter><condition attribute='createdon' operator='today'/></filter>"));
        assertEquals(List.of("Alpha", "alphabet", "under_score", "Zeta"), fetchedNames(order
                + "<filter><condition attribute='createdon' operator='last-x-days' value='2'/></filter>"));
        assertEquals(List.of("50% off", "Delta", "gamma ray"), fetchedNames(order
                + "<filter><condition attribute='createdon' operator='olderthan-x-days' value='5'/></filter>"));
        assertEquals(8, fetchedNames("<filter><condition attribute='ownerid' operator='eq-userid'/></filter>")
                .size());
        assertEquals(0, fetchedNames("<filter><condition attribute='owningbusinessunit' operator='ne-businessid'/>"
                + "</filter>").size());
    }

    @Test
    void linkEntitiesInnerAndOuterWithAliases() {
        Response inner = fetch("<fetch><entity name='flowsessionbinary'><attribute name='name'/>"
                + "<order attribute='name'/><link-entity name='flowsession' from='flowsessionid' to='flowsessionid'"
                + " alias='fs' link-type='inner'><attribute name='name'/><filter><condition attribute='name'"
                + " operator='eq' value='run two'/></filter></link-entity></entity></fetch>");
        assertEquals(List.of("50% off", "Delta", "under_score", "Zeta"), names(inner));
        assertEquals("run two", inner.json().get("value").get(0).get("fs.name").asText());
        Response outer = fetch("<fetch><entity name='flowsessionbinary'><attribute name='name'/>"
                + "<order attribute='name'/><link-entity name='systemuser' from='systemuserid'"
                + " to='createdonbehalfby' alias='delegate' link-type='outer'><attribute name='fullname'/>"
                + "</link-entity></entity></fetch>");
        assertEquals(8, names(outer).size());
        assertFalse(outer.json().get("value").get(0).has("delegate.fullname"));
        Response conditionOnLink = fetch("<fetch><entity name='flowsessionbinary'><attribute name='name'/>"
                + "<filter><condition entityname='fs' attribute='name' operator='eq' value='run one'/></filter>"
                + "<link-entity name='flowsession' from='flowsessionid' to='flowsessionid' alias='fs'/>"
                + "</entity></fetch>");
        assertEquals(4, names(conditionOnLink).size());
    }

    @Test
    void topLimitsRows() {
        assertEquals(List.of("50% off", "Alpha"), names(fetch("<fetch top='2'><entity name='flowsessionbinary'>"
                + "<attribute name='name'/><order attribute='name'/></entity></fetch>")));
    }

    @Test
    void pagesWithThePagingCookieUntilNoMoreRecords() {
        String template = "<fetch count='3' page='%d'%s><entity name='flowsessionbinary'><attribute name='name'/>"
                + "<order attribute='createdon' descending='true'/></entity></fetch>";
        List<String> walked = new ArrayList<>();
        String cookie = null;
        int page = 1;
        while (true) {
            String attribute = cookie == null ? "" : " paging-cookie='" + cookie.replace("&", "&amp;")
                    .replace("<", "&lt;").replace(">", "&gt;").replace("'", "&apos;") + "'";
            Response response = fetch(String.format(template, page, attribute), "Prefer", ALL_ANNOTATIONS);
            walked.addAll(names(response));
            JsonNode body = response.json();
            if (!body.has("@Microsoft.Dynamics.CRM.fetchxmlpagingcookie")) {
                assertFalse(body.has("@Microsoft.Dynamics.CRM.morerecords"));
                break;
            }
            assertTrue(body.get("@Microsoft.Dynamics.CRM.morerecords").asBoolean());
            String annotation = URLDecoder.decode(URLDecoder.decode(
                    body.get("@Microsoft.Dynamics.CRM.fetchxmlpagingcookie").asText(), StandardCharsets.UTF_8),
                    StandardCharsets.UTF_8);
            Matcher matcher = CLIENT_COOKIE.matcher(annotation);
            assertTrue(matcher.find(), annotation);
            assertEquals(page, Integer.parseInt(matcher.group(2)));
            cookie = matcher.group(1);
            page++;
        }
        assertEquals(3, page);
        assertEquals(names(fetch(String.format(template.replace(" count='3'", ""), 1, ""))), walked);
        Response second = fetch(String.format(template, 2, ""));
        assertEquals(walked.subList(3, 6), names(second), "a page number without a cookie skips pages");
    }

    @Test
    void distinctAndAggregates() {
        assertEquals(List.of("Input", "Log", "Output"), typeValues(fetch("<fetch distinct='true'>"
                + "<entity name='flowsessionbinary'><attribute name='type'/><order attribute='type'/></entity>"
                + "</fetch>")));
        Response grouped = fetch("<fetch aggregate='true'><entity name='flowsessionbinary'>"
                + "<attribute name='type' groupby='true' alias='kind'/>"
                + "<attribute name='flowsessionbinaryid' aggregate='count' alias='rows'/>"
                + "<attribute name='importsequencenumber' aggregate='sum' alias='total'/>"
                + "<attribute name='importsequencenumber' aggregate='avg' alias='mean'/>"
                + "<attribute name='importsequencenumber' aggregate='countcolumn' alias='numbered'/>"
                + "<attribute name='name' aggregate='countcolumn' distinct='true' alias='names'/>"
                + "<order alias='kind' descending='true'/></entity></fetch>");
        JsonNode groups = grouped.json().get("value");
        assertEquals(3, groups.size(), grouped.body());
        assertEquals("Output", groups.get(0).get("kind").asText());
        assertEquals(4, groups.get(0).get("rows").asInt());
        assertEquals(90, groups.get(0).get("total").asInt());
        assertEquals(22.5, groups.get(0).get("mean").asDouble(), 0.0001);
        assertEquals(0, groups.get(1).get("numbered").asInt());
        assertEquals(1, groups.get(1).get("names").asInt());
        Response joined = fetch("<fetch aggregate='true'><entity name='flowsessionbinary'>"
                + "<attribute name='flowsessionbinaryid' aggregate='count' alias='n'/>"
                + "<link-entity name='flowsession' from='flowsessionid' to='flowsessionid' alias='fs'>"
                + "<attribute name='name' groupby='true' alias='session'/></link-entity></entity></fetch>");
        assertEquals("{\"session\":\"run one\",\"n\":4}", joined.json().get("value").get(0).toString());
    }

    @Test
    void countAnnotationsWithFetchXml() {
        Response response = fetch("<fetch count='2' returntotalrecordcount='true'><entity name='flowsessionbinary'>"
                + "<attribute name='name'/></entity></fetch>", "Prefer", ALL_ANNOTATIONS);
        assertEquals(8, response.json().get("@Microsoft.Dynamics.CRM.totalrecordcount").asInt());
        assertEquals(2, response.json().get("value").size());
    }

    @Test
    void badFetchXmlIsRefused() {
        assertEquals("0x80041103", bad("<fetch><entity name='flowsessionbinary'><attribute name='colour'/></entity>"
                + "</fetch>").errorCode());
        assertEquals("0x80041128", bad("<fetch><entity name='flowsession'><attribute name='name'/></entity></fetch>")
                .errorCode());
        bad("<fetch><entity name='flowsessionbinary'>");
        bad("not xml at all");
        bad("<fetch top='2' page='1'><entity name='flowsessionbinary'/></fetch>");
        bad("<fetch count='5001'><entity name='flowsessionbinary'/></fetch>");
        bad("<fetch><entity name='flowsessionbinary'><filter><condition attribute='name' operator='sounds-like'"
                + " value='x'/></filter></entity></fetch>");
        bad("<fetch><entity name='flowsessionbinary'><filter><condition attribute='importsequencenumber'"
                + " operator='eq' value='many'/></filter></entity></fetch>");
        bad("<fetch><entity name='flowsessionbinary'><filter><condition attribute='name' operator='today'/>"
                + "</filter></entity></fetch>");
        bad("<fetch><entity name='flowsessionbinary'><link-entity name='nothing' from='a' to='b'/></entity></fetch>");
        bad("<fetch><entity name='flowsessionbinary'><link-entity name='flowsession' from='flowsessionid'"
                + " to='flowsessionid' alias='x y'/></entity></fetch>");
        bad("<fetch aggregate='true'><entity name='flowsessionbinary'><attribute name='name' aggregate='sum'"
                + " alias='s'/></entity></fetch>");
        assertEquals("0x8004112A", bad("<fetch count='2' page='2' paging-cookie='&lt;cookie page=\"1\"&gt;&lt;"
                + "colour last=\"x\" /&gt;&lt;/cookie&gt;'><entity name='flowsessionbinary'/></fetch>").errorCode());
    }

    @Test
    void externalEntitiesAndDoctypesAreRefused() {
        bad("<!DOCTYPE fetch [<!ENTITY secret SYSTEM \"file:///etc/passwd\">]><fetch><entity name='flowsessionbinary'>"
                + "<filter><condition attribute='name' operator='eq' value='&secret;'/></filter></entity></fetch>");
        bad("<!DOCTYPE fetch [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]><fetch>"
                + "<entity name='flowsessionbinary'><filter><condition attribute='name' operator='eq' value='&b;'/>"
                + "</filter></entity></fetch>");
        bad("<fetch xmlns:xi='http://www.w3.org/2001/XInclude'><xi:include href='file:///etc/passwd'/>"
                + "<entity name='flowsessionbinary'/></fetch>");
    }

    @Test
    void injectionThroughFetchXmlIsHarmless() {
        assertEquals(List.of(), fetchedNames("<filter><condition attribute='name' operator='eq'"
                + " value=\"x' OR '1'='1\"/></filter>"));
        bad("<fetch><entity name='flowsessionbinary'><attribute name='name\"; DROP TABLE flowsessionbinary; --'/>"
                + "</entity></fetch>");
        bad("<fetch><entity name='flowsessionbinary'><order attribute='name; DELETE FROM flowsessionbinary'/>"
                + "</entity></fetch>");
        bad("<fetch aggregate='true'><entity name='flowsessionbinary'><attribute name='name' groupby='true'"
                + " alias='a\"; DROP TABLE x; --'/></entity></fetch>");
        assertEquals("8", api.get(SET + "/$count").body());
    }

    private static List<String> typeValues(Response response) {
        assertEquals(200, response.status(), response.body());
        List<String> types = new ArrayList<>();
        for (JsonNode row : response.json().get("value")) {
            types.add(row.get("type").asText());
        }
        return types;
    }
}
