package io.flowbin.odata;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowbin.data.StoredRow;
import io.flowbin.error.DataverseException;
import io.flowbin.error.ErrorCodes;
import io.flowbin.files.FileColumns;
import io.flowbin.metadata.Catalog;
import io.flowbin.metadata.ColumnDefinition;
import io.flowbin.metadata.NavigationProperty;
import io.flowbin.metadata.RelationshipDefinition;
import io.flowbin.metadata.TableDefinition;
import io.flowbin.messages.CreateMessage;
import io.flowbin.messages.DeleteMessage;
import io.flowbin.messages.MessageContext;
import io.flowbin.messages.RetrieveMessage;
import io.flowbin.messages.UpdateMessage;
import io.flowbin.messages.UpdateMessage.Precondition;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.olingo.server.api.uri.UriInfo;
import org.apache.olingo.server.api.uri.UriParameter;
import org.apache.olingo.server.api.uri.UriResource;
import org.apache.olingo.server.api.uri.UriResourceEntitySet;
import org.apache.olingo.server.api.uri.UriResourceNavigation;
import org.apache.olingo.server.api.uri.UriResourcePrimitiveProperty;
import org.apache.olingo.server.api.uri.UriResourceRef;
import org.apache.olingo.server.api.uri.UriResourceValue;
import org.jspecify.annotations.Nullable;

/**
 * Requests on an entity set, one row, one of its properties or one of its lookups: Create, Retrieve, Update and
 * Upsert, Delete, single-property PUT/DELETE and clearing a lookup through {@code $ref}. Thread-safe.
 */
final class EntityRequests {
    private final Catalog catalog;
    private final PayloadReader payloads;
    private final EntityWriter writer;
    private final CreateMessage create;
    private final RetrieveMessage retrieve;
    private final UpdateMessage update;
    private final DeleteMessage delete;
    private final Map<String, Selection> allColumns = new java.util.concurrent.ConcurrentHashMap<>();
    private final @Nullable FileRequests files;
    private final CollectionRequests collections;
    private final ReferenceRequests references;

    EntityRequests(Catalog catalog, MessageContext context) {
        this(catalog, context, null);
    }

    EntityRequests(Catalog catalog, MessageContext context, @Nullable FileRequests files) {
        this.files = files;
        this.catalog = catalog;
        this.payloads = new PayloadReader(catalog, new ResourceUrls(catalog));
        this.writer = new EntityWriter(catalog);
        this.create = new CreateMessage(context);
        this.retrieve = new RetrieveMessage(context);
        this.update = new UpdateMessage(context);
        this.delete = new DeleteMessage(context);
        this.collections = new CollectionRequests(catalog, context, writer);
        this.references = new ReferenceRequests(catalog, context);
    }

    ODataResponse handle(ODataRequest request, UriInfo info, TableDefinition table) {
        List<UriResource> parts = info.getUriResourceParts();
        UriResourceEntitySet entitySet = (UriResourceEntitySet) parts.get(0);
        if (entitySet.getKeyPredicates().isEmpty()) {
            if (parts.size() == 1 && request.method().equals("POST")) {
                return create(request, info, table);
            }
            if (request.method().equals("GET")) {
                return collections.handle(request, info, table);
            }
            throw ODataService.methodNotAllowed(request);
        }
        UUID id = keyOf(table, entitySet.getKeyPredicates());
        if (parts.size() == 1) {
            return switch (request.method()) {
                case "GET" -> retrieve(request, info, table, id);
                case "PATCH" -> update(request, info, table, id);
                case "DELETE" -> delete(request, table, id);
                default -> throw ODataService.methodNotAllowed(request);
            };
        }
        UriResource second = parts.get(1);
        if (second instanceof UriResourcePrimitiveProperty property) {
            boolean rawValue = parts.size() == 3 && parts.get(2) instanceof UriResourceValue;
            if (parts.size() > 2 && !rawValue) {
                throw ODataService.notFound(request.path());
            }
            return property(request, table, id, property.getProperty().getName(), rawValue);
        }
        if (second instanceof UriResourceNavigation navigation && parts.size() == 3
                && parts.get(2) instanceof UriResourceRef) {
            NavigationProperty property = catalog.navigationProperties(table).get(navigation.getProperty().getName());
            if (property != null && property.collection()) {
                return references.handle(request, info, table, id, navigation, property);
            }
            return reference(request, table, id, navigation.getProperty().getName());
        }
        if (second instanceof UriResourceNavigation navigation && parts.size() == 2
                && request.method().equals("GET")) {
            NavigationProperty property = catalog.navigationProperties(table).get(navigation.getProperty().getName());
            RelationshipDefinition relationship = property == null ? null
                    : catalog.relationship(property.relationship());
            if (property != null && property.collection() && relationship != null
                    && relationship.kind() == RelationshipDefinition.Kind.ONE_TO_MANY) {
                TableDefinition related = catalog.table(property.targets().get(0));
                if (related != null) {
                    return collections.related(request, info, related, property.column(), id);
                }
            }
        }
        throw new DataverseException(400, ErrorCodes.INVALID_QUERY,
                "The path '" + request.path() + "' is not supported by this server yet.");
    }

