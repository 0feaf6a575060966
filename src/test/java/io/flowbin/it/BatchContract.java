package io.flowbin.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowbin.testing.WebApiClient.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code $batch}: change sets as transactions, Content-ID references, independent requests, continue-on-error,
 * GETs, the response format clients parse, and the 400s for malformed or oversized batches. Runs once per database.
 */
abstract class BatchContract extends ServerContract {
    private static final Pattern ENTITY_ID = Pattern.compile("\\(([0-9a-f-]{36})\\)");

    String flowSession;

    @Override
    void seed() {
        flowSession = create("flowsessions", "{\"name\":\"batch run\"}");
    }

    /** A batch body in the documented layout; {@code parts} are already-formatted parts or change sets. */
    static String batch(String boundary, List<String> parts, String lineBreak) {
        StringBuilder body = new StringBuilder();
        for (String part : parts) {
            body.append("--").append(boundary).append(lineBreak).append(part.replace("\n", lineBreak))
                    .append(lineBreak);
        }
        return body.append("--").append(boundary).append("--").append(lineBreak).toString();
    }

    static String request(String method, String url, String body, String... headers) {
        StringBuilder part = new StringBuilder("Content-Type: application/http\nContent-Transfer-Encoding: binary\n");
        for (int i = 0; i + 1 < headers.length; i += 2) {
            if (headers[i].equals("Content-ID")) {
                part.append("Content-ID: ").append(headers[i + 1]).append('\n');
            }
        }
        part.append('\n').append(method).append(' ').append(url).append(" HTTP/1.1\n");
        for (int i = 0; i + 1 < headers.length; i += 2) {
            if (!headers[i].equals("Content-ID")) {
                part.append(headers[i]).append(": ").append(headers[i + 1]).append('\n');
            }
        }
        if (!body.isEmpty()) {
            part.append("Content-Type: application/json; type=entry\n\n").append(body).append('\n');
        } else {
            part.append('\n');
        }
        return part.toString();
    }

    static String changeSet(String boundary, List<String> requests) {
        StringBuilder part = new StringBuilder("Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\n\n");
        for (String request : requests) {
            part.append("--").append(boundary).append('\n').append(request);
        }
        return part.append("--").append(boundary).append("--").toString();
    }

    Response send(String body, String... headers) {
        List<String> all = new ArrayList<>(List.of("Content-Type", "multipart/mixed; boundary=\"batch_AB1\""));
        all.addAll(List.of(headers));
        return api.post("$batch", body, all.toArray(String[]::new));
    }

    String binary(String name) {
        return "{\"name\":\"" + name + "\",\"type\":\"Input\",\"flowsessionid@odata.bind\":\"flowsessions("
                + flowSession + ")\"}";
    }

    long rowsNamed(String name) {
        return server.count("SELECT COUNT(*) FROM \"flowsessionbinary\" WHERE \"name\" = ?", name);
    }

    @Test
    void aChangeSetRunsWithContentIdReferencesAndAnswersInTheDocumentedFormat() {
        String body = batch("batch_AB1", List.of(changeSet("changeset_C1", List.of(
                request("POST", "/api/data/v9.2/flowsessionbinaries", binary("cs-created"), "Content-ID", "1"),
                request("PATCH", "$1", "{\"mimetype\":\"application/octet-stream\"}", "Content-ID", "2"),
                request("PUT", "$1/type", "{\"value\":\"Output\"}", "Content-ID", "3")))), "\r\n");
        Response response = send(body);
        assertEquals(200, response.status(), response.body());
        String contentType = response.header("Content-Type").orElseThrow();
        assertTrue(contentType.startsWith("multipart/mixed; boundary=batchresponse_"), contentType);
        String text = response.body();
        assertTrue(text.startsWith("--batchresponse_"), "no preamble: " + text);
        assertTrue(text.contains("--changesetresponse_"));
        assertTrue(text.contains("Content-ID: 1\r\n") && text.contains("Content-ID: 3\r\n"), text);
        assertTrue(text.contains("HTTP/1.1 204 No Content\r\n"), text);
        assertTrue(text.contains("Location: " + server.serviceRoot() + "flowsessionbinaries("), text);
        assertTrue(text.contains("OData-EntityId: " + server.serviceRoot() + "flowsessionbinaries("), text);
        assertTrue(text.trim().endsWith("--"), text);
        Matcher id = ENTITY_ID.matcher(text.substring(text.indexOf("OData-EntityId")));
        assertTrue(id.find());
        var row = api.get("flowsessionbinaries(" + id.group(1) + ")").json();
        assertEquals("application/octet-stream", row.get("mimetype").asText());
        assertEquals("Output", row.get("type").asText());
    }

