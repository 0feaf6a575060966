package io.flowbin.odata;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.flowbin.error.DataverseException;
import io.flowbin.error.ErrorCodes;
import io.flowbin.metadata.Catalog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.olingo.commons.api.edm.Edm;
import org.apache.olingo.commons.api.edm.EdmStructuredType;
import org.apache.olingo.commons.api.edm.EdmType;
import org.apache.olingo.server.api.OData;
import org.apache.olingo.server.api.ODataLibraryException;
import org.apache.olingo.server.api.uri.UriInfo;
import org.apache.olingo.server.api.uri.UriInfoKind;
import org.apache.olingo.server.api.uri.UriParameter;
import org.apache.olingo.server.api.uri.UriResource;
import org.apache.olingo.server.api.uri.UriResourceEntitySet;
import org.apache.olingo.server.api.uri.UriResourceNavigation;
import org.apache.olingo.server.api.uri.UriResourceProperty;
import org.apache.olingo.server.api.uri.queryoption.FilterOption;
import org.apache.olingo.server.core.uri.parser.Parser;
import org.apache.olingo.server.core.uri.parser.UriParserSemanticException;
import org.jspecify.annotations.Nullable;

/**
 * The definition entity sets, {@code EntityDefinitions}, {@code RelationshipDefinitions} and
 * {@code GlobalOptionSetDefinitions}, answered from the catalog: by key or alternate key, along the {@code Attributes}
 * and relationship navigation properties, with derived-type casts, {@code $select}, {@code $filter} and
 * {@code $expand}. Definition queries are never paged. Thread-safe.
 */
public final class MetadataQueries {
    private static final List<String> ENTITY_SETS = List.of(MetadataEdmProvider.ENTITY_DEFINITIONS,
            MetadataEdmProvider.RELATIONSHIP_DEFINITIONS, MetadataEdmProvider.GLOBAL_OPTION_SET_DEFINITIONS);
    private static final Set<String> UNSUPPORTED_OPTIONS = Set.of("$top", "$skip", "$orderby", "$count", "$search",
            "$apply", "$compute", "$format", "$levels", "$skiptoken", "$deltatoken");

    private final OData odata = OData.newInstance();
    private final Edm edm;
    private final MetadataTree tree;
    private final MetadataWriter writer;

    public MetadataQueries(Catalog catalog) {
        this.edm = odata.createServiceMetadata(new MetadataEdmProvider(), List.of()).getEdm();
        this.tree = new MetadataTree(catalog);
        this.writer = new MetadataWriter(edm);
    }

    /** Whether a path below the service root addresses one of the definition entity sets. */
    public static boolean handles(String path) {
        for (String set : ENTITY_SETS) {
            if (path.startsWith(set) && (path.length() == set.length() || "(/".indexOf(path.charAt(set.length()))
                    >= 0)) {
                return true;
            }
        }
        return false;
    }

    public ODataResponse handle(ODataRequest request) {
        ODataService.requireMethod(request, "GET");
        rejectUnsupportedOptions(request.query());
        UriInfo info = parse(MetadataKeys.resolve(tree, request.path()), request.query(), request.serviceRoot());
        if (info.getKind() != UriInfoKind.resource
                || !(info.getUriResourceParts().get(0) instanceof UriResourceEntitySet)) {
            throw ODataService.notFound(request.path());
        }
        Cursor cursor = new Cursor();
        List<UriResource> parts = info.getUriResourceParts();
        for (int i = 0; i < parts.size(); i++) {
            UriResource part = parts.get(i);
            boolean last = i == parts.size() - 1;
            if (part instanceof UriResourceEntitySet set) {
                String name = set.getEntitySet().getName();
                cursor.enter(name, new ArrayList<>(tree.entitySet(name)), set.getEntityType(), true);
                narrow(cursor, set.getTypeFilterOnCollection(), set.getKeyPredicates(), set.getTypeFilterOnEntry());
            } else if (part instanceof UriResourceNavigation navigation && cursor.single != null) {
                String name = navigation.getProperty().getName();
                JsonNode value = cursor.single.path(name);
                List<JsonNode> nodes = new ArrayList<>();
                if (value.isArray()) {
                    value.forEach(nodes::add);
                } else if (value.isObject()) {
                    nodes.add(value);
                }
                // the property's cardinality: Olingo reports a keyed segment as single
                boolean collection = navigation.getProperty().isCollection();
                cursor.enter(name, nodes, navigation.getProperty().getType(), collection);
                if (!collection && nodes.isEmpty()) {
                    return ODataResponse.noContent();
                }
                narrow(cursor, navigation.getTypeFilterOnCollection(), navigation.getKeyPredicates(),
                        navigation.getTypeFilterOnEntry());
            } else if (part instanceof UriResourceProperty property && last && cursor.single != null) {
                return propertyValue(request, cursor, property.getProperty().getName());
            } else {
                throw new DataverseException(400, ErrorCodes.INVALID_QUERY,
                        "The path segment '" + part.getSegmentValue() + "' is not supported on definitions.");
            }
        }
        return cursor.single != null ? single(request, info, cursor) : collection(request, info, cursor);
    }

