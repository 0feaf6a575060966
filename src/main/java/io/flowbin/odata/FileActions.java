package io.flowbin.odata;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowbin.error.ErrorCodes;
import io.flowbin.files.FileColumns;
import io.flowbin.messages.AccessMessages;
import io.flowbin.security.AccessRight;
import io.flowbin.files.FileTarget;
import io.flowbin.files.StoredFile;
import io.flowbin.metadata.TableDefinition;
import io.flowbin.messages.EntityReference;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The file messages as unbound Web API actions: InitializeFileBlocksUpload, UploadBlock, CommitFileBlocksUpload,
 * InitializeFileBlocksDownload, DownloadBlock and DeleteFile, with their documented parameters and responses.
 * Thread-safe.
 */
final class FileActions {
    private static final String NAMESPACE = "Microsoft.Dynamics.CRM.";
    private static final Set<String> NAMES = Set.of("InitializeFileBlocksUpload", "UploadBlock",
            "CommitFileBlocksUpload", "InitializeFileBlocksDownload", "DownloadBlock", "DeleteFile");

    private final FileColumns files;
    private final ResourceUrls urls;
    private final AccessMessages access;

    FileActions(FileColumns files, ResourceUrls urls, AccessMessages access) {
        this.access = access;
        this.files = files;
        this.urls = urls;
    }

    static boolean handles(String path) {
        return NAMES.contains(path.startsWith(NAMESPACE) ? path.substring(NAMESPACE.length()) : path);
    }

    ODataResponse handle(ODataRequest request) {
        String name = request.path().startsWith(NAMESPACE)
                ? request.path().substring(NAMESPACE.length())
                : request.path();
        ODataService.requireMethod(request, "POST");
        ObjectNode body = PayloadReader.readObject(request.body(), name);
        UUID userId = request.caller().userId();
        return switch (name) {
            case "InitializeFileBlocksUpload" -> {
                FileTarget target = target(body);
                access.requireRow(request.caller(), target.table(), target.rowId(), AccessRight.WRITE);
                String token = files.initializeBlocks(target, text(body, "FileName", true), userId);
                yield response(request, name, json -> json.writeStringField("FileContinuationToken", token));
            }
            case "UploadBlock" -> {
                byte[] data = base64(body, "BlockData");
                files.uploadBlock(text(body, "FileContinuationToken", true), text(body, "BlockId", true),
                        new ByteArrayInputStream(data), userId);
                yield ODataResponse.noContent();
            }
            case "CommitFileBlocksUpload" -> {
                StoredFile file = files.commitBlocks(text(body, "FileContinuationToken", true),
                        text(body, "FileName", true), text(body, "MimeType", false), blockList(body), userId);
                yield response(request, name, json -> {
                    json.writeStringField("FileId", file.id().toString());
                    json.writeNumberField("FileSizeInBytes", file.size());
                });
            }
            case "InitializeFileBlocksDownload" -> {
                FileTarget target = target(body);
                access.requireRow(request.caller(), target.table(), target.rowId(), AccessRight.READ);
                StoredFile file = files.file(target);
                yield response(request, name, json -> {
                    json.writeStringField("FileContinuationToken", file.id().toString());
                    json.writeNumberField("FileSizeInBytes", file.size());
                    json.writeStringField("FileName", file.fileName());
                    json.writeBooleanField("IsChunkingSupported", true);
                });
            }
            case "DownloadBlock" -> downloadBlock(request, body);
            case "DeleteFile" -> {
                access.requireFileRow(request.caller(), guid(body, "FileId"), AccessRight.WRITE);
                files.deleteFile(guid(body, "FileId"));
                yield ODataResponse.noContent();
            }
            default -> throw ODataService.notFound(name);
        };
    }

    private ODataResponse downloadBlock(ODataRequest request, ObjectNode body) {
        String token = text(body, "FileContinuationToken", true);
        UUID fileId = token == null ? null : Guids.parse(token);
        if (fileId == null) {
            throw ErrorCodes.invalidArgument("The FileContinuationToken '" + token + "' is not one that"
                    + " InitializeFileBlocksDownload returned.");
        }
        long offset = number(body, "Offset");
        long blockLength = number(body, "BlockLength");
        if (offset < 0 || blockLength < 0) {
            throw ErrorCodes.invalidArgument("Offset and BlockLength must not be negative.");
        }
        access.requireFileRow(request.caller(), fileId, AccessRight.READ);
        StoredFile file = files.file(fileId);
        long start = Math.min(offset, file.size());
        long length = Math.min(blockLength, file.size() - start);
        String prefix = "{\"@odata.context\":" + FileTransfers.jsonString(request.serviceRoot()
                + "$metadata#Microsoft.Dynamics.CRM.DownloadBlockResponse") + ",\"Data\":\"";
        return ODataResponse.json(200, out -> FileTransfers.writeBase64(
                out, prefix, encoder -> files.read(file, start, length, encoder), "\"}"))
                .header("Content-Length", Long.toString(FileTransfers.base64BodyLength(prefix, length, "\"}")));
    }