    /** The second request of a change set fails: the first one is undone, and the batch answers with the error. */
    @Test
    void aFailingRequestUndoesItsWholeChangeSet() {
        String body = batch("batch_AB1", List.of(changeSet("changeset_C2", List.of(
                request("POST", "flowsessionbinaries", binary("cs-undone"), "Content-ID", "1"),
                request("PATCH", "$1", "{\"mimetype\":\"" + "m".repeat(101) + "\"}", "Content-ID", "2")))),
                "\r\n");
        Response response = send(body);
        assertEquals(400, response.status(), response.body());
        assertTrue(response.body().contains("HTTP/1.1 400 Bad Request"), response.body());
        assertTrue(response.body().contains("\"code\":\"0x80044331\""), response.body());
        assertTrue(response.body().contains("REQ_ID: "));
        assertEquals(0, rowsNamed("cs-undone"), "the create of the failed change set is rolled back");
    }

    @Test
    void aReferenceInABindCreatesRelatedRowsInOneChangeSet() {
        String body = batch("batch_AB1", List.of(changeSet("changeset_C3", List.of(
                request("POST", server.serviceRoot() + "flowsessions", "{\"name\":\"cs-session\"}",
                        "Content-ID", "100001"),
                request("POST", server.serviceRoot() + "flowsessionbinaries",
                        "{\"name\":\"cs-child\",\"flowsessionid@odata.bind\":\"$100001\"}", "Content-ID", "100002")))),
                "\r\n");
        Response response = send(body);
        assertEquals(200, response.status(), response.body());
        assertEquals(1, server.count("SELECT COUNT(*) FROM \"flowsessionbinary\" b JOIN \"flowsession\" s"
                + " ON b.\"flowsessionid\" = s.\"flowsessionid\" WHERE b.\"name\" = ? AND s.\"name\" = ?",
                "cs-child", "cs-session"));
    }

    @Test
    void anUnknownContentIdReferenceIsABadRequest() {
        String body = batch("batch_AB1", List.of(changeSet("changeset_C4", List.of(
                request("POST", "flowsessionbinaries", binary("cs-before-ref"), "Content-ID", "1"),
                request("PATCH", "$9", "{\"name\":\"x\"}", "Content-ID", "2")))), "\r\n");
        Response response = send(body);
        assertEquals(400, response.status());
        assertTrue(response.body().contains("Content-ID Reference: '$9' does not exist in the batch context."),
                response.body());
        assertEquals(0, rowsNamed("cs-before-ref"));
    }

