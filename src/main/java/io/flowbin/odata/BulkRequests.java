package io.flowbin.odata;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowbin.error.DataverseException;
import io.flowbin.metadata.Catalog;
import io.flowbin.metadata.TableDefinition;
import io.flowbin.messages.CreateMultipleMessage;
import io.flowbin.messages.EntityReference;
import io.flowbin.messages.MessageContext;
import io.flowbin.messages.UpdateMultipleMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The bulk actions bound to an entity set: {@code POST <set>/Microsoft.Dynamics.CRM.CreateMultiple},
 * {@code UpdateMultiple} and {@code UpsertMultiple}, with {@code {"Targets":[…]}} whose items each name the table
 * in {@code @odata.type}. Reads every target as a single Create or Update body is read, naming the target in any
 * error, and hands them to the bulk messages. Thread-safe.
 */
final class BulkRequests {
    private final PayloadReader payloads;
    private final ResourceUrls urls;
    private final CreateMultipleMessage createMultiple;
    private final UpdateMultipleMessage updateMultiple;

    BulkRequests(Catalog catalog, MessageContext context) {
        this.urls = new ResourceUrls(catalog);
        this.payloads = new PayloadReader(catalog, urls);
        this.createMultiple = new CreateMultipleMessage(context);
        this.updateMultiple = new UpdateMultipleMessage(context);
    }

    ODataResponse handle(ODataRequest request, TableDefinition table, String action) {
        ODataService.requireMethod(request, "POST");
        boolean upsert = action.equals(OperationsEdm.UPSERT_MULTIPLE);
        List<Map<String, @Nullable Object>> targets = readTargets(request, table, upsert);
        if (action.equals(OperationsEdm.CREATE_MULTIPLE)) {
            List<UUID> ids = createMultiple.execute(
                    new CreateMultipleMessage.Request(table, targets, request.caller())).ids();
            return ODataResponse.json(200, out -> {
                try (JsonGenerator json = PayloadReader.JSON.getFactory().createGenerator(out)) {
                    json.writeStartObject();
                    json.writeStringField("@odata.context", request.serviceRoot() + "$metadata#"
                            + OperationsEdm.CREATE_MULTIPLE_RESPONSE.getFullQualifiedNameAsString());
                    json.writeArrayFieldStart("Ids");
                    for (UUID id : ids) {
                        json.writeString(id.toString());
                    }
                    json.writeEndArray();
                    json.writeEndObject();
                }
            });
        }
        updateMultiple.execute(new UpdateMultipleMessage.Request(table, targets, upsert, request.caller()));
        return ODataResponse.noContent();
    }

    private List<Map<String, @Nullable Object>> readTargets(ODataRequest request, TableDefinition table,
            boolean upsert) {
        String entitySet = table.entitySetName();
        ObjectNode body = PayloadReader.readObject(request.body(), entitySet);
        for (Map.Entry<String, JsonNode> parameter : body.properties()) {
            if (!parameter.getKey().equals("Targets") && !parameter.getKey().startsWith("@")) {
                throw PayloadErrors.payload(entitySet, "The parameter '" + parameter.getKey()
                        + "' in the request payload is not a valid parameter for the operation.");
            }
        }
        JsonNode targets = body.get("Targets");
        if (targets == null || !targets.isArray()) {
            throw PayloadErrors.payload(entitySet, "The parameter 'Targets' must be an array of entities.");
        }
        if (targets.isEmpty()) {
            throw PayloadErrors.payload(entitySet, "The parameter 'Targets' holds no entity.");
        }
        String typeName = EdmProvider.NAMESPACE + "." + table.logicalName();
        List<Map<String, @Nullable Object>> rows = new ArrayList<>(targets.size());
        for (int i = 0; i < targets.size(); i++) {
            JsonNode target = targets.get(i);
            try {
                rows.add(readTarget(target, table, typeName, upsert));
            } catch (DataverseException error) {
                throw new DataverseException(error.httpStatus(), error.code(),
                        error.getMessage() + " (Targets[" + i + "])", error);
            }
        }
        return rows;
    }

    private Map<String, @Nullable Object> readTarget(JsonNode target, TableDefinition table, String typeName,
            boolean upsert) {
        String entitySet = table.entitySetName();
        if (!target.isObject()) {
            throw PayloadErrors.payload(entitySet, "Each item of 'Targets' must be an entity object.");
        }
        JsonNode type = target.get("@odata.type");
        String declared = type == null || !type.isTextual() ? null : type.asText().replaceFirst("^#", "")
                .replaceFirst("^" + EdmProvider.ALIAS + "\\.", EdmProvider.NAMESPACE + ".");
        if (declared == null) {
            throw PayloadErrors.payload(entitySet, "The '@odata.type' annotation is missing; each item of 'Targets'"
                    + " must name its type, here '" + typeName + "'.");
        }
        if (!declared.equals(typeName)) {
            throw PayloadErrors.payload(entitySet, "The type '" + declared + "' of an item of 'Targets' is not '"
                    + typeName + "': all targets of one request belong to the table the action is bound to.");
        }
        Map<String, @Nullable Object> values = payloads.read(table, (ObjectNode) target);
        JsonNode reference = target.get("@odata.id");
        if (upsert && reference != null) {
            EntityReference row = reference.isTextual() ? urls.parseEntityUrl(reference.asText()) : null;
            if (row == null || !row.table().equals(table.logicalName())) {
                throw PayloadErrors.payload(entitySet, "The '@odata.id' value '" + reference.asText()
                        + "' does not name a row of '" + entitySet + "' by its key.");
            }
            Object key = values.get(table.primaryIdAttribute());
            if (key != null && !key.equals(row.id())) {
                throw PayloadErrors.payload(entitySet, "The '@odata.id' and the '" + table.primaryIdAttribute()
                        + "' property name different rows.");
            }
            values.put(table.primaryIdAttribute(), row.id());
        }
        return values;
    }
}
