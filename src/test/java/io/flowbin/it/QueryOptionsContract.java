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
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * RetrieveMultiple with the OData query options over HTTP: {@code $select}, every {@code $filter} operator and
 * function, Dataverse's query functions, {@code $orderby}, {@code $top}, {@code $count} and {@code /$count}, with
 * Dataverse's errors for bad queries. Runs once per database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class QueryOptionsContract {
    static final String SET = "flowsessionbinaries";
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

    Set<String> filtered(String filter) {
        return new TreeSet<>(names(api.get(SET + query("$select", "name", "$filter", filter))));
    }

    static Set<String> set(String... names) {
        return new TreeSet<>(List.of(names));
    }

    Response bad(String queryString) {
        Response response = api.get(SET + queryString);
        assertEquals(400, response.status(), response.body());
        assertTrue(response.errorCode().startsWith("0x"), response.body());
        return response;
    }

    @Test
    void collectionListsEveryRowWithContextEtagsAndValues() {
        Response response = api.get(SET);
        assertEquals(200, response.status(), response.body());
        JsonNode body = response.json();
        assertEquals(fixture.server.serviceRoot() + "$metadata#flowsessionbinaries",
                body.get("@odata.context").asText());
        assertEquals(QueryFixture.SEEDS.size(), body.get("value").size());
        JsonNode first = body.get("value").get(0);
        assertTrue(first.get("@odata.etag").asText().matches("W/\"\\d+\""));
        assertTrue(first.has("_flowsessionid_value"));
        assertTrue(first.has("flowsessionbinaryid"));
        assertFalse(body.has("@odata.nextLink"));
    }

    @Test
    void selectReturnsTheKeyAndTheNamedColumnsOnly() {
        Response response = api.get(SET + query("$select", "name,type,_ownerid_value", "$orderby", "name"));
        JsonNode body = response.json();
        assertEquals(fixture.server.serviceRoot() + "$metadata#flowsessionbinaries(name,type,_ownerid_value)",
                body.get("@odata.context").asText());
        JsonNode row = body.get("value").get(0);
        assertEquals(Set.of("@odata.etag", "name", "type", "_ownerid_value", "flowsessionbinaryid"),
                fieldNames(row));
        assertEquals("50% off", row.get("name").asText());
    }

    @Test
    void comparisonOperatorsOnWholeNumbers() {
        assertEquals(set("Alpha"), filtered("importsequencenumber eq 5"));
        assertEquals(set("alphabet", "Beta", "gamma ray", "50% off", "under_score", "Zeta"),
                filtered("importsequencenumber ne 5"));
        assertEquals(set("under_score", "Zeta"), filtered("importsequencenumber gt 25"));
        assertEquals(set("50% off", "under_score", "Zeta"), filtered("importsequencenumber ge 25"));
        assertEquals(set("Alpha"), filtered("importsequencenumber lt 10"));
        assertEquals(set("Alpha", "alphabet"), filtered("importsequencenumber le 10"));
        assertEquals(set("Alpha"), filtered("10 gt importsequencenumber"));
    }

    @Test
    void stringComparisonIgnoresCase() {
        assertEquals(set("Alpha"), filtered("name eq 'ALPHA'"));
        assertEquals(set("Beta", "Delta", "gamma ray", "under_score", "Zeta"), filtered("name gt 'b'"));
        assertEquals(set("Alpha", "Beta", "under_score"), filtered("type eq 'input'"));
    }

    @Test
    void logicalOperatorsAndParentheses() {
        assertEquals(set("Alpha", "Beta"), filtered("type eq 'Input' and importsequencenumber lt 20"));
        assertEquals(set("Alpha", "Delta"), filtered("name eq 'alpha' or type eq 'Log'"));
        assertEquals(set("alphabet", "gamma ray", "50% off", "Zeta", "Delta"), filtered("not (type eq 'Input')"));
        assertEquals(set("Alpha", "Beta", "Delta"),
                filtered("(type eq 'Input' or type eq 'Log') and (importsequencenumber lt 20 or statecode eq 1)"));
    }

    @Test
    void nullTests() {
        assertEquals(set("alphabet", "gamma ray", "under_score"), filtered("metadata eq null"));
        assertEquals(set("Delta"), filtered("importsequencenumber eq null"));
        assertEquals(7, filtered("importsequencenumber ne null").size());
    }

    @Test
    void stringFunctionsMatchLiterallyAndIgnoreCase() {
        assertEquals(set("Alpha", "alphabet", "gamma ray", "Beta", "Delta", "Zeta"), filtered("contains(name,'A')"));
        assertEquals(set("Alpha", "alphabet"), filtered("startswith(name,'alp')"));
        assertEquals(set("Beta", "Delta", "Zeta"), filtered("endswith(name,'TA')"));
        assertEquals(set("50% off"), filtered("contains(name,'%')"));
        assertEquals(set("under_score"), filtered("contains(name,'_')"));
        assertEquals(set("50% off"), filtered("startswith(name,'50%')"));
        assertEquals(set("50% off"), filtered("contains(metadata,'o''b')"));
        assertEquals(5, filtered("not contains(name,'alpha')").size() - 1);
    }

    @Test
    void guidDateTimeChoiceAndLookupLiterals() {
        String alpha = fixture.ids.get("Alpha");
        assertEquals(set("Alpha"), filtered("flowsessionbinaryid eq " + alpha));
        assertEquals(set("Delta", "50% off", "under_score", "Zeta"),
                filtered("_flowsessionid_value eq " + fixture.sessionTwo));
        assertEquals(set("Beta", "Delta"), filtered("statecode eq 1"));
        assertEquals(set("gamma ray", "Delta", "50% off"),
                filtered("createdon lt " + fixture.now.minusDays(5).toLocalDate() + "T00:00:00Z"));
        assertEquals(set("Alpha", "alphabet", "Beta", "gamma ray", "Delta", "50% off", "under_score", "Zeta"),
                filtered("_ownerid_value eq " + fixture.server.server().organization().adminUserId()));
        assertEquals(set("Alpha", "alphabet", "Beta", "gamma ray", "Delta", "50% off", "under_score", "Zeta"),
                filtered("versionnumber gt 0"));
    }

    @Test
    void navigationPathsFilterThroughLookups() {
        assertEquals(set("Delta", "50% off", "under_score", "Zeta"), filtered("flowsessionid/name eq 'Run Two'"));
        assertEquals(8, filtered("owninguser/systemuserid ne null").size());
    }

    @Test
    void lambdaOperatorsFilterThroughCollections() {
        String sessions = "flowsessions" + query("$select", "name", "$filter",
                "flowsession_flowsessionbinary_flowsessionid/any(b:b/type eq 'Log')");
        assertEquals(List.of("run two"), names(api.get(sessions)));
        String all = "flowsessions" + query("$select", "name", "$filter",
                "flowsession_flowsessionbinary_flowsessionid/all(b:b/type ne 'Log')");
        assertEquals(List.of("run one"), names(api.get(all)));
        String any = "flowsessions" + query("$select", "name", "$orderby", "name", "$filter",
                "flowsession_flowsessionbinary_flowsessionid/any()");
        assertEquals(List.of("run one", "run two"), names(api.get(any)));
    }

    @Test
    void dataverseListAndRangeFunctions() {
        assertEquals(set("Alpha", "Beta", "Delta"),
                filtered("Microsoft.Dynamics.CRM.In(PropertyName='name',PropertyValues=[\"alpha\",\"BETA\",\"delta\"])"));
        assertEquals(set("alphabet", "gamma ray", "50% off", "Zeta"),
                filtered("Microsoft.Dynamics.CRM.NotIn(PropertyName='type',PropertyValues=[\"Input\",\"Log\"])"));
        assertEquals(set("alphabet", "Beta", "gamma ray"),
                filtered("Microsoft.Dynamics.CRM.Between(PropertyName='importsequencenumber',"
                        + "PropertyValues=[\"10\",\"20\"])"));
        assertEquals(set("Alpha", "50% off", "under_score", "Zeta"),
                filtered("Microsoft.Dynamics.CRM.NotBetween(PropertyName='importsequencenumber',"
                        + "PropertyValues=[\"10\",\"20\"])"));
        Response aliased = api.get(SET + "?$select=name&$filter=Microsoft.Dynamics.CRM.In(PropertyName=@p1,"
                + "PropertyValues=@p2)&@p1='type'&@p2=" + java.net.URLEncoder.encode("[\"Log\"]",
                        java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(List.of("Delta"), names(aliased));
    }

    @Test
    void dataverseDateFunctions() {
        String prefix = "Microsoft.Dynamics.CRM.";
        assertEquals(set("Alpha", "Zeta"), filtered(prefix + "Today(PropertyName='createdon')"));
        assertEquals(set("alphabet"), filtered(prefix + "Yesterday(PropertyName='createdon')"));
        assertEquals(set(), filtered(prefix + "Tomorrow(PropertyName='createdon')"));
        assertEquals(set("Alpha", "alphabet", "Beta", "under_score", "Zeta"),
                filtered(prefix + "LastXDays(PropertyName='createdon',PropertyValue=3)"));
        assertEquals(set("Alpha", "alphabet", "Beta", "under_score", "Zeta"),
                filtered(prefix + "Last7Days(PropertyName='createdon')"));
        assertEquals(set("gamma ray", "Delta", "50% off"),
                filtered(prefix + "OlderThanXDays(PropertyName='createdon',PropertyValue=5)"));
        assertEquals(set("50% off"), filtered(prefix + "OlderThanXMonths(PropertyName='createdon',PropertyValue=12)"));
        assertEquals(set("Alpha", "alphabet", "Beta", "under_score", "Zeta"),
                filtered(prefix + "LastXHours(PropertyName='createdon',PropertyValue=100)"));
        assertEquals(set(), filtered(prefix + "NextXDays(PropertyName='createdon',PropertyValue=3)"));
        String threeDaysAgo = fixture.now.minusDays(3).toLocalDate().toString();
        assertEquals(set("Beta"), filtered(prefix + "On(PropertyName='createdon',PropertyValue='" + threeDaysAgo
                + "')"));
        assertEquals(set("Beta", "gamma ray", "Delta", "50% off"),
                filtered(prefix + "OnOrBefore(PropertyName='createdon',PropertyValue='" + threeDaysAgo + "')"));
        assertEquals(8, filtered(prefix + "LastXYears(PropertyName='createdon',PropertyValue=2)").size());
    }

    @Test
    void dataverseCallerFunctions() {
        String prefix = "Microsoft.Dynamics.CRM.";
        assertEquals(8, filtered(prefix + "EqualUserId(PropertyName='owninguser')").size());
        assertEquals(0, filtered(prefix + "NotEqualUserId(PropertyName='ownerid')").size());
        assertEquals(8, filtered(prefix + "EqualBusinessId(PropertyName='owningbusinessunit')").size());
        assertEquals(0, filtered(prefix + "NotEqualBusinessId(PropertyName='owningbusinessunit')").size());
    }

    @Test
    void aQueryFunctionCannotBeNegated() {
        Response response = bad(query("$filter", "not Microsoft.Dynamics.CRM.Today(PropertyName='createdon')"));
        assertEquals("Not operator along with the Custom Named Condition operators is not allowed",
                response.errorMessage());
    }

    @Test
    void aQueryFunctionOnAColumnOfTheWrongTypeIsRefused() {
        bad(query("$filter", "Microsoft.Dynamics.CRM.Today(PropertyName='name')"));
        bad(query("$filter", "Microsoft.Dynamics.CRM.In(PropertyName='importsequencenumber',PropertyValues=[\"x\"])"));
        bad(query("$filter", "Microsoft.Dynamics.CRM.LastXDays(PropertyName='colour',PropertyValue=3)"));
        bad(query("$filter", "Microsoft.Dynamics.CRM.Between(PropertyName='name',PropertyValues=[\"a\"])"));
    }

    @Test
    void orderByOnSeveralColumns() {
        assertEquals(List.of("Beta", "Delta", "Alpha", "under_score", "alphabet", "gamma ray", "50% off", "Zeta"),
                names(api.get(SET + query("$select", "name", "$orderby",
                        "statecode desc,type,importsequencenumber"))));
        assertEquals(List.of("Zeta", "under_score", "50% off", "gamma ray", "Beta", "alphabet", "Alpha", "Delta"),
                names(api.get(SET + query("$select", "name", "$orderby", "importsequencenumber desc"))));
    }

    @Test
    void topLimitsTheRowsWithoutANextLink() {
        Response response = api.get(SET + query("$select", "name", "$orderby", "importsequencenumber", "$top", "3"),
                "Prefer", "odata.maxpagesize=2");
        assertEquals(List.of("Delta", "Alpha", "alphabet"), names(response));
        assertFalse(response.json().has("@odata.nextLink"));
        bad(query("$top", "5001"));
        bad(query("$top", "-1"));
    }

    @Test
    void countTrueReportsMatchingRows() {
        Response response = api.get(SET + query("$count", "true", "$filter", "type eq 'Output'", "$top", "1"),
                "Prefer", "odata.include-annotations=\"Microsoft.Dynamics.CRM.totalrecordcount,"
                        + "Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded\"");
        JsonNode body = response.json();
        assertEquals(4, body.get("@odata.count").asInt());
        assertEquals(4, body.get("@Microsoft.Dynamics.CRM.totalrecordcount").asInt());
        assertFalse(body.get("@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded").asBoolean());
        assertEquals(1, body.get("value").size());
        JsonNode uncounted = api.get(SET, "Prefer", "odata.include-annotations=\"*\"").json();
        assertEquals(-1, uncounted.get("@Microsoft.Dynamics.CRM.totalrecordcount").asInt());
    }

    @Test
    void countSegmentAnswersPlainText() {
        Response all = api.get(SET + "/$count");
        assertEquals(200, all.status());
        assertEquals("text/plain", all.header("Content-Type").orElseThrow());
        assertEquals("8", all.body());
        assertEquals("3", api.get(SET + "/$count" + query("$filter", "type eq 'Input'")).body());
    }

    @Test
    void formattedValuesAndLookupAnnotationsAppearInCollections() {
        Response response = api.get(SET + query("$select", "name,statecode,_flowsessionid_value", "$filter",
                "name eq 'Beta'"), "Prefer", "odata.include-annotations=\"*\"");
        JsonNode row = response.json().get("value").get(0);
        assertEquals("Inactive", row.get("statecode@OData.Community.Display.V1.FormattedValue").asText());
        assertEquals("run one", row.get("_flowsessionid_value@OData.Community.Display.V1.FormattedValue").asText());
        assertEquals("flowsessionid",
                row.get("_flowsessionid_value@Microsoft.Dynamics.CRM.associatednavigationproperty").asText());
        assertEquals("flowsession", row.get("_flowsessionid_value@Microsoft.Dynamics.CRM.lookuplogicalname").asText());
        assertEquals("odata.include-annotations=\"*\"", response.header("Preference-Applied").orElseThrow());
    }

    @Test
    void badQueriesAnswer400WithDataversesErrorShape() {
        assertTrue(bad(query("$filter", "colour eq 'red'")).errorMessage().contains("colour"));
        assertTrue(bad(query("$select", "colour")).errorMessage().contains("colour"));
        bad(query("$orderby", "colour"));
        bad(query("$filter", "importsequencenumber eq 'five'"));
        bad(query("$filter", "name eq 5"));
        bad(query("$filter", "createdon eq 'yesterday'"));
        bad(query("$filter", "_ownerid_value eq 'not-a-guid'"));
        bad(query("$filter", "tolower(name) eq 'alpha'"));
        bad(query("$filter", "length(name) eq 5"));
        bad(query("$filter", "name eq 'unterminated"));
        bad(query("$filter", "name eq"));
        bad(query("$filter", "importsequencenumber add 1 eq 2"));
        bad(query("$filter", "Microsoft.Dynamics.CRM.Unknown(PropertyName='name')"));
        bad(query("$skip", "1"));
        bad(query("$orderby", "flowsessionid/name"));
        bad(query("$filter", "flowsession_flowsessionbinary_flowsessionid eq null"));
        Response tooMany = bad(query("$filter", "name eq 'a'" + " or name eq 'a'".repeat(501)));
        assertEquals("0x8004430C", tooMany.errorCode());
    }

    @Test
    void injectionThroughEveryOptionIsHarmless() {
        assertEquals(set(), filtered("name eq 'x'' or 1=1 --'"));
        assertEquals(set(), filtered("name eq 'x\"; DROP TABLE flowsessionbinary; --'"));
        assertEquals(set(), filtered("contains(name,''')--')"));
        bad(query("$select", "name;DROP TABLE flowsessionbinary"));
        bad(query("$orderby", "name; DELETE FROM flowsessionbinary"));
        bad(query("$orderby", "name desc, (SELECT 1)"));
        bad(query("$top", "1;DELETE FROM flowsessionbinary"));
        bad(query("$filter", "Microsoft.Dynamics.CRM.In(PropertyName='name\" OR 1=1 --',PropertyValues=[\"a\"])"));
        bad(query("$apply", "groupby((type),aggregate($count as \"x\"\"; DROP TABLE t; --\"))"));
        bad(query("$expand", "flowsessionid($select=name;DROP TABLE flowsession)"));
        bad(query("$skiptoken", "<cookie pagenumber=\"2\" pagingcookie=\"%253ccookie%2520page%253d%25221%2522%253e"
                + "%253cflowsessionbinaryid%2520last%253d%2522%27%3bDROP%2520TABLE%2520x%253b--%2522%2520%252f%253e"
                + "%253c%252fcookie%253e\" istracking=\"False\" />"));
        assertEquals("8", api.get(SET + "/$count").body());
    }

    @Test
    void pagesFollowTheNextLinkWithTheMaxPageSizePreference() {
        String first = SET + query("$select", "name", "$orderby", "importsequencenumber desc", "$filter",
                "statecode eq 0");
        List<String> all = names(api.get(first));
        List<String> walked = new java.util.ArrayList<>();
        String next = first;
        int pages = 0;
        while (next != null) {
            Response page = api.get(next, "Prefer", "odata.maxpagesize=2");
            assertEquals("odata.maxpagesize=2", page.header("Preference-Applied").orElseThrow());
            walked.addAll(names(page));
            JsonNode link = page.json().get("@odata.nextLink");
            next = link == null ? null : link.asText();
            if (next != null) {
                assertTrue(next.startsWith(fixture.server.serviceRoot() + SET + "?"), next);
                assertTrue(next.contains("$skiptoken=%3ccookie%20pagenumber%3d%22" + (pages + 2) + "%22"), next);
            }
            pages++;
        }
        assertEquals(all, walked);
        assertEquals(3, pages);
    }

    @Test
    void theSkipTokenCarriesDataversesCookie() {
        Response page = api.get(SET + query("$select", "name", "$orderby", "name"), "Prefer", "odata.maxpagesize=1");
        String link = page.json().get("@odata.nextLink").asText();
        String token = java.net.URLDecoder.decode(link.substring(link.indexOf("$skiptoken=") + 11),
                java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(token.startsWith("<cookie pagenumber=\"2\" pagingcookie=\"%253ccookie%2520page%253d%25221%2522"),
                token);
        assertTrue(token.endsWith("\" istracking=\"False\" />"), token);
        String inner = java.net.URLDecoder.decode(java.net.URLDecoder.decode(token.substring(
                token.indexOf("pagingcookie=\"") + 14, token.indexOf("\" istracking")),
                java.nio.charset.StandardCharsets.UTF_8), java.nio.charset.StandardCharsets.UTF_8);
        String key = fixture.ids.get("50% off").toUpperCase(java.util.Locale.ROOT);
        assertEquals("<cookie page=\"1\"><name last=\"50%25 off\" first=\"50%25 off\" /><flowsessionbinaryid last=\"{"
                + key + "}\" first=\"{" + key + "}\" /></cookie>", inner);
    }

    @Test
    void aTamperedSkipTokenIsAnInvalidPagingCookie() {
        String sorted = SET + query("$select", "name", "$orderby", "name");
        String link = api.get(sorted, "Prefer", "odata.maxpagesize=1").json().get("@odata.nextLink").asText();
        Response otherOrder = api.get(link.replace("$orderby=name", "$orderby=type"), "Prefer",
                "odata.maxpagesize=1");
        assertEquals(400, otherOrder.status(), otherOrder.body());
        assertEquals("0x8004112A", otherOrder.errorCode());
        for (String token : List.of("garbage", "<cookie/>", "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                + "<cookie pagingcookie=\"&e;\"/>", "<cookie pagenumber=\"2\" pagingcookie=\"%253ccookie%2520page"
                + "%253d%25221%2522%253e%253cname%2520last%253d%2522x%2522%2520%252f%253e%253c%252fcookie%253e\" />")) {
            Response response = api.get(sorted + query("$skiptoken", token).replace('?', '&'));
            assertEquals(400, response.status(), token + ": " + response.body());
            assertEquals("0x8004112A", response.errorCode(), token);
        }
    }

    @Test
    void expandSingleValuedNavigationPropertiesWithNestedSelect() {
        Response response = api.get(SET + query("$select", "name", "$filter", "name eq 'Zeta'", "$expand",
                "flowsessionid($select=name),ownerid,createdby($select=fullname),owningbusinessunit($select=name)"));
        JsonNode body = response.json();
        assertEquals(fixture.server.serviceRoot() + "$metadata#flowsessionbinaries(name,flowsessionid(name),ownerid(),"
                + "createdby(fullname),owningbusinessunit(name))", body.get("@odata.context").asText());
        JsonNode row = body.get("value").get(0);
        assertEquals("run two", row.get("flowsessionid").get("name").asText());
        assertEquals(fixture.sessionTwo, row.get("flowsessionid").get("flowsessionid").asText());
        assertTrue(row.get("flowsessionid").get("@odata.etag").asText().startsWith("W/"));
        assertEquals("#Microsoft.Dynamics.CRM.systemuser", row.get("ownerid").get("@odata.type").asText());
        String admin = fixture.server.server().organization().adminUserId().toString();
        assertEquals(admin, row.get("ownerid").get("systemuserid").asText());
        assertEquals(Set.of("@odata.etag", "fullname", "systemuserid"), fieldNames(row.get("createdby")));
        assertTrue(row.get("owningbusinessunit").has("name"));
        Response empty = api.get(SET + query("$select", "name", "$filter", "name eq 'Zeta'", "$expand",
                "createdonbehalfby"));
        assertTrue(empty.json().get("value").get(0).get("createdonbehalfby").isNull());
    }

    @Test
    void expandTheBinariesOfAFlowSessionWithNestedOptions() {
        Response response = api.get("flowsessions" + query("$select", "name", "$orderby", "name", "$expand",
                "flowsession_flowsessionbinary_flowsessionid($select=name,type;$filter=type ne 'Log';"
                        + "$orderby=name desc;$top=2)"));
        JsonNode sessions = response.json().get("value");
        assertEquals(2, sessions.size(), response.body());
        JsonNode one = sessions.get(0).get("flowsession_flowsessionbinary_flowsessionid");
        assertEquals(2, one.size());
        assertEquals("gamma ray", one.get(0).get("name").asText());
        assertEquals("Beta", one.get(1).get("name").asText(), "strings sort ignoring case");
        JsonNode two = sessions.get(1).get("flowsession_flowsessionbinary_flowsessionid");
        assertEquals(List.of("Zeta", "under_score"), List.of(two.get(0).get("name").asText(),
                two.get(1).get("name").asText()));
        assertTrue(two.get(0).has("@odata.etag"));
    }

    @Test
    void retrieveOfOneRowHonoursExpand() {
        Response single = api.get(SET + "(" + fixture.ids.get("Beta") + ")" + query("$select", "name", "$expand",
                "flowsessionid($select=name)"));
        assertEquals(200, single.status(), single.body());
        JsonNode row = single.json();
        assertEquals(fixture.server.serviceRoot() + "$metadata#flowsessionbinaries(name,flowsessionid(name))/$entity",
                row.get("@odata.context").asText());
        assertEquals("run one", row.get("flowsessionid").get("name").asText());
        Response session = api.get("flowsessions(" + fixture.sessionTwo + ")" + query("$select", "name", "$expand",
                "flowsession_flowsessionbinary_flowsessionid($select=name;$filter=statecode eq 1)"));
        assertEquals("Delta", session.json().get("flowsession_flowsessionbinary_flowsessionid").get(0).get("name")
                .asText());
        Response missing = api.get(SET + "(" + java.util.UUID.randomUUID() + ")" + query("$expand", "flowsessionid"));
        assertEquals(404, missing.status());
    }

    @Test
    void badExpansionsAreRefused() {
        bad(query("$expand", "colour"));
        bad(query("$expand", "flowsessionid($select=colour)"));
        bad(query("$expand", "flowsessionid($filter=name eq 'x')"));
        bad(query("$expand", "*"));
        Response reference = api.get("flowsessions" + query("$expand", "flowsession_flowsessionbinary_flowsessionid/$ref"));
        assertEquals(400, reference.status());
        assertEquals("Expand with $ref is only supported on lookup type navigation property.",
                reference.errorMessage());
    }

    @Test
    void applyGroupsAndAggregatesInTheDatabase() {
        Response grouped = api.get(SET + query("$apply", "groupby((type),aggregate($count as count))"));
        JsonNode groups = grouped.json().get("value");
        assertEquals(fixture.server.serviceRoot() + "$metadata#flowsessionbinaries",
                grouped.json().get("@odata.context").asText());
        assertEquals("{\"type\":\"Input\",\"count\":3}", groups.get(0).toString());
        assertEquals("{\"type\":\"Log\",\"count\":1}", groups.get(1).toString());
        assertEquals("{\"type\":\"Output\",\"count\":4}", groups.get(2).toString());
        JsonNode totals = api.get(SET + query("$apply", "aggregate(importsequencenumber with sum as total,"
                + "importsequencenumber with min as least,importsequencenumber with max as most,"
                + "importsequencenumber with average as mean,type with countdistinct as types)")).json()
                .get("value").get(0);
        assertEquals(140, totals.get("total").asInt());
        assertEquals(5, totals.get("least").asInt());
        assertEquals(35, totals.get("most").asInt());
        assertEquals(20.0, totals.get("mean").asDouble(), 0.0001);
        assertEquals(3, totals.get("types").asInt());
        JsonNode filtered = api.get(SET + query("$apply", "filter(statecode eq 0)/groupby((statecode,type),"
                + "aggregate(importsequencenumber with sum as total))", "$orderby", "type desc")).json()
                .get("value");
        assertEquals("{\"statecode\":0,\"type\":\"Output\",\"total\":90}", filtered.get(0).toString());
        assertEquals("{\"statecode\":0,\"type\":\"Input\",\"total\":35}", filtered.get(1).toString());
        JsonNode bySession = api.get(SET + query("$apply", "groupby((flowsessionid/name),aggregate($count as n))"))
                .json().get("value");
        assertEquals("{\"flowsession_name\":\"run one\",\"n\":4}", bySession.get(0).toString());
        JsonNode byLookup = api.get(SET + query("$apply", "groupby((_flowsessionid_value))")).json().get("value");
        assertEquals(2, byLookup.size());
        assertTrue(byLookup.get(0).has("_flowsessionid_value"));
    }

    @Test
    void unsupportedApplyIsRefused() {
        assertEquals("The query node SingleValueOpenPropertyAccess is not supported", bad(query("$apply",
                "groupby((type),aggregate($count as count))", "$orderby", "count desc")).errorMessage());
        bad(query("$apply", "groupby((createdon))"));
        bad(query("$apply", "aggregate(name with sum as total)"));
        bad(query("$apply", "groupby((colour))"));
        bad(query("$apply", "topcount(2,importsequencenumber)"));
    }

    static Set<String> fieldNames(JsonNode row) {
        Set<String> names = new TreeSet<>();
        row.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