    private static void rejectUnsupportedOptions(@Nullable String query) {
        if (query == null) {
            return;
        }
        for (String parameter : query.split("&")) {
            String name = parameter.contains("=") ? parameter.substring(0, parameter.indexOf('=')) : parameter;
            if (UNSUPPORTED_OPTIONS.contains(name)) {
                throw new DataverseException(400, ErrorCodes.INVALID_QUERY,
                        "The query parameter " + name + " is not supported on definitions.");
            }
        }
    }

    private UriInfo parse(String path, @Nullable String query, String serviceRoot) {
        try {
            return new Parser(edm, odata).parseUri(path, query, null, serviceRoot);
        } catch (UriParserSemanticException e) {
            boolean missing = e.getMessageKey() == UriParserSemanticException.MessageKeys.RESOURCE_NOT_FOUND;
            throw new DataverseException(missing ? 404 : 400, ErrorCodes.INVALID_QUERY, ODataModel.message(e), e);
        } catch (ODataLibraryException e) {
            throw new DataverseException(400, ErrorCodes.INVALID_QUERY, ODataModel.message(e), e);
        }
    }

    /** Applies a segment's collection cast, key and entry cast to the cursor. */
    private void narrow(Cursor cursor, @Nullable EdmType collectionCast, List<UriParameter> keys,
            @Nullable EdmType entryCast) {
        if (collectionCast != null) {
            EdmStructuredType type = castable(collectionCast);
            cursor.collectionCast = type.getFullQualifiedName().getFullQualifiedNameAsString();
            cursor.type = type;
            cursor.nodes.removeIf(node -> !MetadataFilter.isOfType(edm, node, collectionCast));
        }
        if (!keys.isEmpty()) {
            String id = unquote(String.valueOf(keys.get(0).getText()));
            JsonNode found = cursor.nodes.stream()
                    .filter(node -> node.path("MetadataId").asText().equalsIgnoreCase(id))
                    .findFirst()
                    .orElseThrow(() -> MetadataKeys.notFound(cursor.name, cursor.parent, "MetadataId", id));
            cursor.single = found;
        } else if (!cursor.collection && !cursor.nodes.isEmpty()) {
            cursor.single = cursor.nodes.get(0);
        }
        if (entryCast != null && cursor.single != null) {
            EdmStructuredType type = castable(entryCast);
            if (!MetadataFilter.isOfType(edm, cursor.single, type)) {
                throw new DataverseException(404, ErrorCodes.OBJECT_DOES_NOT_EXIST, "The definition '"
                        + cursor.single.path("MetadataId").asText() + "' is not of type '"
                        + type.getFullQualifiedName().getFullQualifiedNameAsString() + "'.");
            }
            cursor.entryCast = type.getFullQualifiedName().getFullQualifiedNameAsString();
            cursor.type = type;
        }
    }

    private static EdmStructuredType castable(EdmType cast) {
        if (!(cast instanceof EdmStructuredType type) || type.isAbstract()) {
            throw new DataverseException(400, ErrorCodes.INVALID_QUERY, "The type '"
                    + cast.getFullQualifiedName().getFullQualifiedNameAsString()
                    + "' is abstract and cannot be used in a cast; cast to one of its derived types.");
        }
        return type;
    }

    private static String unquote(String text) {
        return text.length() > 1 && text.startsWith("'") && text.endsWith("'")
                ? text.substring(1, text.length() - 1)
                : text;
    }

