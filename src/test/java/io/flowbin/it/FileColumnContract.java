package io.flowbin.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowbin.blob.BlobStore;
import io.flowbin.testing.BlobKind;
import io.flowbin.testing.DatabaseKind;
import io.flowbin.testing.FileClient;
import io.flowbin.testing.TestServer;
import io.flowbin.testing.WebApiClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The File column {@code data} of Flow Session Binary over HTTP: single-request, chunked and block uploads, raw and
 * JSON downloads by range, deletion, the fileattachment rows, limits and bad input. Runs once per database and blob
 * store; every test ends by checking that no connection leaked and no blob is orphaned.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FileColumnContract {
    static final int LIMIT = 32768 * 1024;
    static final String TOO_BIG = "0x80044a02";
    private static final Pattern ENTITY_ID = Pattern.compile("\\(([0-9a-f-]{36})\\)$");

    TestServer server;
    WebApiClient api;
    FileClient files;
    String flowSession;

    abstract DatabaseKind kind();

    abstract BlobKind blobs();

    @BeforeAll
    void startServer(@TempDir Path tempDir) {
        server = TestServer.start(kind(), blobs(), tempDir);
        api = server.client();
        files = new FileClient(server.serviceRoot(), server.adminToken());
        flowSession = create("flowsessions", "{\"name\":\"file run\"}");
    }

    @AfterEach
    void noLeaksAndNoOrphans() {
        server.assertNoLeakedConnections();
        BlobStore store = server.server().blobs();
        for (String blob : store.committedBlobNames(Instant.now().plusSeconds(3600), 100_000)) {
            WebApiClient.Response attachment = api.get("fileattachments(" + blob + ")");
            assertEquals(200, attachment.status(), "blob " + blob + " has no fileattachment row");
        }
        assertTrue(store.stagedBlobNames().size() <= server.server().files().uploadsInProgress(),
                "staged blobs outnumber the uploads in progress: " + store.stagedBlobNames());
    }

    @AfterAll
    void stopServer() {
        server.close();
    }

    String create(String entitySet, String body) {
        WebApiClient.Response response = api.post(entitySet, body);
        assertEquals(204, response.status(), response.body());
        Matcher id = ENTITY_ID.matcher(response.header("OData-EntityId").orElseThrow());
        assertTrue(id.find());
        return id.group(1);
    }

    String binary() {
        return create("flowsessionbinaries", "{\"name\":\"output\",\"flowsessionid@odata.bind\":\"/flowsessions("
                + flowSession + ")\"}");
    }

    static String data(String row) {
        return "flowsessionbinaries(" + row + ")/data";
    }

    static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    JsonNode row(String id) {
        WebApiClient.Response response = api.get("flowsessionbinaries(" + id + ")?$select=data,data_name,mimetype");
        assertEquals(200, response.status(), response.body());
        return response.json();
    }

    void upload(String row, byte[] bytes, String name) {
        FileClient.Response response = files.upload(data(row), bytes, name);
        assertEquals(204, response.status(), response.text());
    }

    byte[] download(String row) {
        FileClient.Response response = files.get(data(row) + "/$value");
        assertEquals(200, response.status(), response.text());
        return response.body();
    }

    /** The stored checksum matches the bytes downloaded, and the download says so in Repr-Digest. */
    void assertChecksum(String row, byte[] expected) {
        FileClient.Response response = files.get(data(row) + "/$value");
        String fileId = row(row).get("data").asText();
        String stored = server.server().blobs().info(fileId).orElseThrow().sha256();
        assertEquals(sha256(expected), stored, "stored checksum");
        assertEquals(sha256(response.body()), stored, "checksum of the downloaded bytes");
        assertEquals("sha-256=:" + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(stored)) + ":",
                response.header("Repr-Digest").orElseThrow());
    }

    String startChunked(String row, String query, String... headers) {
        String[] all = Arrays.copyOf(headers, headers.length + 2);
        all[headers.length] = "x-ms-transfer-mode";
        all[headers.length + 1] = "chunked";
        FileClient.Response start = files.send("PATCH", data(row) + query, (byte[]) null, all);
        assertEquals(200, start.status(), start.text());
        assertEquals(0, start.body().length);
        String location = start.header("Location").orElseThrow();
        assertTrue(location.startsWith(server.serviceRoot() + data(row) + "?sessiontoken="), location);
        assertEquals("4194304", start.header("x-ms-chunk-size").orElseThrow());
        return location;
    }

    FileClient.Response chunk(String location, byte[] bytes, long first, long total) {
        return files.send("PATCH", location, bytes, "Content-Type", "application/octet-stream", "Content-Range",
                "bytes " + first + "-" + (first + bytes.length - 1) + "/" + total);
    }

    @Test
    void singleUploadStoresTheFileWhichTheRowAndItsFileattachmentDescribe() {
        String row = binary();
        byte[] bytes = "{\"run\":7731,\"steps\":[1,2,3]}".getBytes(StandardCharsets.UTF_8);
        upload(row, bytes, "run-7731-output.json");
        JsonNode values = row(row);
        String fileId = values.get("data").asText();
        assertEquals("run-7731-output.json", values.get("data_name").asText());
        assertTrue(values.get("mimetype").isNull(), "the row's own mimetype column is not the file's");
        JsonNode attachment = api.get("fileattachments(" + fileId + ")").json();
        assertEquals("run-7731-output.json", attachment.get("filename").asText());
        assertEquals(bytes.length, attachment.get("filesizeinbytes").asLong());
        assertEquals("application/json", attachment.get("mimetype").asText());
        assertEquals("data", attachment.get("regardingfieldname").asText());
        assertEquals("flowsessionbinary", attachment.get("objecttypecode").asText());
        assertEquals(row, attachment.get("_objectid_value").asText());
        assertFalse(attachment.has("filepointer"), "hidden columns stay hidden");
        FileClient.Response download = files.get(data(row) + "/$value");
        assertArrayEquals(bytes, download.body());
        assertEquals(Integer.toString(bytes.length), download.header("x-ms-file-size").orElseThrow());
        assertEquals("run-7731-output.json", download.header("x-ms-file-name").orElseThrow());
        assertEquals("application/json", download.header("mimetype").orElseThrow());
        assertEquals("application/octet-stream", download.header("Content-Type").orElseThrow());
        assertChecksum(row, bytes);
        WebApiClient.Response value = api.get(data(row));
        assertEquals(fileId, value.json().get("value").asText(), "the property's value is the file id");
    }

    @Test
    void aClientThatExpectsContinueIsAskedForItsBody() {
        String row = binary();
        byte[] bytes = random(2_000_000, 10);
        String answer = RawUpload.expectingContinue(server.baseUrl(), "/api/data/v9.2/" + data(row),
                server.adminToken(), "continued.bin", bytes);
        assertTrue(answer.startsWith("HTTP/1.1 100"), answer);
        assertTrue(answer.contains("HTTP/1.1 204"), answer);
        assertArrayEquals(bytes, download(row));
    }

    @Test
    void rangesAreServedAsPartialContent() {
        String row = binary();
        byte[] bytes = random(100_000, 1);
        upload(row, bytes, "sample.bin");
        FileClient.Response part = files.get(data(row) + "/$value", "Range", "bytes=1000-1999");
        assertEquals(206, part.status());
        assertArrayEquals(Arrays.copyOfRange(bytes, 1000, 2000), part.body());
        assertEquals("bytes 1000-1999/100000", part.header("Content-Range").orElseThrow());
        assertEquals("4194304", part.header("x-ms-chunk-size").orElseThrow());
        assertEquals("100000", part.header("x-ms-file-size").orElseThrow());
        FileClient.Response tail = files.get(data(row) + "/$value", "Range", "bytes=99000-");
        assertArrayEquals(Arrays.copyOfRange(bytes, 99_000, 100_000), tail.body());
        FileClient.Response withTotal = files.get(data(row) + "/$value", "Range", "bytes=0-9/100000");
        assertArrayEquals(Arrays.copyOfRange(bytes, 0, 10), withTotal.body());
        FileClient.Response beyond = files.get(data(row) + "/$value", "Range", "bytes=100000-100010");
        assertEquals(416, beyond.status());
        assertEquals("bytes */100000", beyond.header("Content-Range").orElse("bytes */100000"));
    }

    @Test
    void theClientsJsonFormReturnsBase64WithTheFileHeaders() {
        String row = binary();
        byte[] bytes = random(5000, 2);
        FileClient.Response stored = files.send("PATCH", data(row) + "?x-ms-file-name=r%C3%A9sum%C3%A9%201+1.bin",
                bytes, "Content-Type", "application/octet-stream");
        assertEquals(204, stored.status(), stored.text());
        assertEquals("résumé 1+1.bin", row(row).get("data_name").asText());
        FileClient.Response part = files.get(data(row) + "?size=full", "Range", "bytes=0-999");
        assertEquals(206, part.status(), part.text());
        assertArrayEquals(Arrays.copyOfRange(bytes, 0, 1000),
                Base64.getDecoder().decode(part.json().get("value").asText()));
        assertTrue(part.header("Content-Disposition").orElseThrow().startsWith("attachment;"));
        assertEquals("5000", part.header("x-ms-file-size").orElseThrow());
        assertEquals("r%C3%A9sum%C3%A9%201%2B1.bin", part.header("x-ms-file-name").orElseThrow());
        FileClient.Response end = files.get(data(row) + "?size=full", "Range", "bytes=5000-9999");
        assertEquals(206, end.status(), end.text());
        assertEquals("", end.json().get("value").asText());
        FileClient.Response whole = files.get(data(row) + "?size=full");
        assertEquals(200, whole.status());
        assertArrayEquals(bytes, Base64.getDecoder().decode(whole.json().get("value").asText()));
    }

    @Test
    void chunkedUploadCompletesWithTheLastByteAndIsInvisibleUntilThen() {
        String row = binary();
        byte[] old = "previous".getBytes(StandardCharsets.UTF_8);
        upload(row, old, "old.txt");
        byte[] bytes = random(10_000_000, 3);
        String location = startChunked(row, "?x-ms-file-name=r%C3%A9sultat-7731.zip");
        int chunkSize = 4_194_304;
        for (int first = 0; first < bytes.length; first += chunkSize) {
            byte[] piece = Arrays.copyOfRange(bytes, first, Math.min(bytes.length, first + chunkSize));
            FileClient.Response response = chunk(location, piece, first, bytes.length);
            boolean last = first + piece.length == bytes.length;
            assertEquals(last ? 204 : 206, response.status(), response.text());
            if (!last) {
                assertArrayEquals(old, download(row), "a partial upload is invisible");
                assertEquals("old.txt", row(row).get("data_name").asText());
            }
        }
        assertArrayEquals(bytes, download(row));
        assertEquals("résultat-7731.zip", row(row).get("data_name").asText());
        assertEquals("application/zip", files.get(data(row) + "/$value").header("mimetype").orElseThrow());
        assertChecksum(row, bytes);
    }

    @Test
    void aZeroLengthFinalChunkAndAnEmptyFileAreAccepted() {
        String row = binary();
        byte[] bytes = random(8192, 4);
        String location = startChunked(row, "", "x-ms-file-name", "exact.bin");
        assertEquals(206, chunk(location, Arrays.copyOfRange(bytes, 0, 4096), 0, 8192).status());
        assertEquals(204, chunk(location, Arrays.copyOfRange(bytes, 4096, 8192), 4096, 8192).status());
        FileClient.Response extra = files.send("PATCH", location, new byte[0], "Content-Type",
                "application/octet-stream", "Content-Range", "bytes 8192-8191/8192");
        assertEquals(204, extra.status(), extra.text());
        assertArrayEquals(bytes, download(row));

        String empty = binary();
        String emptyLocation = startChunked(empty, "?x-ms-file-name=empty.txt");
        FileClient.Response only = files.send("PATCH", emptyLocation, new byte[0], "Content-Type",
                "application/octet-stream", "Content-Range", "bytes 0--1/0");
        assertEquals(204, only.status(), only.text());
        assertEquals(0, download(empty).length);
        assertEquals("0", files.get(data(empty) + "/$value").header("x-ms-file-size").orElseThrow());
    }

    @Test
    void chunksThatOverlapSkipOrOverrunAreRefusedAndTheUploadCanGoOn() {
        String row = binary();
        byte[] bytes = random(3000, 5);
        String location = startChunked(row, "?x-ms-file-name=ranges.bin");
        assertEquals(206, chunk(location, Arrays.copyOfRange(bytes, 0, 1000), 0, 3000).status());
        List<FileClient.Response> refused = List.of(
                chunk(location, Arrays.copyOfRange(bytes, 500, 1500), 500, 3000),
                chunk(location, Arrays.copyOfRange(bytes, 2000, 3000), 2000, 3000),
                chunk(location, Arrays.copyOfRange(bytes, 1000, 2000), 1000, 4000),
                files.send("PATCH", location, new byte[10], "Content-Range", "bytes 1000-1010/3000"),
                files.send("PATCH", location, new byte[10], "Content-Range", "bytes 2995-3004/3000"),
                files.send("PATCH", location, new byte[10], "Content-Range", "1000-1009/3000"),
                files.send("PATCH", location, new byte[10]));
        for (FileClient.Response response : refused) {
            assertEquals(400, response.status(), response.text());
            assertEquals("0x80040203", response.errorCode(), response.text());
        }
        assertEquals(404, files.get(data(row) + "/$value").status(), "nothing was stored");
        assertEquals(206, chunk(location, Arrays.copyOfRange(bytes, 1000, 2000), 1000, 3000).status());
        assertEquals(204, chunk(location, Arrays.copyOfRange(bytes, 2000, 3000), 2000, 3000).status());
        assertArrayEquals(bytes, download(row));
        FileClient.Response after = chunk(location, Arrays.copyOfRange(bytes, 0, 10), 0, 3000);
        assertEquals(400, after.status(), "a completed upload takes no more bytes");
    }

    @Test
    void unknownSessionsAndOtherRowsSessionsAreRefused() {
        String row = binary();
        String other = binary();
        FileClient.Response unknown = chunk(server.serviceRoot() + data(row) + "?sessiontoken=nosuchtoken",
                new byte[10], 0, 10);
        assertEquals(404, unknown.status());
        String location = startChunked(row, "?x-ms-file-name=a.bin");
        String token = location.substring(location.indexOf("sessiontoken=") + "sessiontoken=".length());
        FileClient.Response elsewhere = chunk(server.serviceRoot() + data(other) + "?sessiontoken=" + token,
                new byte[10], 0, 10);
        assertEquals(404, elsewhere.status());
        FileClient.Response otherUser = new FileClient(server.serviceRoot(), server.tokenFor(UUID.randomUUID()))
                .send("PATCH", location, new byte[10], "Content-Range", "bytes 0-9/10");
        assertTrue(otherUser.status() == 404 || otherUser.status() == 401 || otherUser.status() == 403,
                "another caller cannot use the session: " + otherUser.status());
        assertEquals(204, chunk(location, new byte[10], 0, 10).status());
    }

    @Test
    void aNewUploadReplacesTheOldFileWhoseRowAndBlobGo() {
        String row = binary();
        upload(row, "first".getBytes(StandardCharsets.UTF_8), "first.txt");
        String firstId = row(row).get("data").asText();
        upload(row, "second".getBytes(StandardCharsets.UTF_8), "second.txt");
        String secondId = row(row).get("data").asText();
        assertFalse(firstId.equals(secondId));
        assertEquals("second.txt", row(row).get("data_name").asText());
        assertArrayEquals("second".getBytes(StandardCharsets.UTF_8), download(row));
        assertEquals(404, api.get("fileattachments(" + firstId + ")").status());
        assertTrue(server.server().blobs().info(firstId).isEmpty(), "the old blob is deleted");
    }

    @Test
    void aFileOverTheLimitIsRefusedWhileStreamingAndThePreviousFileStays() {
        String row = binary();
        upload(row, "keep me".getBytes(StandardCharsets.UTF_8), "keep.txt");
        FileClient.Response declared = files.upload(data(row), new byte[LIMIT + 1], "big.bin");
        assertEquals(400, declared.status());
        assertEquals(TOO_BIG, declared.errorCode());
        assertEquals("Attachment file size is too big.", declared.json().path("error").path("message").asText());
        // no Content-Length: the excess is found while the body streams
        String streamed = RawUpload.chunkedBody(server.baseUrl(), "/api/data/v9.2/" + data(row), server.adminToken(),
                "big.bin", LIMIT + 1_000_000L);
        assertTrue(streamed.startsWith("HTTP/1.1 400"), streamed);
        assertTrue(streamed.contains(TOO_BIG), streamed);
        assertArrayEquals("keep me".getBytes(StandardCharsets.UTF_8), download(row));
        assertEquals("keep.txt", row(row).get("data_name").asText());
        assertEquals(List.of(), server.server().blobs().stagedBlobNames());
    }

    @Test
    void aFileOfExactlyTheLimitIsStored() {
        String row = binary();
        byte[] bytes = random(LIMIT, 6);
        upload(row, bytes, "limit.bin");
        assertChecksum(row, bytes);
        assertEquals(Integer.toString(LIMIT), files.get(data(row) + "/$value", "Range", "bytes=0-0")
                .header("x-ms-file-size").orElseThrow());
    }

    @Test
    void aChunkedUploadOverTheLimitIsRefusedAtTheFirstChunk() {
        String row = binary();
        String location = startChunked(row, "?x-ms-file-name=huge.bin");
        FileClient.Response first = chunk(location, new byte[1000], 0, LIMIT + 1L);
        assertEquals(400, first.status());
        assertEquals(TOO_BIG, first.errorCode());
        FileClient.Response tooLargeChunk = chunk(startChunked(row, "?x-ms-file-name=chunk.bin"),
                new byte[4_194_305], 0, 5_000_000);
        assertEquals(400, tooLargeChunk.status());
        assertEquals(404, files.get(data(row) + "/$value").status());
    }

    @Test
    void badFileNamesAndMissingNamesAreRefused() {
        String row = binary();
        for (String name : List.of("dir/file.txt", "dir\\file.txt", "..", "   ", "x".repeat(201))) {
            FileClient.Response response = files.upload(data(row), new byte[3], name);
            assertEquals(400, response.status(), name);
            assertEquals("0x80040203", response.errorCode(), name);
        }
        FileClient.Response control = files.send("PATCH", data(row) + "?x-ms-file-name=a%01b.txt", new byte[3],
                "Content-Type", "application/octet-stream");
        assertEquals(400, control.status());
        FileClient.Response missing = files.send("PATCH", data(row), new byte[3],
                "Content-Type", "application/octet-stream");
        assertEquals(400, missing.status());
        FileClient.Response chunkedMissing = files.send("PATCH", data(row), (byte[]) null,
                "x-ms-transfer-mode", "chunked");
        assertEquals(400, chunkedMissing.status());
        assertEquals(404, files.get(data(row) + "/$value").status());
    }

    @Test
    void uploadsToAMissingRowOrANonFileColumnAreRefused() {
        String missing = UUID.randomUUID().toString();
        FileClient.Response noRow = files.upload(data(missing), new byte[3], "a.txt");
        assertEquals(404, noRow.status());
        assertEquals("0x80040217", noRow.errorCode());
        assertEquals(404, files.send("PATCH", data(missing) + "?x-ms-file-name=a.txt", (byte[]) null,
                "x-ms-transfer-mode", "chunked").status());
        String row = binary();
        FileClient.Response notAFile = files.upload("flowsessionbinaries(" + row + ")/name", new byte[3], "a.txt");
        assertTrue(notAFile.status() >= 400 && notAFile.status() < 500, notAFile.text());
        FileClient.Response action = files.post("InitializeFileBlocksUpload", "{\"Target\":{\"@odata.type\":"
                + "\"Microsoft.Dynamics.CRM.flowsessionbinary\",\"flowsessionbinaryid\":\"" + row + "\"},"
                + "\"FileAttributeName\":\"name\",\"FileName\":\"a.txt\"}");
        assertEquals(400, action.status(), action.text());
        assertEquals(404, files.get(data(missing) + "/$value").status());
    }

    @Test
    void deletingTheColumnRemovesTheFileattachmentAndTheBlob() {
        String row = binary();
        upload(row, "bye".getBytes(StandardCharsets.UTF_8), "bye.txt");
        String fileId = row(row).get("data").asText();
        assertEquals(204, files.send("DELETE", data(row), (byte[]) null).status());
        JsonNode values = row(row);
        assertTrue(values.get("data").isNull());
        assertTrue(values.get("data_name").isNull());
        assertEquals(404, api.get("fileattachments(" + fileId + ")").status());
        assertTrue(server.server().blobs().info(fileId).isEmpty());
        assertEquals(404, files.get(data(row) + "/$value").status());
        assertEquals(204, files.send("DELETE", data(row), (byte[]) null).status(), "deleting nothing is fine");
    }

    @Test
    void deletingTheRowRemovesItsFile() {
        String row = binary();
        upload(row, "gone".getBytes(StandardCharsets.UTF_8), "gone.txt");
        String fileId = row(row).get("data").asText();
        assertEquals(204, api.delete("flowsessionbinaries(" + row + ")").status());
        assertEquals(404, api.get("fileattachments(" + fileId + ")").status());
        assertTrue(server.server().blobs().info(fileId).isEmpty());
    }

    @Test
    void deletingTheFlowSessionRemovesItsBinariesFilesThroughTheCascade() {
        String session = create("flowsessions", "{\"name\":\"cascaded\"}");
        String[] fileIds = new String[3];
        for (int i = 0; i < fileIds.length; i++) {
            String row = create("flowsessionbinaries", "{\"name\":\"output\",\"flowsessionid@odata.bind\":"
                    + "\"/flowsessions(" + session + ")\"}");
            upload(row, ("file " + i).getBytes(StandardCharsets.UTF_8), "file" + i + ".txt");
            fileIds[i] = row(row).get("data").asText();
        }
        assertEquals(204, api.delete("flowsessions(" + session + ")").status());
        for (String fileId : fileIds) {
            assertEquals(404, api.get("fileattachments(" + fileId + ")").status());
            assertTrue(server.server().blobs().info(fileId).isEmpty(), "blob " + fileId + " is left");
        }
    }

    String target(String row) {
        return "\"Target\":{\"@odata.type\":\"Microsoft.Dynamics.CRM.flowsessionbinary\",\"flowsessionbinaryid\":\""
                + row + "\"},\"FileAttributeName\":\"data\"";
    }

    static String blockId(int number) {
        return Base64.getEncoder().encodeToString(String.format("blk-%06d", number).getBytes(StandardCharsets.UTF_8));
    }

    FileClient.Response uploadBlock(String token, String id, byte[] bytes) {
        return files.post("UploadBlock", "{\"BlockId\":\"" + id + "\",\"BlockData\":\""
                + Base64.getEncoder().encodeToString(bytes) + "\",\"FileContinuationToken\":\"" + token + "\"}");
    }

    @Test
    void blockMessagesUploadDownloadAndDeleteAFile() {
        String row = binary();
        FileClient.Response init = files.post("InitializeFileBlocksUpload", "{" + target(row)
                + ",\"FileName\":\"blocks.pdf\"}");
        assertEquals(200, init.status(), init.text());
        assertTrue(init.json().get("@odata.context").asText()
                .endsWith("$metadata#Microsoft.Dynamics.CRM.InitializeFileBlocksUploadResponse"));
        String token = init.json().get("FileContinuationToken").asText();
        byte[] bytes = random(2_500_000, 7);
        int blockSize = 1_000_000;
        StringBuilder list = new StringBuilder();
        for (int i = 0, first = 0; first < bytes.length; i++, first += blockSize) {
            byte[] block = Arrays.copyOfRange(bytes, first, Math.min(bytes.length, first + blockSize));
            assertEquals(204, uploadBlock(token, blockId(i), block).status());
            list.append(list.isEmpty() ? "" : ",").append('"').append(blockId(i)).append('"');
        }
        assertTrue(row(row).get("data").isNull(), "blocks are invisible until committed");
        FileClient.Response commit = files.post("CommitFileBlocksUpload", "{\"FileName\":\"blocks.pdf\","
                + "\"MimeType\":\"application/pdf\",\"BlockList\":[" + list + "],\"FileContinuationToken\":\""
                + token + "\"}");
        assertEquals(200, commit.status(), commit.text());
        String fileId = commit.json().get("FileId").asText();
        assertEquals(bytes.length, commit.json().get("FileSizeInBytes").asLong());
        assertEquals(fileId, row(row).get("data").asText());
        assertEquals("blocks.pdf", row(row).get("data_name").asText());
        assertChecksum(row, bytes);

        FileClient.Response download = files.post("InitializeFileBlocksDownload", "{" + target(row) + "}");
        assertEquals(200, download.status(), download.text());
        assertEquals(bytes.length, download.json().get("FileSizeInBytes").asLong());
        assertEquals("blocks.pdf", download.json().get("FileName").asText());
        assertTrue(download.json().get("IsChunkingSupported").asBoolean());
        String downloadToken = download.json().get("FileContinuationToken").asText();
        byte[] assembled = new byte[0];
        for (long offset = 0; offset < bytes.length; offset += 1_048_576) {
            FileClient.Response block = files.post("DownloadBlock", "{\"Offset\":" + offset
                    + ",\"BlockLength\":1048576,\"FileContinuationToken\":\"" + downloadToken + "\"}");
            assertEquals(200, block.status(), block.text());
            byte[] part = Base64.getDecoder().decode(block.json().get("Data").asText());
            byte[] joined = Arrays.copyOf(assembled, assembled.length + part.length);
            System.arraycopy(part, 0, joined, assembled.length, part.length);
            assembled = joined;
        }
        assertArrayEquals(bytes, assembled);

        FileClient.Response delete = files.post("DeleteFile", "{\"FileId\":\"" + fileId + "\"}");
        assertEquals(204, delete.status(), delete.text());
        assertTrue(row(row).get("data").isNull());
        assertTrue(server.server().blobs().info(fileId).isEmpty());
        assertEquals(404, files.post("DeleteFile", "{\"FileId\":\"" + fileId + "\"}").status());
        assertEquals(404, files.post("InitializeFileBlocksDownload", "{" + target(row) + "}").status());
    }

    @Test
    void blocksCommittedInAnotherOrderAreJoinedInTheCommitOrder() {
        String row = binary();
        String token = files.post("InitializeFileBlocksUpload", "{" + target(row) + ",\"FileName\":\"x.bin\"}")
                .json().get("FileContinuationToken").asText();
        byte[] first = random(1000, 8);
        byte[] second = random(2000, 9);
        assertEquals(204, uploadBlock(token, blockId(2), second).status());
        assertEquals(204, uploadBlock(token, blockId(1), first).status());
        FileClient.Response commit = files.post("CommitFileBlocksUpload", "{\"FileName\":\"x.bin\",\"MimeType\":"
                + "\"application/x-test\",\"BlockList\":[\"" + blockId(1) + "\",\"" + blockId(2) + "\"],"
                + "\"FileContinuationToken\":\"" + token + "\"}");
        assertEquals(200, commit.status(), commit.text());
        byte[] both = Arrays.copyOf(first, 3000);
        System.arraycopy(second, 0, both, 1000, 2000);
        assertArrayEquals(both, download(row));
        assertChecksum(row, both);
        assertEquals("application/x-test", files.get(data(row) + "/$value").header("mimetype").orElseThrow());
    }

    @Test
    void blockRulesAreEnforced() {
        String row = binary();
        String token = files.post("InitializeFileBlocksUpload", "{" + target(row) + ",\"FileName\":\"r.bin\"}")
                .json().get("FileContinuationToken").asText();
        assertEquals(400, uploadBlock(token, blockId(1), new byte[4_194_305]).status(), "block over 4 MB");
        assertEquals(204, uploadBlock(token, blockId(1), new byte[10]).status());
        assertEquals(400, uploadBlock(token, "c2hvcnQ=", new byte[10]).status(), "ids of one length");
        assertEquals(400, uploadBlock(token, "not base64!", new byte[10]).status());
        assertEquals(404, uploadBlock("nosuchtoken", blockId(2), new byte[10]).status());
        FileClient.Response unknownBlock = files.post("CommitFileBlocksUpload", "{\"FileName\":\"r.bin\","
                + "\"MimeType\":\"application/octet-stream\",\"BlockList\":[\"" + blockId(9) + "\"],"
                + "\"FileContinuationToken\":\"" + token + "\"}");
        assertEquals(400, unknownBlock.status());
        for (int i = 2; i <= 8; i++) {
            assertEquals(204, uploadBlock(token, blockId(i), new byte[4_194_304]).status());
        }
        FileClient.Response over = uploadBlock(token, blockId(9), new byte[4_194_304]);
        assertEquals(400, over.status());
        assertEquals(TOO_BIG, over.errorCode());
        FileClient.Response commit = files.post("CommitFileBlocksUpload", "{\"FileName\":\"r.bin\","
                + "\"MimeType\":\"application/octet-stream\",\"BlockList\":[\"" + blockId(1) + "\"],"
                + "\"FileContinuationToken\":\"" + token + "\"}");
        assertEquals(200, commit.status(), commit.text());
        assertEquals(10, download(row).length);
    }

    @Test
    void anEmptyColumnReadsAsNullAndDownloadsAsNotFound() {
        String row = binary();
        JsonNode values = row(row);
        assertTrue(values.get("data").isNull());
        assertTrue(values.get("data_name").isNull());
        assertEquals(204, api.get(data(row)).status());
        assertEquals(404, files.get(data(row) + "/$value").status());
        assertEquals(404, files.get(data(row) + "?size=full", "Range", "bytes=0-10").status());
        assertNull(null);
    }
}
