package io.flowbin.odata;

import io.flowbin.error.DataverseException;
import io.flowbin.error.ErrorCodes;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Parses a {@code $batch} body into its requests: parts of type {@code application/http} hold one request each,
 * parts of type {@code multipart/mixed} a change set of such requests. The whole structure is checked, and the
 * request count limited, before anything runs. Stateless.
 */
final class BatchParser {
    /** Dataverse's limit: a batch holds at most 1000 requests, change-set members included. */
    static final int MAX_REQUESTS = 1000;

    private BatchParser() {}

    /** One request of a batch, as sent. */
    record PartRequest(@Nullable String contentId, String method, String target, Map<String, String> headers,
            byte[] body) {}

    /** A request outside a change set, or a change set. */
    sealed interface Item {}

    record Single(PartRequest request) implements Item {}

    record ChangeSet(List<PartRequest> requests) implements Item {}

    /**
     * The requests of a batch body.
     *
     * @throws DataverseException 400 for a missing or malformed boundary, a part that is not a request or a change
     *     set, a nested change set, a GET in a change set, or more than {@value #MAX_REQUESTS} requests
     */
    static List<Item> parse(@Nullable String contentType, InputStream body) {
        String boundary = MultipartReader.boundaryOf(contentType);
        if (boundary == null) {
            throw MultipartReader.malformed("the Content-Type must be multipart/mixed with a boundary parameter, but"
                    + " is '" + contentType + "'.");
        }
        List<Item> items = new ArrayList<>();
        int requests = 0;
        for (MultipartReader.Part part : new MultipartReader(new BufferedInputStream(body), boundary).parts()) {
            String changeSetBoundary = MultipartReader.boundaryOf(part.header("Content-Type"));
            if (changeSetBoundary != null) {
                List<PartRequest> members = new ArrayList<>();
                for (MultipartReader.Part member : new MultipartReader(
                        new ByteArrayInputStream(part.content()), changeSetBoundary).parts()) {
                    if (MultipartReader.boundaryOf(member.header("Content-Type")) != null) {
                        throw MultipartReader.malformed("a change set cannot contain another change set.");
                    }
                    PartRequest request = request(member);
                    if (request.method().equals("GET")) {
                        throw MultipartReader.malformed("a change set cannot contain a GET request ("
                                + MultipartReader.abbreviate(request.target()) + ").");
                    }
                    members.add(request);
                }
                if (members.isEmpty()) {
                    throw MultipartReader.malformed("a change set holds no request.");
                }
                requests += members.size();
                items.add(new ChangeSet(List.copyOf(members)));
            } else {
                requests++;
                items.add(new Single(request(part)));
            }
            if (requests > MAX_REQUESTS) {
                throw new DataverseException(400, ErrorCodes.INVALID_ARGUMENT, "The batch contains"
                        + " more than " + MAX_REQUESTS + " requests; a batch can contain up to " + MAX_REQUESTS
                        + " requests.");
            }
        }
        if (items.isEmpty()) {
            throw MultipartReader.malformed("the batch holds no request.");
        }
        return items;
    }

    /** The request an {@code application/http} part holds: request line, headers, blank line, body. */
    private static PartRequest request(MultipartReader.Part part) {
        String type = part.header("Content-Type");
        if (type == null || !type.trim().toLowerCase(Locale.ROOT).startsWith("application/http")) {
            throw MultipartReader.malformed("a part must have the Content-Type application/http or multipart/mixed,"
                    + " but has '" + type + "'.");
        }
        byte[] content = part.content();
        int start = 0;
        while (start < content.length && (content[start] == '\r' || content[start] == '\n')) {
            start++; // blank lines before the request line are tolerated
        }
        int lineEnd = indexOf(content, start);
        String requestLine = new String(content, start, (lineEnd < 0 ? content.length : lineEnd) - start,
                StandardCharsets.UTF_8).strip();
        String[] fields = requestLine.split(" ");
        if (fields.length != 3 || !fields[2].startsWith("HTTP/")) {
            throw MultipartReader.malformed("'" + MultipartReader.abbreviate(requestLine) + "' is not a request line"
                    + " (METHOD URL HTTP/1.1).");
        }
        int rest = lineEnd < 0 ? content.length : lineEnd + 1;
        Map<String, String> headers = MultipartReader.headersOf(
                new ByteArrayInputStream(content, rest, content.length - rest));
        int bodyStart = bodyStart(content, rest);
        byte[] body = java.util.Arrays.copyOfRange(content, Math.min(bodyStart, content.length), content.length);
        String contentId = part.header("Content-ID");
        if (contentId == null) {
            contentId = headers.get("Content-ID"); // early clients put it among the request's own headers
        }
        return new PartRequest(contentId == null ? null : contentId.trim(), fields[0].toUpperCase(Locale.ROOT),
                fields[1], headers, body);
    }

    /** Where the body starts: after the first empty line following the request line, or at the end. */
    private static int bodyStart(byte[] content, int from) {
        int position = from;
        while (position < content.length) {
            int end = indexOf(content, position);
            int lineEnd = end < 0 ? content.length : end;
            int length = lineEnd - position;
            if (length == 0 || (length == 1 && content[position] == '\r')) {
                return end < 0 ? content.length : end + 1;
            }
            if (end < 0) {
                return content.length;
            }
            position = end + 1;
        }
        return content.length;
    }

    private static int indexOf(byte[] content, int from) {
        for (int i = from; i < content.length; i++) {
            if (content[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
