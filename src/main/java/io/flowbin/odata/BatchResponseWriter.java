package io.flowbin.odata;

import io.flowbin.error.DataverseException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Writes a {@code $batch} response as Dataverse does and clients parse it: no preamble, the body opening with
 * {@code --batchresponse_<guid>}, change sets nested under {@code changesetresponse_<guid>} with each part's
 * Content-ID echoed, every part an {@code HTTP/1.1 <status> <reason>} response with its headers and body, CRLF line
 * breaks. Stateless.
 */
final class BatchResponseWriter {
    private static final String CRLF = "\r\n";
    private static final String STREAMING_JSON = "application/json; odata.metadata=minimal; odata.streaming=true";

    private BatchResponseWriter() {}

    /** One answered request: status, headers and body, and the Content-ID of its request. */
    record Part(@Nullable String contentId, int status, Map<String, String> headers, byte[] body) {

        static Part of(BatchParser.PartRequest request, ODataResponse response, String method) {
            Map<String, String> headers = new LinkedHashMap<>(response.headers());
            String entityId = headers.get("OData-EntityId");
            if (method.equals("POST") && entityId != null && response.status() < 300) {
                headers.put("Location", entityId); // a create in a batch also answers with the new row's Location
            }
            if (method.equals("GET") && ODataResponse.JSON.equals(headers.get("Content-Type"))) {
                headers.put("Content-Type", STREAMING_JSON);
            }
            return new Part(request.contentId(), response.status(), headers, BatchRequests.render(response.body()));
        }

        static Part error(BatchParser.PartRequest request, DataverseException failure) {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("REQ_ID", UUID.randomUUID().toString());
            headers.put("Content-Type", ODataResponse.JSON);
            headers.put("OData-Version", "4.0");
            return new Part(request.contentId(), failure.httpStatus(), headers, ErrorJson.body(failure));
        }
    }

    /** A request's response, or a change set's responses; {@code failedStatus} is 0 when all succeeded. */
    record Entry(List<Part> parts, boolean changeSet, int failedStatus) {
        static Entry single(Part part) {
            return new Entry(List.of(part), false, part.status() >= 400 ? part.status() : 0);
        }

        static Entry changeSet(List<Part> parts) {
            return new Entry(List.copyOf(parts), true, 0);
        }
    }

    static ODataResponse response(int status, List<Entry> entries) {
        String boundary = "batchresponse_" + UUID.randomUUID();
        return ODataResponse.of(status, "multipart/mixed; boundary=" + boundary, out -> write(out, boundary, entries));
    }

    private static void write(OutputStream out, String boundary, List<Entry> entries) throws IOException {
        for (Entry entry : entries) {
            line(out, "--" + boundary);
            if (entry.changeSet()) {
                String changeSetBoundary = "changesetresponse_" + UUID.randomUUID();
                line(out, "Content-Type: multipart/mixed; boundary=" + changeSetBoundary);
                line(out, "");
                for (Part part : entry.parts()) {
                    line(out, "--" + changeSetBoundary);
                    writePart(out, part);
                }
                line(out, "--" + changeSetBoundary + "--");
            } else {
                writePart(out, entry.parts().get(0));
            }
        }
        line(out, "--" + boundary + "--");
    }

    private static void writePart(OutputStream out, Part part) throws IOException {
        line(out, "Content-Type: application/http");
        line(out, "Content-Transfer-Encoding: binary");
        if (part.contentId() != null) {
            line(out, "Content-ID: " + part.contentId());
        }
        line(out, "");
        line(out, "HTTP/1.1 " + part.status() + " " + reason(part.status()));
        for (Map.Entry<String, String> header : part.headers().entrySet()) {
            line(out, header.getKey() + ": " + header.getValue());
        }
        line(out, "");
        if (part.body().length > 0) {
            out.write(part.body());
            line(out, "");
        }
    }

    private static void line(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.write(CRLF.getBytes(StandardCharsets.US_ASCII));
    }

    static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 201 -> "Created";
            case 204 -> "No Content";
            case 206 -> "Partial Content";
            case 304 -> "Not Modified";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 412 -> "Precondition Failed";
            case 413 -> "Payload Too Large";
            case 415 -> "Unsupported Media Type";
            case 429 -> "Too Many Requests";
            case 501 -> "Not Implemented";
            case 503 -> "Service Unavailable";
            default -> status >= 500 ? "Internal Server Error" : status >= 400 ? "Bad Request" : "OK";
        };
    }
}
