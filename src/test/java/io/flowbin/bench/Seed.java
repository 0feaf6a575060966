package io.flowbin.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills a running server through its Web API: one flowsession and N flowsessionbinary rows in it, created by 16
 * concurrent clients. Writes the row ids to a file, one a line, and prints the flowsession id.
 * Arguments: Web API root (ending in /api/data/v9.2/), row count, ids file; the token comes from BENCH_TOKEN.
 */
final class Seed {

    private static final Pattern ENTITY_ID = Pattern.compile("\\(([0-9a-fA-F-]{36})\\)$");
    private static final int CLIENTS = 16;

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final String apiRoot;
    private final String token;

    private Seed(String apiRoot, String token) {
        this.apiRoot = apiRoot;
        this.token = token;
    }

    public static void main(String[] args) throws IOException, InterruptedException, ExecutionException {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: Seed <web api root> <row count> <ids file>");
        }
        Seed seed = new Seed(args[0], AdminToken.requiredEnv("BENCH_TOKEN"));
        String flowSessionId = seed.create("flowsessions", "{\"name\":\"bench\"}");
        List<String> ids = seed.createBinaries(flowSessionId, Integer.parseInt(args[1]));
        Files.write(Path.of(args[2]), ids);
        System.out.println(flowSessionId);
    }

    private List<String> createBinaries(String flowSessionId, int count)
            throws InterruptedException, ExecutionException {
        List<Future<String>> pending = new ArrayList<>(count);
        try (ExecutorService clients = Executors.newFixedThreadPool(CLIENTS)) {
            for (int index = 0; index < count; index++) {
                String body = """
                        {"name":"bench-%d","type":"Input","mimetype":"application/octet-stream",\
                        "metadata":"{\\"index\\":%d}","flowsessionid@odata.bind":"/flowsessions(%s)"}\
                        """.formatted(index, index, flowSessionId);
                pending.add(clients.submit(() -> create("flowsessionbinaries", body)));
            }
        }
        List<String> ids = new ArrayList<>(count);
        for (Future<String> id : pending) {
            ids.add(id.get());
        }
        return ids;
    }

    private String create(String entitySet, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(apiRoot + entitySet))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json")
                .header("Content-Type", "application/json; charset=utf-8")
                .header("OData-MaxVersion", "4.0")
                .header("OData-Version", "4.0")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        String entityId = response.headers().firstValue("OData-EntityId").orElse("");
        Matcher matcher = ENTITY_ID.matcher(entityId);
        if (response.statusCode() != 204 || !matcher.find()) {
            throw new IOException("POST " + entitySet + " answered " + response.statusCode() + " with OData-EntityId '"
                    + entityId + "': " + response.body());
        }
        return matcher.group(1);
    }
}
