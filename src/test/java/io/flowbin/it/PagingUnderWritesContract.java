package io.flowbin.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowbin.testing.DatabaseKind;
import io.flowbin.testing.TestServer;
import io.flowbin.testing.WebApiClient;
import io.flowbin.testing.WebApiClient.Response;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keyset paging stays exact while rows come and go: a client walks 20,000 rows page by page, newest first, while
 * another client inserts rows (among them, through {@code overriddencreatedon}, rows inside the walked range) and
 * deletes rows. Every row present throughout the walk is returned exactly once, and no row twice.
 */
abstract class PagingUnderWritesContract {
    private static final int ROWS = 20_000;
    private static final int PAGE = 500;
    private static final OffsetDateTime BASE = OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

    abstract DatabaseKind kind();

    @Test
    void aWalkThroughChangingRowsReturnsEveryStableRowOnce(@TempDir Path tempDir) throws Exception {
        try (TestServer server = TestServer.start(kind(), tempDir)) {
            WebApiClient api = server.client();
            Response session = api.post("flowsessions", "{\"name\":\"walk\"}");
            String location = session.header("OData-EntityId").orElseThrow();
            UUID sessionId = UUID.fromString(location.substring(location.lastIndexOf('(') + 1, location.length() - 1));
            List<UUID> seeded = seed(server, sessionId);

            Set<UUID> deleted = ConcurrentHashMap.newKeySet();
            AtomicBoolean walking = new AtomicBoolean(true);
            AtomicInteger writes = new AtomicInteger();
            ExecutorService writer = Executors.newSingleThreadExecutor();
            Future<?> writing = writer.submit(() -> {
                Random random = new Random(7);
                while (walking.get()) {
                    UUID victim = seeded.get(random.nextInt(seeded.size()));
                    if (deleted.add(victim)) {
                        Response gone = api.delete("flowsessionbinaries(" + victim + ")");
                        assertEquals(204, gone.status(), gone.body());
                    }
                    String createdOn = DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                            BASE.plusSeconds(random.nextInt(ROWS / 3)));
                    Response created = api.post("flowsessionbinaries", "{\"name\":\"inserted\","
                            + "\"overriddencreatedon\":\"" + createdOn + "\",\"flowsessionid@odata.bind\":"
                            + "\"/flowsessions(" + sessionId + ")\"}");
                    assertEquals(204, created.status(), created.body());
                    writes.incrementAndGet();
                }
                return null;
            });

            List<UUID> walked = new ArrayList<>();
            String next = "flowsessionbinaries?$select=createdon&$filter=statecode%20eq%200"
                    + "&$orderby=createdon%20desc";
            int pages = 0;
            try {
                while (next != null) {
                    Response page = api.get(next, "Prefer", "odata.maxpagesize=" + PAGE);
                    assertEquals(200, page.status(), page.body());
                    for (JsonNode row : page.json().get("value")) {
                        walked.add(UUID.fromString(row.get("flowsessionbinaryid").asText()));
                    }
                    JsonNode link = page.json().get("@odata.nextLink");
                    next = link == null ? null : link.asText();
                    pages++;
                    // let the writer interleave with the walk
                    Thread.sleep(20);
                }
            } finally {
                walking.set(false);
                writing.get(60, TimeUnit.SECONDS);
                writer.shutdown();
            }

            Set<UUID> unique = new HashSet<>(walked);
            assertEquals(walked.size(), unique.size(), "a row was returned twice");
            List<UUID> missing = new ArrayList<>();
            for (UUID id : seeded) {
                if (!deleted.contains(id) && !unique.contains(id)) {
                    missing.add(id);
                }
            }
            assertEquals(List.of(), missing, "rows present throughout the walk were skipped");
            assertTrue(writes.get() > 10, "the writer ran during the walk: " + writes.get() + " writes");
            assertTrue(pages >= ROWS / PAGE - 1, pages + " pages");
            server.assertNoLeakedConnections();
        }
    }

    /** 20,000 rows straight into the table; every third creation time is shared, so ties cross page borders. */
    private static List<UUID> seed(TestServer server, UUID sessionId) {
        UUID owner = server.server().organization().adminUserId();
        List<UUID> ids = new ArrayList<>();
        server.server().database().inTransaction(tx -> {
            try (PreparedStatement insert = tx.connection().prepareStatement("INSERT INTO \"flowsessionbinary\""
                    + " (\"flowsessionbinaryid\", \"flowsessionid\", \"name\", \"statecode\", \"statuscode\","
                    + " \"createdon\", \"modifiedon\", \"ownerid\", \"owneridtype\", \"owninguser\","
                    + " \"versionnumber\") VALUES (?, ?, ?, 0, 1, ?, ?, ?, 'systemuser', ?, ?)")) {
                for (int i = 0; i < ROWS; i++) {
                    UUID id = UUID.randomUUID();
                    ids.add(id);
                    OffsetDateTime createdOn = BASE.plusSeconds(i / 3);
                    insert.setObject(1, id);
                    insert.setObject(2, sessionId);
                    insert.setString(3, "row " + i);
                    insert.setObject(4, createdOn);
                    insert.setObject(5, createdOn);
                    insert.setObject(6, owner);
                    insert.setObject(7, owner);
                    insert.setLong(8, tx.nextVersion());
                    insert.addBatch();
                    if (i % 1000 == 999) {
                        insert.executeBatch();
                    }
                }
                insert.executeBatch();
            }
            return null;
        });
        return ids;
    }
}
