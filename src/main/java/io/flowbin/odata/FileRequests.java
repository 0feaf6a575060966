package io.flowbin.odata;

import com.fasterxml.jackson.core.JsonGenerator;
import io.flowbin.error.ErrorCodes;
import io.flowbin.files.ByteRange;
import io.flowbin.files.FileColumns;
import io.flowbin.messages.AccessMessages;
import io.flowbin.security.AccessRight;
import io.flowbin.files.FileErrors;
import io.flowbin.files.FileTarget;
import io.flowbin.files.StoredFile;
import io.flowbin.metadata.Catalog;
import io.flowbin.metadata.ColumnDefinition;
import io.flowbin.metadata.TableDefinition;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Requests on a File column of a row ({@code <set>(<id>)/<column>} and {@code …/$value}): upload in one PATCH, start
 * and send a chunked upload, download raw ({@code $value}) or as the JSON base64 form clients use
 * ({@code ?size=full}), by range or whole, and DELETE. Thread-safe.
 */
final class FileRequests {
    private static final Pattern FILE_PATH =
            Pattern.compile("([A-Za-z0-9_]+)\\(([^)/]*)\\)/([a-z0-9_]+)(/\\$value)?");
    private static final String FILE_NAME = "x-ms-file-name";

    private final Catalog catalog;
    private final FileColumns files;
    private final AccessMessages access;

    FileRequests(Catalog catalog, FileColumns files, AccessMessages access) {
        this.access = access;
        this.catalog = catalog;
        this.files = files;
    }

    /** The body limit of an upload to a File column (its {@code MaxSizeInKB}), or null for other requests. */
    ODataService.@Nullable BodyLimit bodyLimit(String method, String path) {
        if (!method.equals("PATCH")) {
            return null;
        }
        Matcher matcher = FILE_PATH.matcher(path);
        if (!matcher.matches()) {
            return null;
        }
        TableDefinition table = catalog.tableByEntitySet(matcher.group(1));
        ColumnDefinition column = table == null ? null : table.column(matcher.group(3));
        if (table == null || column == null || !FileColumns.isFileColumn(column)) {
            return null;
        }
        long maxBytes = new FileTarget(table, new UUID(0, 0), column).maxBytes();
        return new ODataService.BodyLimit(maxBytes, FileErrors::tooLarge);
    }

    ODataResponse handle(ODataRequest request, TableDefinition table, UUID id, ColumnDefinition column,
            boolean rawValue) {
        FileTarget target = files.target(table, id, column.logicalName());
        access.requireRow(request.caller(), table, id, request.method().equals("GET") ? AccessRight.READ
                : AccessRight.WRITE);
        Map<String, String> query = QueryStrings.parameters(request.query());
        return switch (request.method()) {
            case "GET" -> rawValue ? downloadRaw(request, target)
                    : query.containsKey("size") || request.header("Range") != null ? downloadJson(request, target)
                    : fileId(request, target);
            case "PATCH" -> upload(request, target, query);
            case "DELETE" -> {
                files.delete(target);
                yield ODataResponse.noContent();
            }
            default -> throw ODataService.methodNotAllowed(request);
        };
    }