    @FunctionalInterface
    private interface Fields {
        void write(JsonGenerator json) throws java.io.IOException;
    }

    private static ODataResponse response(ODataRequest request, String action, Fields fields) {
        return ODataResponse.json(200, out -> {
            try (JsonGenerator json = PayloadReader.JSON.getFactory().createGenerator(out)) {
                json.writeStartObject();
                json.writeStringField("@odata.context",
                        request.serviceRoot() + "$metadata#" + NAMESPACE + action + "Response");
                fields.write(json);
                json.writeEndObject();
            }
        });
    }

    /** {@code Target}: an entity with {@code @odata.type} and its key, or an {@code @odata.id}; plus the column. */
    private FileTarget target(ObjectNode body) {
        JsonNode target = body.get("Target");
        if (target == null || !target.isObject()) {
            throw ErrorCodes.invalidArgument("Target is required: an entity reference to the row with the file.");
        }
        TableDefinition table = null;
        UUID id = null;
        JsonNode odataId = target.get("@odata.id");
        if (odataId != null && odataId.isTextual()) {
            EntityReference reference = urls.parseEntityUrl(odataId.asText());
            if (reference != null) {
                table = files.table(reference.table());
                id = reference.id();
            }
        } else {
            JsonNode type = target.get("@odata.type");
            String typeName = type == null ? "" : type.asText().replaceFirst("^#", "");
            table = files.table(typeName.startsWith(NAMESPACE) ? typeName.substring(NAMESPACE.length()) : typeName);
            JsonNode key = table == null ? null : target.get(table.primaryIdAttribute());
            id = key == null || !key.isTextual() ? null : Guids.parse(key.asText());
        }
        if (table == null || id == null) {
            throw ErrorCodes.invalidArgument("Target must name a table with @odata.type and the row's id, or give an"
                    + " @odata.id.");
        }
        String column = text(body, "FileAttributeName", true);
        return files.target(table, id, column == null ? "" : column);
    }

    private static @Nullable String text(ObjectNode body, String name, boolean required) {
        JsonNode value = body.get(name);
        if (value == null || value.isNull()) {
            if (required) {
                throw ErrorCodes.invalidArgument(name + " is required.");
            }
            return null;
        }
        if (!value.isTextual()) {
            throw ErrorCodes.invalidArgument(name + " must be a string.");
        }
        return value.asText();
    }

    private static byte[] base64(ObjectNode body, String name) {
        String text = text(body, name, true);
        try {
            return Base64.getDecoder().decode(text == null ? "" : text);
        } catch (IllegalArgumentException e) {
            throw ErrorCodes.invalidArgument(name + " is not valid base64.");
        }
    }

    private static long number(ObjectNode body, String name) {
        JsonNode value = body.get(name);
        if (value != null && value.canConvertToLong() && value.isIntegralNumber()) {
            return value.asLong();
        }
        if (value != null && value.isTextual()) {
            try {
                return Long.parseLong(value.asText().trim());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw ErrorCodes.invalidArgument(name + " is required and must be a whole number.");
    }

    private static UUID guid(ObjectNode body, String name) {
        String text = text(body, name, true);
        UUID id = text == null ? null : Guids.parse(text);
        if (id == null) {
            throw ErrorCodes.invalidArgument(name + " must be a GUID.");
        }
        return id;
    }

    private static List<String> blockList(ObjectNode body) {
        JsonNode list = body.get("BlockList");
        if (list == null || !list.isArray()) {
            throw ErrorCodes.invalidArgument("BlockList is required: the block ids in file order.");
        }
        List<String> ids = new ArrayList<>();
        for (JsonNode id : list) {
            if (!id.isTextual()) {
                throw ErrorCodes.invalidArgument("BlockList must hold block id strings.");
            }
            ids.add(id.asText());
        }
        return ids;
    }
}