    private static UUID keyOf(TableDefinition table, List<UriParameter> keys) {
        String text = keys.get(0).getText();
        UUID id = text == null ? null : Guids.parse(text);
        if (keys.size() != 1 || id == null) {
            throw new DataverseException(400, ErrorCodes.INVALID_QUERY, "The key of '" + table.entitySetName()
                    + "' must be a GUID; '" + text + "' is not.");
        }
        return id;
    }

    private ODataResponse create(ODataRequest request, UriInfo info, TableDefinition table) {
        Map<String, @Nullable Object> values = readBody(request, table);
        CreateMessage.Response created = create.execute(new CreateMessage.Request(table, values, request.caller()));
        Preferences preferences = Preferences.parse(request.headerValues("Prefer"));
        if (preferences.returnRepresentation()) {
            return representation(request, info, table, created.id(), 201, preferences);
        }
        return ODataResponse.noContent()
                .header("OData-EntityId", ResourceUrls.entityUrl(request.serviceRoot(), table, created.id()));
    }

    private ODataResponse retrieve(ODataRequest request, UriInfo info, TableDefinition table, UUID id) {
        if (info.getExpandOption() != null) {
            return collections.retrieveExpanded(request, info, table, id);
        }
        Preferences preferences = Preferences.parse(request.headerValues("Prefer"));
        Selection selection = Selection.of(catalog, table, info, allColumns);
        StoredRow row = retrieve.execute(new RetrieveMessage.Request(
                table, id, selection.read(), preferences.wantsAnnotation(EntityWriter.FORMATTED), request.caller()));
        String ifNoneMatch = request.header("If-None-Match");
        if (ifNoneMatch != null && !preferences.wantsAnyAnnotation() && info.getExpandOption() == null
                && Preconditions.versionOf(ifNoneMatch.trim()) == row.version()) {
            return ODataResponse.status(304);
        }
        return entityResponse(request, table, row, selection, 200, preferences);
    }

    private ODataResponse update(ODataRequest request, UriInfo info, TableDefinition table, UUID id) {
        Map<String, @Nullable Object> values = readBody(request, table);
        Preconditions preconditions = Preconditions.of(request);
        UpdateMessage.Response result = update.execute(new UpdateMessage.Request(
                table, id, values, preconditions.precondition(), preconditions.expectedVersion(), request.caller()));
        Preferences preferences = Preferences.parse(request.headerValues("Prefer"));
        if (preferences.returnRepresentation()) {
            return representation(request, info, table, result.id(), result.created() ? 201 : 200, preferences);
        }
        return ODataResponse.noContent()
                .header("OData-EntityId", ResourceUrls.entityUrl(request.serviceRoot(), table, result.id()));
    }

    private ODataResponse delete(ODataRequest request, TableDefinition table, UUID id) {
        Preconditions preconditions = Preconditions.of(request);
        Long expected = preconditions.precondition() == Precondition.MUST_EXIST ? preconditions.expectedVersion() : null;
        delete.execute(new DeleteMessage.Request(table, id, expected, request.caller()));
        return ODataResponse.noContent();
    }