    private ODataResponse upload(ODataRequest request, FileTarget target, Map<String, String> query) {
        String token = query.getOrDefault("sessiontoken", query.get("FileContinuationToken"));
        if (token != null) {
            StoredFile completed = files.uploadChunk(target, token, request.header("Content-Range"),
                    contentLength(request), request.body(), request.caller().userId());
            return ODataResponse.status(completed == null ? 206 : 204);
        }
        String header = request.header(FILE_NAME);
        String fileName = header != null ? header : query.get(FILE_NAME);
        String mode = request.header("x-ms-transfer-mode");
        if (mode != null && mode.trim().equalsIgnoreCase("chunked")) {
            FileColumns.ChunkedUpload upload = files.startChunked(target, fileName, request.caller().userId());
            String location = ResourceUrls.entityUrl(request.serviceRoot(), target.table(), target.rowId()) + "/"
                    + target.column().logicalName() + "?sessiontoken=" + upload.token();
            return ODataResponse.status(200)
                    .header("Location", location)
                    .header("x-ms-chunk-size", Integer.toString(upload.chunkSize()))
                    .header("Accept-Ranges", "bytes")
                    .header("Access-Control-Expose-Headers", "x-ms-chunk-size");
        }
        String contentType = request.header("Content-Type");
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw ErrorCodes.invalidArgument("A file is uploaded as its raw bytes with Content-Type:"
                    + " application/octet-stream, not as JSON.");
        }
        files.upload(target, fileName, request.body());
        return ODataResponse.noContent();
    }

    private static @Nullable Long contentLength(ODataRequest request) {
        String value = request.header("Content-Length");
        if (value == null) {
            return null;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw ErrorCodes.invalidArgument("The Content-Length header is invalid.");
        }
    }

    private ODataResponse downloadRaw(ODataRequest request, FileTarget target) {
        StoredFile file = files.file(target);
        ByteRange range = ByteRange.parse(request.header("Range"), file.size(), false);
        long offset = range == null ? 0 : range.offset();
        long length = range == null ? file.size() : range.length();
        ODataResponse response = ODataResponse.of(range == null ? 200 : 206, "application/octet-stream",
                out -> files.read(file, offset, length, out));
        FileTransfers.describe(response, file);
        response.header("Content-Length", Long.toString(length))
                .header("Accept-Ranges", "bytes")
                .header("X-Content-Type-Options", "nosniff");
        if (range == null) {
            files.checksum(file).ifPresent(sha256 -> response.header("Repr-Digest", "sha-256=:"
                    + Base64.getEncoder().encodeToString(java.util.HexFormat.of().parseHex(sha256)) + ":"));
        } else {
            response.header("Content-Range", range.contentRange(file.size()))
                    .header("x-ms-chunk-size", Integer.toString(FileColumns.CHUNK_SIZE));
        }
        return response;
    }

    /** The form dynamics-web-api reads: {@code {"value":"<base64 of the range>"}} with the file's headers. */
    private ODataResponse downloadJson(ODataRequest request, FileTarget target) {
        StoredFile file = files.file(target);
        ByteRange range = ByteRange.parse(request.header("Range"), file.size(), true);
        long offset = range == null ? 0 : range.offset();
        long length = range == null ? file.size() : range.length();
        String prefix = "{\"@odata.context\":" + FileTransfers.jsonString(request.serviceRoot() + "$metadata#"
                + target.table().entitySetName() + "(" + target.rowId() + ")/" + target.column().logicalName())
                + ",\"value\":\"";
        ODataResponse response = ODataResponse.json(range == null ? 200 : 206, out -> FileTransfers.writeBase64(
                out, prefix, encoder -> files.read(file, offset, length, encoder), "\"}"));
        FileTransfers.describe(response, file);
        // a known length spares clients the chunked transfer coding of a large body
        response.header("Content-Length", Long.toString(FileTransfers.base64BodyLength(prefix, length, "\"}")));
        if (range != null) {
            response.header("Content-Range", range.contentRange(file.size()))
                    .header("x-ms-chunk-size", Integer.toString(FileColumns.CHUNK_SIZE));
        }
        return response;
    }

    /** The column's value in a plain property read: the file's id, or 204 when the column is empty. */
    private ODataResponse fileId(ODataRequest request, FileTarget target) {
        StoredFile file = files.current(target).orElse(null);
        if (file == null) {
            return ODataResponse.noContent();
        }
        return ODataResponse.json(200, out -> {
            try (JsonGenerator json = PayloadReader.JSON.getFactory().createGenerator(out)) {
                json.writeStartObject();
                json.writeStringField("@odata.context", request.serviceRoot() + "$metadata#"
                        + target.table().entitySetName() + "(" + target.rowId() + ")/"
                        + target.column().logicalName());
                json.writeStringField("value", file.id().toString());
                json.writeEndObject();
            }
        });
    }
}
