package io.flowbin.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;

/**
 * A client paging through a query as dynamics-web-api's retrieveAll does: follows {@code @odata.nextLink} with
 * {@code Prefer: odata.maxpagesize}. Mode {@code walk} reads every page and prints the rows, pages and seconds; mode
 * {@code link N} prints the next link that leads to page N. Arguments: mode, [N,] page size, first URL; the token in
 * BENCH_TOKEN.
 */
final class QueryWalk {
    private QueryWalk() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        boolean link = args[0].equals("link");
        int target = link ? Integer.parseInt(args[1]) : 0;
        int pageSize = Integer.parseInt(args[link ? 2 : 1]);
        String next = args[link ? 3 : 2];
        String token = System.getenv("BENCH_TOKEN");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        ObjectMapper json = new ObjectMapper();
        long rows = 0;
        int pages = 0;
        long started = System.nanoTime();
        while (next != null) {
            if (link && pages + 1 == target) {
                System.out.println(next);
                return;
            }
            HttpRequest request = HttpRequest.newBuilder(URI.create(next))
                    .header("Authorization", "Bearer " + token)
                    .header("Accept", "application/json")
                    .header("Prefer", "odata.maxpagesize=" + pageSize)
                    .timeout(Duration.ofMinutes(2))
                    .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("page " + (pages + 1) + " answered " + response.statusCode() + ": "
                        + response.body());
            }
            JsonNode body = json.readTree(response.body());
            rows += body.get("value").size();
            pages++;
            JsonNode nextLink = body.get("@odata.nextLink");
            next = nextLink == null ? null : nextLink.asText();
        }
        if (link) {
            throw new IllegalStateException("the walk ended after " + pages + " pages, before page " + target);
        }
        System.out.printf(Locale.ROOT, "rows=%d%npages=%d%nseconds=%.1f%n", rows, pages,
                (System.nanoTime() - started) / 1e9);
    }
}
