package io.flowbin.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.flowbin.security.DevTokens;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The event benchmark against a running server: creates per second with no step, with one asynchronous webhook
 * step and with one synchronous PreOperation plug-in (baseline measured before and after, ratios against its
 * mean), then a fixed rate of creates to a local webhook receiver with the backlog of undelivered events sampled
 * every five seconds and the time to drain it. Prints Markdown. Not a test.
 */
final class EventsBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ENTITY_ID = Pattern.compile("\\(([0-9a-f-]{36})\\)$");

    private final String root;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newFixedThreadPool(8)).build();
    private final Set<String> deliveredKeys = ConcurrentHashMap.newKeySet();
    private final AtomicLong deliveries = new AtomicLong();
    private String session = "";

    private EventsBench(String root, String token) {
        this.root = root;
        this.token = token;
    }

    public static void main(String[] args) throws Exception {
        String root = "http://127.0.0.1:" + AdminToken.requiredEnv("FLOWBIN_PORT") + "/api/data/v9.2/";
        String token = DevTokens.of(AdminToken.requiredEnv("FLOWBIN_JWT_SECRET").getBytes(StandardCharsets.UTF_8))
                .mint(UUID.fromString(AdminToken.requiredEnv("FLOWBIN_ADMIN_OID")), Duration.ofHours(2));
        int seconds = Integer.parseInt(System.getenv().getOrDefault("BENCH_SECONDS", "15"));
        int connections = Integer.parseInt(System.getenv().getOrDefault("BENCH_CONNECTIONS", "16"));
        int rate = Integer.parseInt(System.getenv().getOrDefault("BENCH_EVENT_RATE", "1000"));
        int rateSeconds = Integer.parseInt(System.getenv().getOrDefault("BENCH_EVENT_RATE_SECONDS", "60"));
        EventsBench bench = new EventsBench(root, token);
        if (args.length > 0 && args[0].equals("outbox")) {
            bench.outboxOnly(seconds, connections);
        } else {
            bench.run(seconds, connections, rate, rateSeconds);
        }
        System.exit(0);
    }

    private void run(int seconds, int connections, int rate, int rateSeconds) throws Exception {
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        ExecutorService receiverThreads = Executors.newFixedThreadPool(8);
        receiver.setExecutor(receiverThreads);
        receiver.createContext("/", exchange -> {
            try (exchange) {
                JsonNode context = JSON.readTree(exchange.getRequestBody().readAllBytes());
                deliveredKeys.add(context.path("OperationId").asText() + "/"
                        + context.path("OwningExtension").path("Id").asText());
                deliveries.incrementAndGet();
                exchange.sendResponseHeaders(200, -1);
            }
        });
        receiver.start();
        String hook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
        session = create("flowsessions", "{\"name\":\"events bench\"}");
        String endpoint = create("serviceendpoints", "{\"name\":\"bench hook\",\"contract\":8,\"url\":\"" + hook
                + "\",\"authtype\":4,\"authvalue\":\"bench\",\"connectionmode\":1}");
        String createMessage = first("sdkmessages?$select=sdkmessageid&$filter=name%20eq%20'Create'", "sdkmessageid");
        String filter = first("sdkmessagefilters?$select=sdkmessagefilterid&$filter=sdkmessageid/name%20eq%20"
                + "'Create'%20and%20primaryobjecttypecode%20eq%20'flowsessionbinary'", "sdkmessagefilterid");
        String pluginType = first("plugintypes?$select=plugintypeid&$filter=typename%20eq%20"
                + "'io.flowbin.bench.StampPlugin'", "plugintypeid");

        measure(seconds, connections); // warm-up: the JIT settles before the baseline
        measure(seconds, connections);
        double before = measure(seconds, connections);
        String async = create("sdkmessageprocessingsteps", step(createMessage, filter, 40, 1,
                "\"eventhandler_serviceendpoint@odata.bind\":\"/serviceendpoints(" + endpoint + ")\"", null));
        double withAsync = measure(seconds, connections);
        long drainStarted = System.nanoTime();
        drain(Duration.ofMinutes(5));
        double asyncDrain = (System.nanoTime() - drainStarted) / 1e9;
        long asyncDelivered = deliveredKeys.size();
        delete("sdkmessageprocessingsteps(" + async + ")");
        // the rate drifts up over a run (the JIT, the machine): each scenario is compared with the rounds beside it
        double between = measure(seconds, connections);
        String sync = create("sdkmessageprocessingsteps", step(createMessage, filter, 20, 0,
                "\"eventhandler_plugintype@odata.bind\":\"/plugintypes(" + pluginType + ")\"", null));
        double withSync = measure(seconds, connections);
        delete("sdkmessageprocessingsteps(" + sync + ")");
        double after = measure(seconds, connections);

        System.out.println("## Create with and without steps (" + seconds + " s each, " + connections
                + " connections)");
        System.out.println();
        System.out.println("| Scenario | Creates/s | Ratio to no step | Target |");
        System.out.println("|---|---|---|---|");
        System.out.printf(Locale.ROOT, "| no step (first / between / last round) | %.0f / %.0f / %.0f | 1.00 | |%n",
                before, between, after);
        System.out.printf(Locale.ROOT, "| one asynchronous webhook step, delivered by the same node meanwhile | %.0f"
                + " | %.2f | >= 0.80 |%n", withAsync, withAsync / ((before + between) / 2));
        System.out.printf(Locale.ROOT, "| one synchronous PreOperation plug-in | %.0f | %.2f | >= 0.90 |%n",
                withSync, withSync / ((between + after) / 2));
        System.out.printf(Locale.ROOT, "%nThe %d events of the asynchronous scenario were delivered %.1f s after its"
                + " last create.%n", asyncDelivered, asyncDrain);
        System.out.println();

        String delivery = create("sdkmessageprocessingsteps", step(createMessage, filter, 40, 1,
                "\"eventhandler_serviceendpoint@odata.bind\":\"/serviceendpoints(" + endpoint + ")\"", null));
        deliveredKeys.clear();
        deliveries.set(0);
        System.out.println("## Delivery at " + rate + " creates/s for " + rateSeconds + " s");
        System.out.println();
        System.out.println("| Second | Created | Delivered | Backlog |");
        System.out.println("|---|---|---|---|");
        AtomicLong created = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long start = System.nanoTime();
        Thread load = Thread.ofPlatform().start(() -> paced(rate, rateSeconds, connections, created, failed));
        for (int second = 5; second <= rateSeconds; second += 5) {
            sleepUntil(start + Duration.ofSeconds(second).toNanos());
            long done = created.get();
            int delivered = deliveredKeys.size();
            System.out.printf(Locale.ROOT, "| %d | %d | %d | %d |%n", second, done, delivered, done - delivered);
        }
        load.join();
        long total = created.get();
        long drainStart = System.nanoTime();
        while (deliveredKeys.size() < total && System.nanoTime() - drainStart < Duration.ofMinutes(10).toNanos()) {
            Thread.sleep(100);
        }
        double drainSeconds = (System.nanoTime() - drainStart) / 1e9;
        double offered = total / (double) rateSeconds;
        System.out.println();
        System.out.printf(Locale.ROOT, "Created %d rows (%.0f/s achieved, %d failed requests); delivered %d distinct"
                + " events (%d calls) %.1f s after the last create.%n", total, offered, failed.get(),
                deliveredKeys.size(), deliveries.get(), drainSeconds);
        delete("sdkmessageprocessingsteps(" + delivery + ")");
        receiver.stop(0);
        receiverThreads.shutdownNow();
    }

    /**
     * Against a node that delivers nothing ({@code FLOWBIN_EVENT_WORKERS=0}, as an API node beside delivery nodes):
     * creates per second with no step and with one asynchronous webhook step, so that the ratio is the cost of
     * writing the job in the operation's transaction alone. The jobs stay queued; the node's database is dropped.
     */
    private void outboxOnly(int seconds, int connections) throws Exception {
        session = create("flowsessions", "{\"name\":\"events bench\"}");
        String endpoint = create("serviceendpoints", "{\"name\":\"bench hook\",\"contract\":8,\"url\":"
                + "\"http://127.0.0.1:9/hook\",\"authtype\":4,\"authvalue\":\"bench\",\"connectionmode\":1}");
        String createMessage = first("sdkmessages?$select=sdkmessageid&$filter=name%20eq%20'Create'", "sdkmessageid");
        String filter = first("sdkmessagefilters?$select=sdkmessagefilterid&$filter=sdkmessageid/name%20eq%20"
                + "'Create'%20and%20primaryobjecttypecode%20eq%20'flowsessionbinary'", "sdkmessagefilterid");
        measure(seconds, connections); // warm-up
        measure(seconds, connections);
        double before = measure(seconds, connections);
        String async = create("sdkmessageprocessingsteps", step(createMessage, filter, 40, 1,
                "\"eventhandler_serviceendpoint@odata.bind\":\"/serviceendpoints(" + endpoint + ")\"", null));
        double withAsync = measure(seconds, connections);
        long queued = get("asyncoperations?$select=asyncoperationid&$count=true&$top=1&$filter=statecode%20eq%200")
                .path("@odata.count").asLong();
        // disabled rather than deleted: deleting would unlink every queued job first
        patch("sdkmessageprocessingsteps(" + async + ")", "{\"statecode\":1,\"statuscode\":2}");
        double after = measure(seconds, connections);
        double baseline = (before + after) / 2;
        System.out.println("## Create with and without an asynchronous step, on a node that does not deliver ("
                + seconds + " s each, " + connections + " connections)");
        System.out.println();
        System.out.println("| Scenario | Creates/s | Ratio to no step | Target |");
        System.out.println("|---|---|---|---|");
        System.out.printf(Locale.ROOT, "| no step (before / after) | %.0f / %.0f | 1.00 | |%n", before, after);
        System.out.printf(Locale.ROOT, "| one asynchronous webhook step (job written, not delivered) | %.0f | %.2f |"
                + " >= 0.80 |%n", withAsync, withAsync / baseline);
        System.out.printf(Locale.ROOT, "%nJobs left Waiting by the asynchronous round: %s.%n%n", queued >= 5000
                ? "5,000 or more (the count stops there, as Dataverse's does)" : Long.toString(queued));
    }

    private String step(String message, String filter, int stage, int mode, String handler, String config) {
        return "{\"name\":\"bench step " + stage + "/" + mode + "\",\"stage\":" + stage + ",\"mode\":" + mode
                + ",\"rank\":1,\"sdkmessageid@odata.bind\":\"/sdkmessages(" + message + ")\","
                + "\"sdkmessagefilterid@odata.bind\":\"/sdkmessagefilters(" + filter + ")\"," + handler
                + (config == null ? "" : ",\"configuration\":\"" + config + "\"") + "}";
    }

    /** Creates per second over {@code seconds} with {@code connections} clients sending back to back. */
    private double measure(int seconds, int connections) throws InterruptedException {
        AtomicLong done = new AtomicLong();
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            clients.add(Thread.ofPlatform().start(() -> {
                while (System.nanoTime() < end) {
                    if (post("flowsessionbinaries", binary()) == 204) {
                        done.incrementAndGet();
                    }
                }
            }));
        }
        for (Thread client : clients) {
            client.join();
        }
        return done.get() / (double) seconds;
    }

    /** Creates at a fixed rate (as far as the server keeps up) for {@code seconds}. */
    private void paced(int rate, int seconds, int connections, AtomicLong created, AtomicLong failed) {
        long start = System.nanoTime();
        long total = (long) rate * seconds;
        AtomicLong next = new AtomicLong();
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < connections * 2; i++) {
            clients.add(Thread.ofPlatform().start(() -> {
                long index;
                while ((index = next.getAndIncrement()) < total) {
                    sleepUntil(start + index * 1_000_000_000L / rate);
                    if (post("flowsessionbinaries", binary()) == 204) {
                        created.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                    }
                }
            }));
        }
        for (Thread client : clients) {
            try {
                client.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void drain(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            JsonNode jobs = get("asyncoperations?$select=asyncoperationid&$top=1&$filter=statecode%20ne%203");
            if (jobs.path("value").isEmpty()) {
                return;
            }
            Thread.sleep(500);
        }
    }

    private String binary() {
        return "{\"name\":\"bench\",\"type\":\"Output\",\"mimetype\":\"application/json\",\"metadata\":\"{}\","
                + "\"flowsessionid@odata.bind\":\"/flowsessions(" + session + ")\"}";
    }

    private static void sleepUntil(long nanoTime) {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            try {
                Thread.sleep(Duration.ofNanos(wait));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(root + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token).header("Accept", "application/json")
                .header("OData-MaxVersion", "4.0").header("OData-Version", "4.0");
    }

    private int post(String path, String body) {
        try {
            return http.send(request(path).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private String create(String set, String body) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request(set).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        Matcher id = ENTITY_ID.matcher(response.headers().firstValue("OData-EntityId").orElse(""));
        if (response.statusCode() != 204 || !id.find()) {
            throw new IllegalStateException("Create in " + set + " answered " + response.statusCode() + " "
                    + response.body());
        }
        return id.group(1);
    }

    private void patch(String path, String body) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request(path).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 204) {
            throw new IllegalStateException("PATCH " + path + " answered " + response.statusCode() + ": "
                    + response.body());
        }
    }

    private void delete(String path) throws IOException, InterruptedException {
        http.send(request(path).DELETE().build(), HttpResponse.BodyHandlers.discarding());
    }

    private JsonNode get(String path) {
        try {
            return JSON.readTree(http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString()).body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String first(String path, String column) {
        return get(path).path("value").get(0).path(column).asText();
    }
}
