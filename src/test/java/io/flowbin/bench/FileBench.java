package io.flowbin.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures file transfers and their baselines; prints {@code name=value} lines (MB/s are 10^6 bytes a second).
 * Modes:
 * <ul>
 *   <li>{@code disk <dir> <count> <bytes>}: writes files straight to the folder with fsync (the disk baseline);
 *   <li>{@code static <url> <count>}: downloads a static file (the HTTP baseline);
 *   <li>{@code server <web api root> <count> <bytes> <static copy> <disk dir>}: single and chunked uploads, raw and
 *       JSON downloads of the File column {@code data}, one transfer at a time, each form after
 *       {@value #WARM_UP_TRANSFERS} warm-up transfers; writes the uploaded file's bytes to {@code <static copy>} for
 *       the static baseline. Each upload form is measured in {@value #ROUNDS} rounds, and in each round beside a
 *       batch of the same files written to {@code <disk dir>} with fsync (the disk baseline), the two batches in
 *       alternating order, each after the same {@value #IDLE_MILLIS} ms pause (the virtual disk here writes far
 *       faster after a pause, so a batch must not inherit the other side's idle time); the medians of the rounds
 *       are printed. The uploads run with Java's HttpClient and again with {@link LeanClient};
 *   <li>{@code sink <url> <count> <bytes>}: single uploads by Java's HttpClient and by {@link LeanClient} to a
 *       handler that discards the body (the clients' own ceiling on this machine), one at a time after
 *       {@value #WARM_UP_TRANSFERS} warm-up transfers;
 *   <li>{@code rows <web api root> <count>}: creates rows and prints their ids (for uploads by curl);
 *   <li>{@code concurrent <web api root> <parallel> <bytes>}: that many single uploads at once.
 * </ul>
 * The token comes from BENCH_TOKEN. Every failed transfer is counted in {@code errors}.
 */
final class FileBench {
    private static final Pattern ENTITY_ID = Pattern.compile("\\(([0-9a-fA-F-]{36})\\)$");
    private static final int CHUNK = 4 * 1024 * 1024;
    /** Transfers of each form before it is measured, so that the server's code is compiled. */
    private static final int WARM_UP_TRANSFERS = 3;
    /** Rounds of (disk batch, upload batch) per upload form. */
    private static final int ROUNDS = 3;
    /** Pause before every measured batch, the same for uploads and disk writes. */
    private static final long IDLE_MILLIS = 1000;
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final String root;
    private final String token;
    private int errors;

    private FileBench(String root, String token) {
        this.root = root;
        this.token = token;
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "disk" -> disk(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            case "static" -> staticFile(args[1], Integer.parseInt(args[2]));
            case "sink" -> sink(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            case "server" -> new FileBench(args[1], AdminToken.requiredEnv("BENCH_TOKEN"))
                    .server(Integer.parseInt(args[2]), Integer.parseInt(args[3]), Path.of(args[4]), Path.of(args[5]));
            case "rows" -> new FileBench(args[1], AdminToken.requiredEnv("BENCH_TOKEN")).rows(Integer.parseInt(args[2]));
            case "concurrent" -> new FileBench(args[1], AdminToken.requiredEnv("BENCH_TOKEN"))
                    .concurrent(Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    private static void disk(Path dir, int count, int bytes) throws IOException {
        byte[] content = random(bytes);
        Files.createDirectories(dir);
        long nanos = 0;
        for (int i = 0; i < count; i++) {
            nanos += writeWithFsync(dir.resolve("baseline-" + i), content);
        }
        print("disk_write", (long) count * bytes, nanos);
        for (int i = 0; i < count; i++) {
            Files.delete(dir.resolve("baseline-" + i));
        }
    }

    /** Writes the file straight to the disk with fsync, as the disk baseline does; returns the nanoseconds taken. */
    private static long writeWithFsync(Path file, byte[] content) throws IOException {
        long started = System.nanoTime();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        return System.nanoTime() - started;
    }

    private static void staticFile(String url, int count) throws Exception {
        long bytes = 0;
        get(url, null); // warm-up
        long started = System.nanoTime();
        for (int i = 0; i < count; i++) {
            bytes += get(url, null);
        }
        print("static_download", bytes, System.nanoTime() - started);
    }

    private static void sink(String url, int count, int bytes) throws Exception {
        byte[] content = random(bytes);
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes).put(content).flip();
        FileBench bench = new FileBench(url, "none");
        try (LeanClient lean = new LeanClient(URI.create(url))) {
            Upload java = ignored -> {
                HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(300))
                        .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(content)).build(),
                        HttpResponse.BodyHandlers.discarding());
                bench.check(response.statusCode() == 204, "sink upload: " + response.statusCode());
            };
            Upload leanUpload = ignored -> bench.check(lean.send("PATCH", url,
                    Map.of("Content-Type", "application/octet-stream"), direct) == 204, "sink upload (lean client)");
            for (String name : List.of("java", "lean")) {
                Upload upload = name.equals("java") ? java : leanUpload;
                for (int i = 0; i < WARM_UP_TRANSFERS; i++) {
                    upload.run("");
                }
                long started = System.nanoTime();
                for (int i = 0; i < count; i++) {
                    upload.run("");
                }
                print("sink_" + name, (long) count * bytes, System.nanoTime() - started);
            }
        }
        System.out.println("errors=" + bench.errors);
    }

    private void server(int count, int bytes, Path staticCopy, Path diskDir) throws Exception {
        byte[] content = random(bytes);
        Files.write(staticCopy, content);
        Files.createDirectories(diskDir);
        String session = create("flowsessions", "{\"name\":\"file bench\"}");
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rows.add(create("flowsessionbinaries", "{\"name\":\"file " + i
                    + "\",\"flowsessionid@odata.bind\":\"/flowsessions(" + session + ")\"}"));
        }
        measure("single", rows, content, diskDir, row -> uploadSingle(row, content));
        measure("chunked", rows, content, diskDir, row -> uploadChunked(row, content));
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes).put(content).flip();
        try (LeanClient lean = new LeanClient(URI.create(root))) {
            measure("single_lean", rows, content, diskDir, row -> leanSingle(lean, row, direct));
            measure("chunked_lean", rows, content, diskDir, row -> leanChunked(lean, row, direct));
        }
        String raw = root + "flowsessionbinaries(" + rows.get(0) + ")/data/$value";
        get(raw, token);
        long started = System.nanoTime();
        long downloaded = 0;
        for (String row : rows) {
            downloaded += get(root + "flowsessionbinaries(" + row + ")/data/$value", token);
        }
        check(downloaded == (long) count * bytes, "raw downloads returned " + downloaded + " bytes");
        print("download_raw", downloaded, System.nanoTime() - started);
        downloadJson(rows.get(0), bytes);
        started = System.nanoTime();
        for (String row : rows) {
            downloadJson(row, bytes);
        }
        print("download_json", (long) count * bytes, System.nanoTime() - started);
        System.out.println("errors=" + errors);
    }

    /** An upload of one row's file. */
    private interface Upload {
        void run(String row) throws IOException, InterruptedException;
    }

    /**
     * Measures one upload form beside the disk baseline: after the warm-up, {@value #ROUNDS} rounds of a batch of
     * uploads (one to each row) and a batch of disk writes of the same files, in alternating order, each batch after
     * the same pause; prints the medians of their rates as {@code upload_<form>} and {@code disk_<form>}, and the
     * median of the rounds' ratios as {@code ratio_<form>}.
     */
    private void measure(String form, List<String> rows, byte[] content, Path diskDir, Upload upload)
            throws IOException, InterruptedException {
        for (int i = 0; i < WARM_UP_TRANSFERS; i++) {
            upload.run(rows.get(i % rows.size()));
        }
        long bytes = (long) rows.size() * content.length;
        double[] uploads = new double[ROUNDS];
        double[] writes = new double[ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            boolean diskFirst = round % 2 == 0;
            if (diskFirst) {
                writes[round] = mbPerSecond(bytes, diskBatch(rows.size(), content, diskDir));
            }
            Thread.sleep(IDLE_MILLIS);
            long started = System.nanoTime();
            for (String row : rows) {
                upload.run(row);
            }
            uploads[round] = mbPerSecond(bytes, System.nanoTime() - started);
            if (!diskFirst) {
                writes[round] = mbPerSecond(bytes, diskBatch(rows.size(), content, diskDir));
            }
            System.err.printf("%s round %d: upload %.1f MB/s, disk %.1f MB/s%n", form, round + 1, uploads[round],
                    writes[round]);
        }
        double[] ratios = new double[ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            ratios[round] = uploads[round] / writes[round];
        }
        System.out.printf("upload_%s_mb_per_sec=%.1f%n", form, median(uploads));
        System.out.printf("disk_%s_mb_per_sec=%.1f%n", form, median(writes));
        // each round's upload and disk batch ran back to back: their ratio is the comparison under one load
        System.out.printf("ratio_%s=%.2f%n", form, median(ratios));
        System.out.flush();
    }

    /** Writes {@code count} files to the folder with fsync after a pause, then deletes them; returns the nanoseconds. */
    private static long diskBatch(int count, byte[] content, Path diskDir) throws IOException, InterruptedException {
        Thread.sleep(IDLE_MILLIS);
        long nanos = 0;
        for (int i = 0; i < count; i++) {
            nanos += writeWithFsync(diskDir.resolve("batch-" + i), content);
        }
        for (int i = 0; i < count; i++) {
            Files.delete(diskDir.resolve("batch-" + i));
        }
        return nanos;
    }

    private static double mbPerSecond(long bytes, long nanos) {
        return bytes / 1e6 / (nanos / 1e9);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** Creates rows for uploads by another client and prints their ids, one a line. */
    private void rows(int count) throws Exception {
        String session = create("flowsessions", "{\"name\":\"curl file bench\"}");
        for (int i = 0; i < count; i++) {
            System.out.println(create("flowsessionbinaries", "{\"name\":\"curl " + i
                    + "\",\"flowsessionid@odata.bind\":\"/flowsessions(" + session + ")\"}"));
        }
    }

    private void concurrent(int parallel, int bytes) throws Exception {
        byte[] content = random(bytes);
        String session = create("flowsessions", "{\"name\":\"concurrent file bench\"}");
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < parallel; i++) {
            rows.add(create("flowsessionbinaries", "{\"name\":\"c " + i
                    + "\",\"flowsessionid@odata.bind\":\"/flowsessions(" + session + ")\"}"));
        }
        long started = System.nanoTime();
        try (ExecutorService clients = Executors.newFixedThreadPool(parallel)) {
            List<Future<?>> uploads = new ArrayList<>();
            for (String row : rows) {
                uploads.add(clients.submit(() -> {
                    uploadSingle(row, content);
                    return null;
                }));
            }
            for (Future<?> upload : uploads) {
                upload.get();
            }
        }
        print("upload_concurrent", (long) parallel * bytes, System.nanoTime() - started);
        for (String row : rows) {
            long size = get(root + "flowsessionbinaries(" + row + ")/data/$value", token);
            check(size == bytes, "row " + row + " holds " + size + " bytes");
        }
        System.out.println("errors=" + errors);
    }

    private void uploadSingle(String row, byte[] content) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(request(root + "flowsessionbinaries(" + row + ")/data")
                .header("Content-Type", "application/octet-stream")
                .header("x-ms-file-name", "bench.bin")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(content)).build(),
                HttpResponse.BodyHandlers.ofString());
        check(response.statusCode() == 204, "single upload: " + response.statusCode() + " " + response.body());
    }

    private void uploadChunked(String row, byte[] content) throws IOException, InterruptedException {
        HttpResponse<String> start = HTTP.send(request(root + "flowsessionbinaries(" + row
                + ")/data?x-ms-file-name=bench.bin")
                .header("x-ms-transfer-mode", "chunked")
                .method("PATCH", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        String location = start.headers().firstValue("Location").orElse(null);
        if (location == null) {
            check(false, "chunked start: " + start.statusCode() + " " + start.body());
            return;
        }
        for (int first = 0; first < content.length; first += CHUNK) {
            int last = Math.min(content.length, first + CHUNK) - 1;
            HttpResponse<String> response = HTTP.send(request(location)
                    .header("Content-Type", "application/octet-stream")
                    .header("Content-Range", "bytes " + first + "-" + last + "/" + content.length)
                    .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(content, first, last - first + 1))
                    .build(), HttpResponse.BodyHandlers.ofString());
            check(response.statusCode() == 206 || response.statusCode() == 204,
                    "chunk: " + response.statusCode() + " " + response.body());
        }
    }

    private void leanSingle(LeanClient lean, String row, ByteBuffer content) throws IOException {
        int status = lean.send("PATCH", root + "flowsessionbinaries(" + row + ")/data", Map.of(
                "Authorization", "Bearer " + token, "Content-Type", "application/octet-stream",
                "x-ms-file-name", "bench.bin"), content);
        check(status == 204, "single upload (lean client): " + status);
    }

    private void leanChunked(LeanClient lean, String row, ByteBuffer content) throws IOException {
        int status = lean.send("PATCH", root + "flowsessionbinaries(" + row + ")/data?x-ms-file-name=bench.bin",
                Map.of("Authorization", "Bearer " + token, "x-ms-transfer-mode", "chunked"), ByteBuffer.allocate(0));
        String location = lean.header("location");
        if (status != 200 || location == null) {
            check(false, "chunked start (lean client): " + status);
            return;
        }
        int size = content.remaining();
        for (int first = 0; first < size; first += CHUNK) {
            int length = Math.min(size - first, CHUNK);
            status = lean.send("PATCH", location, Map.of("Authorization", "Bearer " + token,
                    "Content-Type", "application/octet-stream",
                    "Content-Range", "bytes " + first + "-" + (first + length - 1) + "/" + size),
                    content.slice(first, length));
            check(status == 206 || status == 204, "chunk (lean client): " + status);
        }
    }

    /** As dynamics-web-api downloads: JSON base64 of 4 MiB ranges. */
    private void downloadJson(String row, int size) throws IOException, InterruptedException {
        String url = root + "flowsessionbinaries(" + row + ")/data?size=full";
        for (long first = 0; first < size; first += CHUNK) {
            HttpResponse<Void> response = HTTP.send(request(url)
                    .header("Range", "bytes=" + first + "-" + (first + CHUNK - 1)).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            check(response.statusCode() == 206, "JSON download: " + response.statusCode());
        }
    }

    private HttpRequest.Builder request(String url) {
        return HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(300))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json");
    }

    private static long get(String url, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(300)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<java.io.InputStream> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        long total = 0;
        try (java.io.InputStream body = response.body()) {
            total = body.transferTo(OutputStream.nullOutputStream());
        }
        if (response.statusCode() != 200) {
            throw new IOException("GET " + url + " answered " + response.statusCode());
        }
        return total;
    }

    private String create(String set, String body) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(request(root + set)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        Matcher id = ENTITY_ID.matcher(response.headers().firstValue("OData-EntityId").orElse(""));
        if (response.statusCode() != 204 || !id.find()) {
            throw new IOException("create " + set + " answered " + response.statusCode() + ": " + response.body());
        }
        return id.group(1);
    }

    private synchronized void check(boolean ok, String failure) {
        if (!ok) {
            errors++;
            System.err.println("error: " + failure);
        }
    }

    private static byte[] random(int bytes) {
        byte[] content = new byte[bytes];
        new Random(42).nextBytes(content);
        return content;
    }

    private static void print(String name, long bytes, long nanos) {
        System.out.printf("%s_mb_per_sec=%.1f%n", name, bytes / 1e6 / (nanos / 1e9));
        System.out.flush();
    }
}