    private ODataResponse property(ODataRequest request, TableDefinition table, UUID id, String propertyName,
            boolean rawValue) {
        String lookup = PropertyNames.lookupColumnOf(propertyName);
        ColumnDefinition column = table.column(lookup != null ? lookup : propertyName);
        if (column == null) {
            throw ODataService.notFound(request.path());
        }
        if (files != null && FileColumns.isFileColumn(column)) {
            return files.handle(request, table, id, column, rawValue);
        }
        switch (request.method()) {
            case "GET" -> {
                StoredRow row = retrieve.execute(
                        new RetrieveMessage.Request(table, id, List.of(column), false, request.caller()));
                Object value = row.value(column.logicalName());
                if (value == null) {
                    return ODataResponse.noContent();
                }
                if (rawValue) {
                    return ODataResponse.of(200, "text/plain", out -> out.write(
                            String.valueOf(value).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                }
                return ODataResponse.json(200, out -> {
                    try (JsonGenerator json = PayloadReader.JSON.getFactory().createGenerator(out)) {
                        json.writeStartObject();
                        json.writeStringField("@odata.context", request.serviceRoot() + "$metadata#"
                                + table.entitySetName() + "(" + id + ")/" + propertyName);
                        json.writeFieldName("value");
                        EntityWriter.writeValue(json, value);
                        json.writeEndObject();
                    }
                });
            }
            case "PUT" -> {
                if (column.type().isReference()) {
                    throw ODataService.methodNotAllowed(request);
                }
                ObjectNode body = PayloadReader.readObject(request.body(), table.entitySetName());
                if (!body.has("value")) {
                    throw PayloadErrors.payload(table.entitySetName(), "The property 'value' is missing.");
                }
                ObjectNode single = PayloadReader.JSON.createObjectNode().set(column.logicalName(), body.get("value"));
                writeColumns(request, table, id, payloads.read(table, single));
                return ODataResponse.noContent();
            }
            case "DELETE" -> {
                Map<String, @Nullable Object> cleared = new HashMap<>();
                cleared.put(column.logicalName(), null);
                writeColumns(request, table, id, cleared);
                return ODataResponse.noContent();
            }
            default -> throw ODataService.methodNotAllowed(request);
        }
    }

    private ODataResponse reference(ODataRequest request, TableDefinition table, UUID id, String navigationName) {
        NavigationProperty navigation = catalog.navigationProperties(table).get(navigationName);
        if (navigation == null || navigation.collection()) {
            throw new DataverseException(400, ErrorCodes.INVALID_QUERY,
                    "The navigation property '" + navigationName + "' is not a single-valued lookup.");
        }
        Map<String, @Nullable Object> values = new HashMap<>();
        switch (request.method()) {
            case "DELETE" -> values.put(navigation.column(), null);
            case "PUT" -> {
                ObjectNode body = PayloadReader.readObject(request.body(), table.entitySetName());
                ObjectNode bind = PayloadReader.JSON.createObjectNode();
                bind.set(navigationName + "@odata.bind", body.get("@odata.id"));
                values.putAll(payloads.read(table, bind));
            }
            default -> throw ODataService.methodNotAllowed(request);
        }
        writeColumns(request, table, id, values);
        return ODataResponse.noContent();
    }

    private void writeColumns(ODataRequest request, TableDefinition table, UUID id,
            Map<String, @Nullable Object> values) {
        Preconditions preconditions = Preconditions.of(request);
        update.execute(new UpdateMessage.Request(
                table, id, values, Precondition.MUST_EXIST, preconditions.expectedVersion(), request.caller()));
    }

    private Map<String, @Nullable Object> readBody(ODataRequest request, TableDefinition table) {
        String contentType = request.header("Content-Type");
        if (contentType != null && !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new DataverseException(415, ErrorCodes.INVALID_ARGUMENT,
                    "The content type '" + contentType + "' is not supported; send application/json.");
        }
        return payloads.read(table, PayloadReader.readObject(request.body(), table.entitySetName()));
    }

    private ODataResponse representation(ODataRequest request, UriInfo info, TableDefinition table, UUID id,
            int status, Preferences preferences) {
        Selection selection = Selection.of(catalog, table, info, allColumns);
        StoredRow row = retrieve.execute(new RetrieveMessage.Request(
                table, id, selection.read(), preferences.wantsAnnotation(EntityWriter.FORMATTED), request.caller()));
        return entityResponse(request, table, row, selection, status, preferences)
                .preferenceApplied("return=representation");
    }

    private ODataResponse entityResponse(ODataRequest request, TableDefinition table, StoredRow row,
            Selection selection, int status, Preferences preferences) {
        ODataResponse response = ODataResponse.json(status, out -> writer.write(
                out, request.serviceRoot(), table, row, selection.output(), selection.contextSelect(), preferences));
        if (preferences.annotationsText() != null) {
            response.preferenceApplied("odata.include-annotations=" + preferences.annotationsText());
        }
        return response;
    }
}
