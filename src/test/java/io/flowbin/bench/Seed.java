package io.flowbin.bench;

import io.flowbin.testing.WebApiClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Thread-safe.
 */
final class Seed {

    private static final Pattern ENTITY_ID = Pattern.compile("\\(([0-9a-fA-F-]{36})\\)$");
    private static final int CLIENTS = 16;

    private final WebApiClient client;

    private Seed(WebApiClient client) {
        this.client = client;
    }

    public static void main(String[] args) throws IOException, InterruptedException, ExecutionException {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: Seed <web api root> <row count> <ids file>");
        }
        Seed seed = new Seed(new WebApiClient(args[0], AdminToken.requiredEnv("BENCH_TOKEN")));
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

    private String create(String entitySet, String body) {
        WebApiClient.Response response = client.post(entitySet, body);
        String entityId = response.header("OData-EntityId").orElse("");
        Matcher matcher = ENTITY_ID.matcher(entityId);
        if (response.status() != 204 || !matcher.find()) {
            throw new IllegalStateException("POST " + entitySet + " answered " + response.status()
                    + " with OData-EntityId '" + entityId + "': " + response.body());
        }
        return matcher.group(1);
    }
}
