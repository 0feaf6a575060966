package io.flowbin.odata;

import com.fasterxml.jackson.core.JsonGenerator;
import io.flowbin.error.DataverseException;
import io.flowbin.error.ErrorCodes;
import io.flowbin.files.FileColumns;
import io.flowbin.metadata.Catalog;
import io.flowbin.metadata.TableDefinition;
import io.flowbin.messages.AccessMessages;
import io.flowbin.messages.MessageContext;
import java.util.List;
import java.util.function.Supplier;
import org.apache.olingo.server.api.uri.UriInfo;
import org.apache.olingo.server.api.uri.UriInfoKind;
import org.apache.olingo.server.api.uri.UriResource;
import org.apache.olingo.server.api.uri.UriResourceAction;
import org.apache.olingo.server.api.uri.UriResourceEntitySet;
import org.apache.olingo.server.api.uri.UriResourceFunction;
import org.jspecify.annotations.Nullable;

/**
 * The Web API below the service root: the service document, {@code $metadata}, {@code WhoAmI}, {@code $batch}, the
 * bulk actions, {@code IsValidStateTransition} and the entity sets.
 * Parses each URI with Olingo, then hands the typed request to the handler of its message. Thread-safe.
 */
public final class ODataService {
    private final Catalog catalog;
    private final ODataModel model;
    private final EntityRequests entities;
    private final MetadataQueries definitions;
    private final BulkRequests bulk;
    private final BatchRequests batch;
    private final StateTransitionRequests stateTransitions;
    private final SecurityRequests security;
    private final MessageContext context;
    private final @Nullable FileRequests fileRequests;
    private final @Nullable FileActions fileActions;

    /**
     * The largest body a request may carry and the error when it carries more. The route itself refuses the first
     * byte beyond the limit while it reads the body.
     *
     * @param exceeded the error to answer with
     */
    public record BodyLimit(long maxBytes, Supplier<DataverseException> exceeded) {}

    public ODataService(Catalog catalog, ODataModel model, MessageContext context) {
        this(catalog, model, context, null);
    }

    /** @param files the file columns' storage, or null to serve no file operations */
    public ODataService(Catalog catalog, ODataModel model, MessageContext context, @Nullable FileColumns files) {
        this.catalog = catalog;
        this.model = model;
        this.context = context;
        AccessMessages access = new AccessMessages(context);
        this.fileRequests = files == null ? null : new FileRequests(catalog, files, access);
        this.fileActions = files == null ? null : new FileActions(files, new ResourceUrls(catalog), access);
        this.entities = new EntityRequests(catalog, context, fileRequests);
        this.definitions = new MetadataQueries(catalog);
        this.bulk = new BulkRequests(catalog, context);
        this.batch = new BatchRequests(this, context.database());
        this.stateTransitions = new StateTransitionRequests(catalog, context);
        this.security = new SecurityRequests(catalog, context);
    }

    /**
     * The body limit of this request when it differs from the server-wide one (uploads to a File column are limited
     * by the column's size), or null.
     *
     * @param path the path below the service root, as in {@link ODataRequest#path()}
     */
    public @Nullable BodyLimit bodyLimit(String method, String path) {
        return fileRequests == null ? null : fileRequests.bodyLimit(method, path);
    }

    public ODataResponse handle(ODataRequest request) {
        String path = request.path();
        if (fileActions != null && FileActions.handles(path)) {
            return fileActions.handle(request);
        }
        if (path.isEmpty()) {
            requireMethod(request, "GET");
            return serviceDocument(request.serviceRoot());
        }
        if (MetadataQueries.handles(path)) {
            return definitions.handle(request);
        }
        if (path.equals("$batch") || path.equals("%24batch")) {
            return batch.handle(request);
        }
        if (StateTransitionRequests.handles(path)) {
            return stateTransitions.handle(request);
        }
        if (SecurityRequests.handles(path)) {
            return security.handle(request);
        }
        if (path.equals("$metadata")) {
            requireMethod(request, "GET");
            byte[] xml = model.metadataXmlShared();
            return ODataResponse.of(200, "application/xml", out -> out.write(xml));
        }
        // Dataverse accepts a function without parameters also without parentheses ("WhoAmI")
        String resourcePath = isBareFunctionName(path) ? path + "()" : path;
        UriInfo info = model.parse(resourcePath, request.query(), request.serviceRoot());
        if (info.getKind() != UriInfoKind.resource) {
            throw notFound(path);
        }
        List<UriResource> parts = info.getUriResourceParts();
        UriResource first = parts.get(0);
        if (first instanceof UriResourceFunction function && function.getFunctionImport() != null
                && function.getFunctionImport().getName().equals("WhoAmI")) {
            requireMethod(request, "GET");
            return whoAmI(request);
        }
        if (first instanceof UriResourceEntitySet entitySet) {
            TableDefinition table = catalog.tableByEntitySet(entitySet.getEntitySet().getName());
            if (table != null && parts.size() == 2 && parts.get(1) instanceof UriResourceAction action
                    && entitySet.getKeyPredicates().isEmpty()) {
                return bulk.handle(request, table, action.getAction().getName());
            }
            if (table != null) {
                return entities.handle(request, info, table);
            }
        }
        throw notFound(path);
    }

    private boolean isBareFunctionName(String path) {
        return path.indexOf('(') < 0 && path.indexOf('/') < 0
                && model.edm().getEntityContainer().getFunctionImport(path) != null;
    }

    static DataverseException notFound(String path) {
        String segment = path.contains("/") ? path.substring(0, path.indexOf('/')) : path;
        return new DataverseException(404, ErrorCodes.RESOURCE_NOT_FOUND,
                "Resource not found for the segment '" + segment + "'.");
    }

    static void requireMethod(ODataRequest request, String... allowed) {
        for (String method : allowed) {
            if (method.equals(request.method())) {
                return;
            }
        }
        throw methodNotAllowed(request);
    }

    static DataverseException methodNotAllowed(ODataRequest request) {
        return new DataverseException(405, ErrorCodes.METHOD_NOT_ALLOWED,
                "The HTTP method '" + request.method() + "' is not allowed for this resource.");
    }

    private ODataResponse serviceDocument(String serviceRoot) {
        return ODataResponse.json(200, out -> {
            try (JsonGenerator json = PayloadReader.JSON.getFactory().createGenerator(out)) {
                json.writeStartObject();
                json.writeStringField("@odata.context", serviceRoot + "$metadata");
                json.writeArrayFieldStart("value");
                for (TableDefinition table : catalog.tables()) {
                    json.writeStartObject();
                    json.writeStringField("name", table.entitySetName());
                    json.writeStringField("kind", "EntitySet");
                    json.writeStringField("url", table.entitySetName());
                    json.writeEndObject();
                }
                json.writeEndArray();
                json.writeEndObject();
            }
        });
    }

    private ODataResponse whoAmI(ODataRequest request) {
        return ODataResponse.json(200, out -> {
            try (JsonGenerator json = PayloadReader.JSON.getFactory().createGenerator(out)) {
                json.writeStartObject();
                json.writeStringField("@odata.context",
                        request.serviceRoot() + "$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse");
                json.writeStringField("BusinessUnitId", request.caller().businessUnitId().toString());
                json.writeStringField("UserId", request.caller().userId().toString());
                json.writeStringField("OrganizationId", request.caller().organizationId().toString());
                json.writeEndObject();
            }
        });
    }

    MessageContext context() {
        return context;
    }
}
