package io.flowbin.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowbin.testing.DatabaseKind;
import io.flowbin.testing.TestServer;
import io.flowbin.testing.WebApiClient;
import io.flowbin.testing.WebApiClient.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server seeded with two flow sessions and a known set of binaries, for the query tests: names, types, states,
 * numbers, empty columns and creation times chosen so that every operator selects a known subset.
 */
final class QueryFixture implements AutoCloseable {
    private static final Pattern ENTITY_ID = Pattern.compile("\\(([0-9a-f-]{36})\\)$");

    final TestServer server;
    final WebApiClient api;
    final String sessionOne;
    final String sessionTwo;
    /** Binary ids by name. */
    final Map<String, String> ids = new LinkedHashMap<>();
    final OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);

    /** One seeded binary. */
    record Seed(String name, String type, int state, Integer sequence, String metadata, int daysAgo, boolean two) {}

    static final List<Seed> SEEDS = List.of(
            new Seed("Alpha", "Input", 0, 5, "first", 0, false),
            new Seed("alphabet", "Output", 0, 10, null, 1, false),
            new Seed("Beta", "Input", 1, 15, "second", 3, false),
            new Seed("gamma ray", "Output", 0, 20, null, 10, false),
            new Seed("Delta", "Log", 1, null, "third", 40, true),
            new Seed("50% off", "Output", 0, 25, "o'brien", 400, true),
            new Seed("under_score", "Input", 0, 30, null, 2, true),
            new Seed("Zeta", "Output", 0, 35, "fourth", 0, true));

    QueryFixture(DatabaseKind kind, Path tempDir) {
        server = TestServer.start(kind, tempDir);
        api = server.client();
        sessionOne = create("flowsessions", "{\"name\":\"run one\"}");
        sessionTwo = create("flowsessions", "{\"name\":\"run two\"}");
        for (Seed seed : SEEDS) {
            StringBuilder body = new StringBuilder("{\"name\":\"" + seed.name() + "\",\"type\":\"" + seed.type() + "\"");
            body.append(",\"flowsessionid@odata.bind\":\"/flowsessions(")
                    .append(seed.two() ? sessionTwo : sessionOne).append(")\"");
            if (seed.sequence() != null) {
                body.append(",\"importsequencenumber\":").append(seed.sequence());
            }
            if (seed.metadata() != null) {
                body.append(",\"metadata\":\"").append(seed.metadata()).append('"');
            }
            if (seed.daysAgo() > 0) {
                body.append(",\"overriddencreatedon\":\"")
                        .append(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(now.minusDays(seed.daysAgo())))
                        .append('"');
            }
            body.append('}');
            String id = create("flowsessionbinaries", body.toString());
            ids.put(seed.name(), id);
            if (seed.state() == 1) {
                Response deactivated = api.patch("flowsessionbinaries(" + id + ")",
                        "{\"statecode\":1,\"statuscode\":2}");
                assertEquals(204, deactivated.status(), deactivated.body());
            }
        }
    }

    String create(String entitySet, String body) {
        Response response = api.post(entitySet, body);
        assertEquals(204, response.status(), response.body());
        Matcher id = ENTITY_ID.matcher(response.header("OData-EntityId").orElseThrow());
        assertTrue(id.find());
        return id.group(1);
    }

    /** A query string from name, value pairs, each value URL-encoded as clients do. */
    static String query(String... pairs) {
        StringBuilder query = new StringBuilder();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            query.append(i == 0 ? "?" : "&").append(pairs[i]).append('=')
                    .append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return query.toString();
    }

    /** The names of the rows a successful query returns, in order. */
    static List<String> names(Response response) {
        assertEquals(200, response.status(), response.body());
        List<String> names = new ArrayList<>();
        for (JsonNode row : response.json().get("value")) {
            names.add(row.path("name").asText());
        }
        return names;
    }

    @Override
    public void close() {
        server.close();
    }
}
