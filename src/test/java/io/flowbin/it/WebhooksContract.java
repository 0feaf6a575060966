package io.flowbin.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.flowbin.testing.WebApiClient.Response;
import io.flowbin.testing.WebhookReceiver;
import io.flowbin.testing.WebhookReceiver.Received;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Remote handlers: webhooks called synchronously in the transaction and asynchronously through system jobs, with
 * the documented headers, authentication, payload, failure, timeout and retry rules; RabbitMQ queue endpoints; and
 * system jobs cancelled and retried through the Web API. A real HTTP receiver and the real broker take the calls.
 */
abstract class WebhooksContract extends ServerContract {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);

    EventsFixture fixture;
    WebhookReceiver receiver;
    String flowSession;

    @Override
    Map<String, String> settings() {
        return Map.of("FLOWBIN_EVENT_WEBHOOK_TIMEOUT", "2");
    }

    @Override
    void seed() {
        fixture = new EventsFixture(api);
        receiver = new WebhookReceiver();
        flowSession = api.create("flowsessions", "{\"name\":\"webhook run\"}");
    }

    @AfterEach
    void cleanUp() {
        fixture.removeRegistrations();
        receiver.answer(200);
        receiver.delay(Duration.ZERO);
    }

    @AfterAll
    void stopReceiver() {
        receiver.close();
    }

    String binary(String name) {
        return "{\"name\":\"" + name + "\",\"type\":\"Output\",\"flowsessionid@odata.bind\":\"/flowsessions("
                + flowSession + ")\"}";
    }

    static JsonNode body(Received request) {
        try {
            return JSON.readTree(request.body());
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + request.body(), e);
        }
    }

    static String parameter(JsonNode collection, String key) {
        for (JsonNode pair : collection) {
            if (pair.path("key").asText().equals(key)) {
                return pair.path("value").toString();
            }
        }
        return "";
    }

    @Test
    void synchronousWebhookGetsTheContextWithDocumentedHeadersAndHttpHeaderAuth() {
        String path = "/sync/" + UUID.randomUUID();
        String endpoint = fixture.webhook(receiver.url(path), 5,
                "<settings><setting name=\"x-api-key\" value=\"s3cr3t\" /></settings>");
        api.create("sdkmessageprocessingsteps", fixture.stepBody("Create", 20, 0, 1,
                EventsFixture.endpointHandler(endpoint), null, null));
        api.create("flowsessionbinaries", binary("hooked"));
        List<Received> calls = receiver.received(request -> request.path().equals(path));
        assertEquals(1, calls.size(), "a synchronous step is called before the response");
        Received call = calls.get(0);
        assertEquals("s3cr3t", call.header("x-api-key"));
        assertEquals("flowsessionbinary", call.header("x-ms-dynamics-entity-name"));
        assertEquals("Create", call.header("x-ms-dynamics-request-name"));
        assertFalse(call.header("x-ms-dynamics-organization").isEmpty());
        assertTrue(call.header("Content-Type").startsWith("application/json"));
        JsonNode context = body(call);
        assertEquals(call.header("x-ms-correlation-request-id"), context.path("CorrelationId").asText());
        assertEquals("Create", context.path("MessageName").asText());
        assertEquals(20, context.path("Stage").asInt());
        assertEquals(0, context.path("Mode").asInt());
        assertEquals(1, context.path("Depth").asInt());
        assertTrue(context.path("IsInTransaction").asBoolean());
        assertEquals("none", context.path("SecondaryEntityName").asText());
        JsonNode target = JSON.valueToTree(context.path("InputParameters").get(0).path("value"));
        assertEquals("Entity:http://schemas.microsoft.com/xrm/2011/Contracts", target.path("__type").asText());
        assertTrue(parameter(target.path("Attributes"), "name").contains("hooked"));
        assertTrue(parameter(target.path("Attributes"), "flowsessionid").contains("EntityReference:"));
        assertFalse(call.body().contains("s3cr3t"), "the secret is never in the payload");
        Response read = api.get("serviceendpoints(" + endpoint + ")");
        assertFalse(read.json().has("authvalue"), "authvalue is write-only");
    }

    @Test
    void failingSynchronousWebhookCancelsTheOperation() {
        String path = "/fail/" + UUID.randomUUID();
        String endpoint = fixture.webhook(receiver.url(path), 4, "function-key");
        api.create("sdkmessageprocessingsteps", fixture.stepBody("Create", 40, 0, 1,
                EventsFixture.endpointHandler(endpoint), null, null));
        long before = server.count("SELECT COUNT(*) FROM \"flowsessionbinary\"");
        receiver.answer(500);
        Response refused = api.post("flowsessionbinaries", binary("refused"));
        assertEquals(400, refused.status(), refused.body());
        assertEquals("0x80040265", refused.errorCode());
        assertTrue(refused.errorMessage().contains("HTTP 500"), refused.errorMessage());
        assertEquals(1, receiver.received(request -> request.path().equals(path)).size(), "500 is not retried");
        receiver.answer(503);
        assertEquals(400, api.post("flowsessionbinaries", binary("refused")).status());
        assertEquals(3, receiver.received(request -> request.path().equals(path)).size(),
                "503 gets exactly one more attempt");
        assertEquals(before, server.count("SELECT COUNT(*) FROM \"flowsessionbinary\""));
    }

    @Test
    void synchronousWebhookThatHangsTimesOutAndCancels() {
        String path = "/hang/" + UUID.randomUUID();
        String endpoint = fixture.webhook(receiver.url(path), 4, "function-key");
        api.create("sdkmessageprocessingsteps", fixture.stepBody("Create", 20, 0, 1,
                EventsFixture.endpointHandler(endpoint), null, null));
        receiver.delay(Duration.ofSeconds(5));
        long started = System.nanoTime();
        Response refused = api.post("flowsessionbinaries", binary("slow"));
        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        assertEquals(400, refused.status(), refused.body());
        assertTrue(refused.errorMessage().contains("did not answer within 2 seconds"), refused.errorMessage());
        assertTrue(seconds < 5, "the configured timeout, not the receiver, ends the call: " + seconds + " s");
    }

    @Test
    void asynchronousWebhookIsDeliveredAfterTheCommitWithWebhookKey() {
        String path = "/async/" + UUID.randomUUID();
        String endpoint = fixture.webhook(receiver.url(path), 4, "7d4f0b8e-key");
        String step = api.create("sdkmessageprocessingsteps", fixture.stepBody("Create", 40, 1, 1,
                EventsFixture.endpointHandler(endpoint), null, null));
        String id = api.create("flowsessionbinaries", binary("async hook"));
        List<Received> calls = receiver.await(request -> request.path().equals(path), 1, WAIT);
        assertEquals(1, calls.size());
        assertEquals("code=7d4f0b8e-key", calls.get(0).query());
        JsonNode context = body(calls.get(0));
        assertEquals(1, context.path("Mode").asInt());
        assertEquals(40, context.path("Stage").asInt());
        assertFalse(context.path("IsInTransaction").asBoolean());
        assertTrue(parameter(context.path("OutputParameters"), "id").contains(id));
        assertTrue(parameter(context.path("PostEntityImages"), "AsynchronousStepPrimaryName").contains("async hook"));
        assertEquals(step, context.path("OwningExtension").path("Id").asText());
        JsonNode job = fixture.jobsOf(step, 1, EventsFixture::completed, WAIT).get(0);
        assertEquals(30, job.path("statuscode").asInt(), job.toString());
    }

    @Test
    void asynchronousWebhookOnAssociateCarriesTheRelationshipAndTheRelatedEntities() {
        String path = "/associate/" + UUID.randomUUID();
        String endpoint = fixture.webhook(receiver.url(path), 4, "k");
        String step = api.create("sdkmessageprocessingsteps", fixture.stepBody("Associate", 40, 1, 1,
                EventsFixture.endpointHandler(endpoint), null, null));
        String target = api.create("flowsessions", "{\"name\":\"webhook link target\"}");
        String id = api.create("flowsessionbinaries", binary("linked by a hook"));
        Response linked = api.post("flowsessions(" + target + ")/flowsession_flowsessionbinary_flowsessionid/$ref",
                "{\"@odata.id\":\"" + server.serviceRoot() + "flowsessionbinaries(" + id + ")\"}");
        assertEquals(204, linked.status(), linked.body());
        List<Received> calls = receiver.await(request -> request.path().equals(path), 1, WAIT);
        assertEquals(1, calls.size());
        JsonNode context = body(calls.get(0));
        assertEquals("Associate", context.path("MessageName").asText());
        assertEquals("flowsession", context.path("PrimaryEntityName").asText());
        assertEquals(target, context.path("PrimaryEntityId").asText());
        assertEquals(1, context.path("Mode").asInt());
        JsonNode inputs = context.path("InputParameters");
        JsonNode relationship = inputValue(inputs, "Relationship");
        assertTrue(relationship.path("__type").asText().startsWith("Relationship:"), relationship.toString());
        assertTrue(relationship.path("SchemaName").asText()
                .equalsIgnoreCase("flowsession_flowsessionbinary_FlowSessionId"), relationship.toString());
        JsonNode related = inputValue(inputs, "RelatedEntities");
        assertTrue(related.isArray(), related.toString());
        assertEquals(1, related.size());
        assertEquals("flowsessionbinary", related.get(0).path("LogicalName").asText());
        assertEquals(id, related.get(0).path("Id").asText());
        assertEquals(target, inputValue(inputs, "Target").path("Id").asText());
        JsonNode job = fixture.jobsOf(step, 1, EventsFixture::completed, WAIT).get(0);
        assertEquals(30, job.path("statuscode").asInt(), job.toString());
    }

    static JsonNode inputValue(JsonNode collection, String key) {
        for (JsonNode pair : collection) {
            if (pair.path("key").asText().equals(key)) {
                return pair.path("value");
            }
        }
        throw new AssertionError(key + " is not in " + collection);
    }

    @Test
    void failedAsynchronousWebhookJobHoldsTheErrorAndCanBeRetried() {
        String path = "/retry/" + UUID.randomUUID();
        String endpoint = fixture.webhook(receiver.url(path), 6,
                "<settings><setting name=\"Key1\" value=\"Value 1\" /></settings>");
        String step = api.create("sdkmessageprocessingsteps", fixture.stepBody("Create", 40, 1, 1,
                EventsFixture.endpointHandler(endpoint), null, null));
        receiver.answer(500);
        api.create("flowsessionbinaries", binary("retried"));
        JsonNode job = fixture.jobsOf(step, 1, EventsFixture::completed, WAIT).get(0);
        assertEquals(31, job.path("statuscode").asInt(), job.toString());
        assertTrue(job.path("message").asText().contains("HTTP 500"), job.toString());
        assertEquals("Key1=Value+1", receiver.received(request -> request.path().equals(path)).get(0).query());
        receiver.answer(200);
        String jobId = job.path("asyncoperationid").asText();
        assertEquals(204, api.patch("asyncoperations(" + jobId + ")", "{\"statecode\":0,\"statuscode\":0}")
                .status());
        job = fixture.jobsOf(step, 1, candidate -> candidate.path("statuscode").asInt() == 30, WAIT).get(0);
        assertEquals(30, job.path("statuscode").asInt(), job.toString());
        assertEquals(2, receiver.received(request -> request.path().equals(path)).size());
        Response illegal = api.patch("asyncoperations(" + jobId + ")", "{\"statecode\":1,\"statuscode\":10}");
        assertEquals(400, illegal.status(), "a succeeded job cannot be paused");
        Response other = api.patch("asyncoperations(" + jobId + ")", "{\"name\":\"renamed\"}");
        assertEquals(400, other.status(), "only state and postponement of a job can change");
    }

    @Test
    void webhookThatDropsTheConnectionFailsTheJobAfterOneMoreAttempt() {
        String path = "/drop/" + UUID.randomUUID();
        String endpoint = fixture.webhook(receiver.url(path), 4, "k");
        String step = api.create("sdkmessageprocessingsteps", fixture.stepBody("Create", 40, 1, 1,
                EventsFixture.endpointHandler(endpoint), null, null));
        receiver.dropConnections(true);
        api.create("flowsessionbinaries", binary("dropped"));
        JsonNode job = fixture.jobsOf(step, 1, EventsFixture::completed, WAIT).get(0);
        receiver.dropConnections(false);
        assertEquals(31, job.path("statuscode").asInt(), job.toString());
        assertEquals(2, receiver.received(request -> request.path().equals(path)).size());
    }

    @Test
    void succeededJobsOfAutoDeleteStepsAreRemoved() {
        String path = "/autodelete/" + UUID.randomUUID();
        String endpoint = fixture.webhook(receiver.url(path), 4, "k");
        String step = api.create("sdkmessageprocessingsteps", fixture.stepBody("Create", 40, 1, 1,
                EventsFixture.endpointHandler(endpoint), null, null).replace("\"rank\"", "\"asyncautodelete\":true,"
                        + "\"rank\""));
        api.create("flowsessionbinaries", binary("auto delete"));
        assertEquals(1, receiver.await(request -> request.path().equals(path), 1, WAIT).size());
        JsonNode jobs = fixture.jobsOf(step, 0, candidate -> false, Duration.ofSeconds(2));
        assertEquals(0, jobs.size(), jobs.toString());
    }

    @Test
    void queueEndpointOfAnUnreachableBrokerWaitsAndCanBeCancelled() {
        String endpoint = api.create("serviceendpoints", "{\"name\":\"down\",\"contract\":6,\"authtype\":7,"
                + "\"namespaceaddress\":\"amqp://guest:guest@127.0.0.1:1/\",\"path\":\"nowhere\","
                + "\"connectionmode\":1}");
        Response sync = api.post("sdkmessageprocessingsteps", fixture.stepBody("Create", 40, 0, 1,
                EventsFixture.endpointHandler(endpoint), null, null));
        assertEquals(400, sync.status(), "queues take asynchronous steps only");
        String step = api.create("sdkmessageprocessingsteps", fixture.stepBody("Create", 40, 1, 1,
                EventsFixture.endpointHandler(endpoint), null, null));
        String id = api.create("flowsessionbinaries", binary("queued"));
        assertEquals(200, api.get("flowsessionbinaries(" + id + ")").status(), "the caller is not affected");
        JsonNode job = fixture.jobsOf(step, 1, candidate -> candidate.path("retrycount").asInt() >= 1, WAIT).get(0);
        assertEquals(10, job.path("statuscode").asInt(), job.toString());
        assertTrue(job.path("message").asText().contains("nowhere"), job.toString());
        String jobId = job.path("asyncoperationid").asText();
        assertEquals(204, api.patch("asyncoperations(" + jobId + ")", "{\"statecode\":3,\"statuscode\":32}")
                .status());
        job = fixture.jobsOf(step, 1, EventsFixture::completed, WAIT).get(0);
        assertEquals(32, job.path("statuscode").asInt(), job.toString());
    }

    @Test
    void asynchronousStepPublishesTheContextToARabbitMqQueue() throws Exception {
        String queue = "flowbin-test-" + UUID.randomUUID();
        String endpoint = api.create("serviceendpoints", "{\"name\":\"rabbit\",\"contract\":6,\"authtype\":7,"
                + "\"namespaceaddress\":\"amqp://127.0.0.1:5672/\",\"path\":\"" + queue + "\","
                + "\"saskeyname\":\"guest\",\"saskey\":\"guest\",\"messageformat\":2,\"connectionmode\":1}");
        String step = api.create("sdkmessageprocessingsteps", fixture.stepBody("Create", 40, 1, 1,
                EventsFixture.endpointHandler(endpoint), null, null));
        String id = api.create("flowsessionbinaries", binary("to the broker"));
        JsonNode job = fixture.jobsOf(step, 1, EventsFixture::completed, WAIT).get(0);
        assertEquals(30, job.path("statuscode").asInt(), job.toString());
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setPort(5672);
        try (Connection connection = factory.newConnection(); Channel channel = connection.createChannel()) {
            GetResponse message = channel.basicGet(queue, true);
            assertTrue(message != null, "the queue holds the message");
            JsonNode context = JSON.readTree(new String(message.getBody(), StandardCharsets.UTF_8));
            assertEquals("Create", context.path("MessageName").asText());
            assertTrue(parameter(context.path("OutputParameters"), "id").contains(id));
            assertEquals(job.path("asyncoperationid").asText(), message.getProps().getMessageId());
            assertEquals("flowsessionbinary", message.getProps().getHeaders()
                    .get("http://schemas.microsoft.com/xrm/2011/Claims/EntityLogicalName").toString());
            assertEquals(2, message.getProps().getDeliveryMode());
            channel.queueDelete(queue);
        }
    }
}
