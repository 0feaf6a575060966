package io.flowbin.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowbin.data.DatabaseSettings;
import io.flowbin.security.DevTokens;
import io.flowbin.testing.Ports;
import io.flowbin.testing.ServerProcess;
import io.flowbin.testing.TestDatabases;
import io.flowbin.testing.WebApiClient;
import io.flowbin.testing.WebhookReceiver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server killed with SIGKILL after it committed rows whose asynchronous webhook step it had not yet delivered
 * loses no event: after a restart every committed row's context reaches the receiver, and counted by the
 * idempotency key of the context ({@code OperationId} with {@code OwningExtension}) each exactly once; only events
 * of the batch the worker held at the kill (delivered, not yet recorded) may arrive twice. The server runs as a
 * separate JVM on the test's class path.
 */
final class EventCrashSafetyTest {
    private static final String SECRET = "crash-test-secret-of-at-least-thirty-two-bytes";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ROWS = 40;

    @Test
    void committedEventsAreDeliveredExactlyOnceAfterAKillOnEmbeddedH2(@TempDir Path dir) {
        Map<String, String> env = baseEnvironment(dir);
        // H2 keeps the last commits in memory for WRITE_DELAY ms (500 by default); a SIGKILL loses them, so the
        // guarantee needs the delay off (docs/compatibility.md, Events)
        env.put("FLOWBIN_DB_URL", "jdbc:h2:file:" + dir.resolve("db").resolve("flowbin").toAbsolutePath()
                + ";DB_CLOSE_ON_EXIT=FALSE;DEFAULT_LOCK_TIMEOUT=10000;WRITE_DELAY=0");
        killAfterCommitBeforeDelivery(env);
    }

    @Test
    void committedEventsAreDeliveredExactlyOnceAfterAKillOnPostgres(@TempDir Path dir) {
        Map<String, String> env = baseEnvironment(dir);
        DatabaseSettings database = TestDatabases.postgres();
        env.put("FLOWBIN_DB_URL", database.jdbcUrl());
        if (database.user() != null) {
            env.put("FLOWBIN_DB_USER", database.user());
        }
        try {
            killAfterCommitBeforeDelivery(env);
        } finally {
            TestDatabases.dropCreatedDatabases();
        }
    }

    private static void killAfterCommitBeforeDelivery(Map<String, String> env) {
        String root = "http://127.0.0.1:" + env.get("FLOWBIN_PORT") + "/api/data/v9.2/";
        String token = DevTokens.of(SECRET.getBytes(StandardCharsets.UTF_8))
                .mint(UUID.fromString(env.get("FLOWBIN_ADMIN_OID")), Duration.ofHours(1));
        WebApiClient api = new WebApiClient(root, token);
        List<String> rows = new ArrayList<>();
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.delay(Duration.ofMillis(300)); // slow receiver: a backlog builds up before the kill
            Process server = ServerProcess.start(env, root);
            try {
                EventsFixture fixture = new EventsFixture(api);
                String endpoint = fixture.webhook(receiver.url("/crash"), 4, "k");
                api.create("sdkmessageprocessingsteps", fixture.stepBody("Create", 40, 1, 1,
                        EventsFixture.endpointHandler(endpoint), null, null));
                String session = api.create("flowsessions", "{\"name\":\"crash\"}");
                for (int i = 0; i < ROWS; i++) {
                    rows.add(api.create("flowsessionbinaries", "{\"name\":\"row " + i + "\","
                            + "\"flowsessionid@odata.bind\":\"/flowsessions(" + session + ")\"}"));
                }
            } finally {
                server.destroyForcibly(); // SIGKILL after the commits: no shutdown hook runs
                ServerProcess.awaitExit(server);
            }
            int beforeRestart = receiver.received(request -> true).size();
            assertTrue(beforeRestart < ROWS, "the kill came before every event was delivered (" + beforeRestart
                    + " of " + ROWS + ")");
            receiver.delay(Duration.ZERO);
            env.put("FLOWBIN_EVENT_WORKERS", "4");
            Process restarted = ServerProcess.start(env, root);
            try {
                List<WebhookReceiver.Received> received = receiver.await(request -> true, ROWS,
                        Duration.ofSeconds(60));
                Set<String> keys = new HashSet<>();
                Set<String> ids = new HashSet<>();
                for (WebhookReceiver.Received request : received) {
                    JsonNode context = JSON.readTree(request.body());
                    keys.add(context.path("OperationId").asText() + "/"
                            + context.path("OwningExtension").path("Id").asText());
                    ids.add(context.path("PrimaryEntityId").asText());
                }
                assertEquals(ROWS, keys.size(), "every committed event arrived; jobs: " + api.get(
                        "asyncoperations?$select=statecode,statuscode,message,retrycount").body());
                assertEquals(new HashSet<>(rows), ids);
                assertTrue(received.size() - keys.size() <= 16, (received.size() - keys.size())
                        + " duplicates: only the batch the single worker held at the kill may repeat");
                // a job is marked completed after its webhook call returns: the last ones may trail the receiver
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                int completed = completedJobs(api);
                while (completed < ROWS && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                    completed = completedJobs(api);
                }
                assertEquals(ROWS, completed, "every job is recorded as completed");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for the jobs", e);
            } finally {
                restarted.destroy();
                ServerProcess.awaitExit(restarted);
            }
        }
    }

    private static int completedJobs(WebApiClient api) {
        return api.get("asyncoperations?$select=statuscode&$filter=statecode%20eq%203").json().path("value").size();
    }

    private static Map<String, String> baseEnvironment(Path dir) {
        Map<String, String> env = new HashMap<>();
        env.put("FLOWBIN_PORT", Integer.toString(Ports.free()));
        env.put("FLOWBIN_DATA_DIR", dir.resolve("data").toString());
        env.put("FLOWBIN_JWT_SECRET", SECRET);
        env.put("FLOWBIN_ADMIN_OID", UUID.randomUUID().toString());
        env.put("FLOWBIN_EVENT_WORKERS", "1");
        env.put("FLOWBIN_EVENT_JOB_LEASE", "5");
        env.put("FLOWBIN_EVENT_WEBHOOK_TIMEOUT", "2");
        return env;
    }
}
