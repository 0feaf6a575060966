package io.flowbin.odata;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowbin.error.DataverseException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The multipart layouts clients send in a {@code $batch}, and the ones that must be refused. */
class BatchParserTest {
    private static final String TYPE = "multipart/mixed;boundary=dwa_batch_1";

    private static List<BatchParser.Item> parse(String contentType, String body) {
        return BatchParser.parse(contentType, new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }

    /** The layout dynamics-web-api 2.5 writes: a leading blank line, CRLF, blank lines before each delimiter. */
    @Test
    void readsTheClientsLayoutWithChangeSetsAndContentIds() {
        String body = String.join("\r\n",
                "",
                "--dwa_batch_1",
                "Content-Type: multipart/mixed;boundary=changeset_2",
                "",
                "--changeset_2",
                "Content-Type: application/http",
                "Content-Transfer-Encoding: binary",
                "Content-ID: 100001",
                "",
                "POST http://h/api/data/v9.2/flowsessionbinaries HTTP/1.1",
                "Content-Type: application/json",
                "",
                "{\"name\":\"a\"}",
                "",
                "--changeset_2",
                "Content-Type: application/http",
                "Content-Transfer-Encoding: binary",
                "Content-ID: 100002",
                "",
                "PATCH $100001 HTTP/1.1",
                "Content-Type: application/json",
                "If-Match: *",
                "",
                "{\"type\":\"b\"}",
                "",
                "--changeset_2--",
                "",
                "--dwa_batch_1",
                "Content-Type: application/http",
                "Content-Transfer-Encoding: binary",
                "",
                "GET http://h/api/data/v9.2/WhoAmI HTTP/1.1",
                "Accept: application/json",
                "",
                "--dwa_batch_1--",
                "");
        List<BatchParser.Item> items = parse(TYPE, body);
        assertEquals(2, items.size());
        BatchParser.ChangeSet changeSet = assertInstanceOf(BatchParser.ChangeSet.class, items.get(0));
        BatchParser.PartRequest create = changeSet.requests().get(0);
        assertEquals("100001", create.contentId());
        assertEquals("POST", create.method());
        assertEquals("http://h/api/data/v9.2/flowsessionbinaries", create.target());
        assertEquals("{\"name\":\"a\"}\r\n", new String(create.body(), StandardCharsets.UTF_8));
        BatchParser.PartRequest patch = changeSet.requests().get(1);
        assertEquals("$100001", patch.target());
        assertEquals("*", patch.headers().get("if-match"), "header names are case-insensitive");
        BatchParser.Single get = assertInstanceOf(BatchParser.Single.class, items.get(1));
        assertNull(get.request().contentId());
        assertArrayEquals(new byte[0], get.request().body());
    }

    @Test
    void readsLineFeedsAloneAQuotedBoundaryAndAnEpilogue() {
        String body = "--b1\nContent-Type: application/http\n\nDELETE flowsessionbinaries(x) HTTP/1.1\n\n--b1-- \n"
                + "epilogue is ignored\n";
        List<BatchParser.Item> items = parse("multipart/mixed; boundary=\"b1\"", body);
        BatchParser.Single single = assertInstanceOf(BatchParser.Single.class, items.get(0));
        assertEquals("DELETE", single.request().method());
    }

    @Test
    void refusesMalformedBodiesWithAClearMessage() {
        assertMalformed("application/json", "--dwa_batch_1--", "multipart/mixed with a boundary");
        assertMalformed(TYPE, "no boundary at all", "does not contain the boundary");
        assertMalformed(TYPE, "--dwa_batch_1\r\nContent-Type: application/http\r\n\r\nGET WhoAmI HTTP/1.1\r\n",
                "closing boundary");
        assertMalformed(TYPE, "--dwa_batch_1\r\nContent-Type: text/plain\r\n\r\nx\r\n--dwa_batch_1--",
                "application/http or multipart/mixed");
        assertMalformed(TYPE, "--dwa_batch_1\r\nContent-Type: application/http\r\n\r\nGET\r\n--dwa_batch_1--",
                "is not a request line");
        assertMalformed(TYPE, "--dwa_batch_1--", "holds no request");
        assertMalformed(TYPE, "--dwa_batch_1\r\nContent-Type: application/http\r\n\r\nGET " + "x".repeat(80_000)
                + " HTTP/1.1\r\n--dwa_batch_1--", "longer than");
    }

    @Test
    void countsChangeSetMembersTowardsTheLimitOfAThousandRequests() {
        StringBuilder changeSet = new StringBuilder("--dwa_batch_1\r\nContent-Type: multipart/mixed;boundary=cs\r\n\r\n");
        for (int i = 0; i < 1001; i++) {
            changeSet.append("--cs\r\nContent-Type: application/http\r\n\r\nDELETE t(").append(i)
                    .append(") HTTP/1.1\r\n\r\n");
        }
        changeSet.append("--cs--\r\n--dwa_batch_1--\r\n");
        DataverseException failure = assertThrows(DataverseException.class, () -> parse(TYPE, changeSet.toString()));
        assertEquals(400, failure.httpStatus());
        assertTrue(failure.getMessage().contains("up to 1000 requests"), failure.getMessage());
    }

    private static void assertMalformed(String contentType, String body, String expected) {
        DataverseException failure = assertThrows(DataverseException.class, () -> parse(contentType, body));
        assertEquals(400, failure.httpStatus());
        assertTrue(failure.getMessage().contains(expected), failure.getMessage());
    }
}
