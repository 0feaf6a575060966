package io.flowbin.odata;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.flowbin.data.Database;
import io.flowbin.error.DataverseException;
import io.flowbin.error.ErrorCodes;
import io.flowbin.security.Caller;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST $batch}: parses the multipart body, turns each part into an {@link ODataRequest} and runs it through
 * {@link ODataService#handle}, so that every route works inside a batch. Requests outside change sets run one after
 * the other, each in its own transaction; the requests of a change set share one transaction and are all undone when
 * one fails. {@code $n} references to an earlier request's Content-ID of the same change set are resolved in URLs and
 * in {@code @odata.bind}/{@code @odata.id} values. Without {@code Prefer: odata.continue-on-error} the batch stops at
 * the first failure and answers with its status. A request runs as the batch's caller unless its part names another
 * user to impersonate. Thread-safe.
 */
final class BatchRequests {
    private static final Logger LOG = LoggerFactory.getLogger(BatchRequests.class);
    private static final Pattern REFERENCE = Pattern.compile("^\\$([A-Za-z0-9_.-]+)(/.*)?$");
    /** Resources whose name starts with "$" like a reference does. */
    private static final java.util.Set<String> SYSTEM_RESOURCES = java.util.Set.of("batch", "metadata", "entity",
            "crossjoin", "all");

    private final ODataService service;
    private final Database database;

    BatchRequests(ODataService service, Database database) {
        this.service = service;
        this.database = database;
    }

    ODataResponse handle(ODataRequest request) {
        ODataService.requireMethod(request, "POST");
        List<BatchParser.Item> items = BatchParser.parse(request.header("Content-Type"), request.body());
        boolean continueOnError = continueOnError(request);
        List<BatchResponseWriter.Entry> entries = new ArrayList<>();
        int failedStatus = 0;
        for (BatchParser.Item item : items) {
            BatchResponseWriter.Entry entry = switch (item) {
                case BatchParser.Single single -> run(request, single.request(), Map.of());
                case BatchParser.ChangeSet changeSet -> runChangeSet(request, changeSet);
            };
            entries.add(entry);
            if (entry.failedStatus() > 0 && !continueOnError) {
                failedStatus = entry.failedStatus();
                break;
            }
        }
        ODataResponse response = BatchResponseWriter.response(failedStatus > 0 ? failedStatus : 200, entries);
        if (continueOnError) {
            response.preferenceApplied("odata.continue-on-error");
        }
        return response;
    }

    private static boolean continueOnError(ODataRequest request) {
        for (String header : request.headerValues("Prefer")) {
            for (String preference : header.split(",")) {
                String value = preference.trim().toLowerCase(Locale.ROOT);
                if (value.equals("odata.continue-on-error") || value.equals("odata.continue-on-error=true")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Runs the change set's requests in one shared transaction; the first failure undoes all of them. */
    private BatchResponseWriter.Entry runChangeSet(ODataRequest outer, BatchParser.ChangeSet changeSet) {
        try {
            return database.inSharedTransaction(tx -> {
                Map<String, String> references = new HashMap<>();
                List<BatchResponseWriter.Part> parts = new ArrayList<>();
                for (BatchParser.PartRequest member : changeSet.requests()) {
                    BatchResponseWriter.Part part = execute(outer, member, references);
                    if (part.status() >= 400) {
                        throw new ChangeSetFailed(part);
                    }
                    String entityUrl = part.headers().get("OData-EntityId");
                    if (member.contentId() != null && entityUrl != null) {
                        references.put(member.contentId(), entityUrl);
                    }
                    parts.add(part);
                }
                return BatchResponseWriter.Entry.changeSet(parts);
            });
        } catch (ChangeSetFailed failed) {
            // as OData prescribes, a failed change set answers with the failing request's response alone
            return BatchResponseWriter.Entry.single(failed.part);
        } catch (DataverseException commitFailed) {
            List<BatchParser.PartRequest> members = changeSet.requests();
            return BatchResponseWriter.Entry.single(
                    BatchResponseWriter.Part.error(members.get(members.size() - 1), commitFailed));
        }
    }

    private BatchResponseWriter.Entry run(ODataRequest outer, BatchParser.PartRequest part,
            Map<String, String> references) {
        return BatchResponseWriter.Entry.single(execute(outer, part, references));
    }

    /** Runs one request of the batch; a failure becomes its error response. */
    private BatchResponseWriter.Part execute(ODataRequest outer, BatchParser.PartRequest part,
            Map<String, String> references) {
        try {
            ODataRequest inner = innerRequest(outer, part, references);
            if (inner.path().equals("$batch") || inner.path().equals("%24batch")) {
                throw new DataverseException(400, ErrorCodes.INVALID_ARGUMENT,
                        "A batch request cannot contain another batch request.");
            }
            ODataResponse response = service.handle(inner);
            return BatchResponseWriter.Part.of(part, response, inner.method());
        } catch (DataverseException failure) {
            return BatchResponseWriter.Part.error(part, failure);
        } catch (RuntimeException failure) {
            LOG.error("Request {} {} of a batch failed", part.method(), part.target(), failure);
            return BatchResponseWriter.Part.error(part, new DataverseException(500, ErrorCodes.UNEXPECTED,
                    "An unexpected error occurred.", failure));
        }
    }

    private static ODataRequest innerRequest(ODataRequest outer, BatchParser.PartRequest part,
            Map<String, String> references) {
        String target = resolveReference(part.target(), references);
        String serviceRoot = outer.serviceRoot();
        String relative = relativeToServiceRoot(target, serviceRoot);
        int question = relative.indexOf('?');
        String path = question < 0 ? relative : relative.substring(0, question);
        String query = question < 0 ? null : relative.substring(question + 1);
        byte[] body = references.isEmpty() || part.body().length == 0 ? part.body()
                : resolveBodyReferences(part.body(), references);
        Map<String, String> headers = part.headers();
        return new ODataRequest(part.method(), path, query == null || query.isEmpty() ? null : query, serviceRoot,
                name -> {
                    String value = headers.get(name);
                    return value == null ? List.of() : List.of(value);
                },
                new ByteArrayInputStream(body), caller(outer, headers), outer.impersonation());
    }

    /**
     * The user a request of the batch acts as. Clients repeat a request's headers in its part, so a part may name the
     * user to impersonate itself; it then replaces the batch's impersonation for that request, under the same rules
     * as a request alone (the real caller needs prvActOnBehalfOfAnotherUser). A part naming nobody acts as the batch
     * does, impersonation included.
     */
    private static Caller caller(ODataRequest outer, Map<String, String> headers) {
        String callerObjectId = headers.get("CallerObjectId");
        String callerId = headers.get("MSCRMCallerID");
        if (blank(callerObjectId) && blank(callerId)) {
            return outer.caller();
        }
        return outer.impersonation().callerFor(callerObjectId, callerId);
    }

    private static boolean blank(@Nullable String value) {
        return value == null || value.isBlank();
    }

    /** A {@code $n} reference (alone or followed by a path) replaced by the entity URL request n answered with. */
    private static String resolveReference(String value, Map<String, String> references) {
        Matcher matcher = REFERENCE.matcher(value);
        if (!matcher.matches() || SYSTEM_RESOURCES.contains(matcher.group(1))) {
            return value;
        }
        String url = references.get(matcher.group(1));
        if (url == null) {
            throw new DataverseException(400, ErrorCodes.INVALID_ARGUMENT,
                    "Content-ID Reference: '$" + matcher.group(1) + "' does not exist in the batch context.");
        }
        return url + (matcher.group(2) == null ? "" : matcher.group(2));
    }

    /** The part's URL below the service root: absolute, host-relative ({@code /api/data/v9.2/…}) or relative. */
    private static String relativeToServiceRoot(String target, String serviceRoot) {
        int versionRoot = target.indexOf("/api/data/v9.");
        if (target.startsWith("http://") || target.startsWith("https://") || target.startsWith("/")) {
            if (versionRoot < 0) {
                throw new DataverseException(400, ErrorCodes.INVALID_ARGUMENT, "The URL '"
                        + MultipartReader.abbreviate(target) + "' of a batch request is not based on '" + serviceRoot
                        + "'.");
            }
            int pathStart = target.indexOf('/', versionRoot + "/api/data/v9.".length());
            return pathStart < 0 ? "" : target.substring(pathStart + 1);
        }
        return target;
    }

    private static byte[] resolveBodyReferences(byte[] body, Map<String, String> references) {
        JsonNode tree;
        try {
            tree = PayloadReader.JSON.readTree(body);
        } catch (IOException e) {
            return body; // the request's own handler reports the malformed JSON
        }
        if (tree == null || !tree.isObject()) {
            return body;
        }
        resolveIn((ObjectNode) tree, references);
        try {
            return PayloadReader.JSON.writeValueAsBytes(tree);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void resolveIn(ObjectNode object, Map<String, String> references) {
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            String name = field.getKey();
            JsonNode value = field.getValue();
            boolean link = name.endsWith("@odata.bind") || name.equals("@odata.id");
            if (link && value.isTextual()) {
                field.setValue(TextNode.valueOf(resolveReference(value.asText(), references)));
            } else if (value.isObject()) {
                resolveIn((ObjectNode) value, references);
            } else if (value.isArray()) {
                ArrayNode array = (ArrayNode) value;
                for (int i = 0; i < array.size(); i++) {
                    JsonNode element = array.get(i);
                    if (link && element.isTextual()) {
                        array.set(i, TextNode.valueOf(resolveReference(element.asText(), references)));
                    } else if (element.isObject()) {
                        resolveIn((ObjectNode) element, references);
                    }
                }
            }
        }
    }

    /** Leaves a change set's transaction with the response of the request that failed, rolling it back. */
    private static final class ChangeSetFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient BatchResponseWriter.Part part;

        ChangeSetFailed(BatchResponseWriter.Part part) {
            super("request of a change set failed with " + part.status(), null, false, false);
            this.part = Objects.requireNonNull(part);
        }
    }

    static byte[] render(ODataResponse.@Nullable BodyWriter body) {
        if (body == null) {
            return new byte[0];
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            body.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