    private ODataResponse single(ODataRequest request, UriInfo info, Cursor cursor) {
        JsonNode node = Objects.requireNonNull(cursor.single);
        EdmStructuredType type = Objects.requireNonNull(cursor.type);
        String context = request.serviceRoot() + "$metadata#" + cursor.contextPath()
                + MetadataWriter.contextSelect(info.getSelectOption(), info.getExpandOption()) + "/$entity";
        return rendered(out -> {
            try (JsonGenerator json = PayloadReader.JSON.getFactory().createGenerator(out)) {
                writer.writeEntity(json, context, node, type, info.getSelectOption(), info.getExpandOption());
            }
        });
    }

    private ODataResponse collection(ODataRequest request, UriInfo info, Cursor cursor) {
        FilterOption filter = info.getFilterOption();
        List<JsonNode> nodes = filter == null ? cursor.nodes : cursor.nodes.stream()
                .filter(node -> MetadataFilter.matches(edm, filter.getExpression(), node))
                .toList();
        String context = request.serviceRoot() + "$metadata#" + cursor.contextPath()
                + MetadataWriter.contextSelect(info.getSelectOption(), info.getExpandOption());
        EdmStructuredType type = Objects.requireNonNull(cursor.type);
        return rendered(out -> {
            try (JsonGenerator json = PayloadReader.JSON.getFactory().createGenerator(out)) {
                json.writeStartObject();
                json.writeStringField("@odata.context", context);
                json.writeArrayFieldStart("value");
                for (JsonNode node : nodes) {
                    writer.writeEntity(json, null, node, type, info.getSelectOption(), info.getExpandOption());
                }
                json.writeEndArray();
                json.writeEndObject();
            }
        });
    }

    private ODataResponse propertyValue(ODataRequest request, Cursor cursor, String property) {
        JsonNode single = cursor.single;
        String context = request.serviceRoot() + "$metadata#" + cursor.prefix + cursor.keyedSegment() + "/"
                + property;
        JsonNode value = single == null ? null : single.get(property);
        if (value == null || value.isNull()) {
            return ODataResponse.noContent();
        }
        return rendered(out -> {
            try (JsonGenerator json = PayloadReader.JSON.getFactory().createGenerator(out)) {
                json.writeStartObject();
                json.writeStringField("@odata.context", context);
                json.writeFieldName("value");
                json.writeTree(value);
                json.writeEndObject();
            }
        });
    }

    /**
     * Writes the body before answering: definitions are small, and a failure while writing (a nested $filter the
     * server refuses) must still become an error response rather than a cut one.
     */
    private static ODataResponse rendered(ODataResponse.BodyWriter body) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try {
            body.writeTo(buffer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] bytes = buffer.toByteArray();
        return ODataResponse.json(200, out -> out.write(bytes));
    }

    /** Where the walk along the resource path stands: the candidate definitions and the context URL so far. */
    private static final class Cursor {
        String prefix = "";
        String name = "";
        @Nullable String collectionCast;
        @Nullable String entryCast;
        List<JsonNode> nodes = new ArrayList<>();
        @Nullable JsonNode single;
        @Nullable JsonNode parent;
        boolean collection;
        @Nullable EdmStructuredType type;

        void enter(String segmentName, List<JsonNode> candidates, EdmStructuredType declared, boolean isCollection) {
            if (single != null) {
                prefix += keyedSegment() + "/";
            }
            parent = single;
            name = segmentName;
            collectionCast = null;
            entryCast = null;
            nodes = candidates;
            single = null;
            collection = isCollection;
            type = declared;
        }

        /** The segment as the context URL of a response for this definition names it, key left out. */
        String contextPath() {
            return prefix + name + (collectionCast == null ? "" : "/" + collectionCast)
                    + (entryCast == null ? "" : "/" + entryCast);
        }

        /** The segment with the key of the selected definition, for the paths below it. */
        String keyedSegment() {
            String key = single == null || !collection ? "" : "('" + single.path("MetadataId").asText() + "')";
            return name + (collectionCast == null ? "" : "/" + collectionCast) + key
                    + (entryCast == null ? "" : "/" + entryCast);
        }
    }
}