    @Test
    void requestsOutsideChangeSetsRunIndependentlyAndContinueOnErrorAnswersEach() {
        String id = UUID.randomUUID().toString();
        List<String> parts = List.of(
                request("POST", "flowsessionbinaries", binary("single-" + id)),
                request("POST", "flowsessionbinaries", "{\"name\":\"single-invalid\",\"colour\":\"red\"}"),
                request("GET", "flowsessions(" + flowSession + ")?$select=name", "", "Accept", "application/json"));
        Response continued = send(batch("batch_AB1", parts, "\r\n"), "Prefer", "odata.continue-on-error");
        assertEquals(200, continued.status(), continued.body());
        assertEquals("odata.continue-on-error", continued.header("Preference-Applied").orElseThrow());
        String text = continued.body();
        int created = text.indexOf("HTTP/1.1 204 No Content");
        int failed = text.indexOf("HTTP/1.1 400 Bad Request");
        int read = text.indexOf("HTTP/1.1 200 OK");
        assertTrue(created > 0 && failed > created && read > failed, text);
        assertTrue(text.contains("Content-Type: application/json; odata.metadata=minimal; odata.streaming=true"));
        assertTrue(text.contains("\"name\":\"batch run\""), text);
        assertEquals(1, rowsNamed("single-" + id));

        String other = UUID.randomUUID().toString();
        Response stopped = send(batch("batch_AB1", List.of(
                request("POST", "flowsessionbinaries", binary("first-" + other)),
                request("POST", "flowsessionbinaries", "{\"colour\":\"red\"}"),
                request("POST", "flowsessionbinaries", binary("third-" + other))), "\r\n"));
        assertEquals(400, stopped.status(), "without continue-on-error the batch answers with the failure");
        assertEquals(1, rowsNamed("first-" + other), "a request outside a change set is not undone");
        assertEquals(0, rowsNamed("third-" + other), "processing stops at the first failure");
        assertTrue(stopped.body().contains("0x80048d19"));
    }

    @Test
    void lineFeedsAloneAndEveryUrlFormAreAccepted() {
        String id = UUID.randomUUID().toString();
        String body = "\n" + batch("batch_AB1", List.of(
                request("POST", server.serviceRoot() + "flowsessionbinaries", binary("lf-absolute-" + id)),
                request("POST", "/api/data/v9.2/flowsessionbinaries", binary("lf-host-" + id)),
                request("POST", "flowsessionbinaries", binary("lf-relative-" + id))), "\n");
        Response response = send(body, "Content-Type", "multipart/mixed;boundary=batch_AB1");
        assertEquals(200, response.status(), response.body());
        assertEquals(1, rowsNamed("lf-absolute-" + id));
        assertEquals(1, rowsNamed("lf-host-" + id));
        assertEquals(1, rowsNamed("lf-relative-" + id));
    }

    @Test
    void malformedBatchesAreBadRequests() {
        String valid = batch("batch_AB1", List.of(request("GET", "WhoAmI", "")), "\r\n");
        Response noBoundary = api.post("$batch", valid, "Content-Type", "multipart/mixed");
        assertEquals(400, noBoundary.status());
        assertTrue(noBoundary.errorMessage().contains("boundary"), noBoundary.body());
        assertEquals(400, api.post("$batch", valid, "Content-Type", "application/json").status());
        Response wrongBoundary = send(valid.replace("batch_AB1", "batch_XYZ"));
        assertEquals(400, wrongBoundary.status());
        Response unclosed = send(valid.substring(0, valid.lastIndexOf("--batch_AB1--")));
        assertEquals(400, unclosed.status());
        assertTrue(unclosed.errorMessage().contains("closing boundary"), unclosed.body());
        assertEquals(400, send(batch("batch_AB1", List.of("Content-Type: text/plain\n\nhello"), "\r\n")).status());
        assertEquals(400, send(batch("batch_AB1", List.of("Content-Type: application/http\n\nnot a request"), "\r\n"))
                .status());
        Response getInChangeSet = send(batch("batch_AB1", List.of(changeSet("changeset_G",
                List.of(request("GET", "WhoAmI", "")))), "\r\n"));
        assertEquals(400, getInChangeSet.status());
        List<String> tooMany = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            tooMany.add(request("GET", "WhoAmI", ""));
        }
        Response oversized = send(batch("batch_AB1", tooMany, "\r\n"));
        assertEquals(400, oversized.status());
        assertTrue(oversized.errorMessage().contains("1000"), oversized.body());
        assertEquals(200, send(batch("batch_AB1", tooMany.subList(0, 1000), "\r\n")).status());
        Response nested = send(batch("batch_AB1", List.of(request("POST", "$batch", "")), "\r\n"));
        assertTrue(nested.body().contains("cannot contain another batch"), nested.body());
        assertEquals(405, api.get("$batch").status());
        assertFalse(noBoundary.body().isEmpty());
    }
}
