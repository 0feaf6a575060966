package io.flowbin.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowbin.metadata.Catalog;
import io.flowbin.metadata.ColumnDefinition;
import io.flowbin.metadata.TableDefinition;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Writes an execution context as the JSON of Dataverse's {@code RemoteExecutionContext} (WCF data-contract style:
 * collections as key/value arrays, {@code __type} on entities, references and option values, dates as
 * {@code /Date(ms)/}), and reads one back for asynchronous in-process steps. Thread-safe.
 */
final class RemoteContextJson {
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String CONTRACTS = ":http://schemas.microsoft.com/xrm/2011/Contracts";
    private static final String CRM_CONTRACTS = ":http://schemas.microsoft.com/crm/2011/Contracts";
    private static final Pattern DATE = Pattern.compile("^/Date\\((-?\\d+)([+-]\\d{4})?\\)/$");
    private static final Pattern GUID =
            Pattern.compile("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Catalog catalog;
    private final String organizationName;

    RemoteContextJson(Catalog catalog, String organizationName) {
        this.catalog = catalog;
        this.organizationName = organizationName;
    }

    /** The context as JSON; {@code trimmed} drops the members the size limits drop. */
    String write(ExecutionContext context, boolean trimmed) {
        try {
            return MAPPER.writeValueAsString(node(context, trimmed));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("The execution context cannot be written as JSON", e);
        }
    }

    ObjectNode node(ExecutionContext context, boolean trimmed) {
        ObjectNode node = NODES.objectNode();
        node.put("BusinessUnitId", context.businessUnitId().toString());
        node.put("CorrelationId", context.correlationId().toString());
        node.put("Depth", context.depth());
        node.put("InitiatingUserId", context.initiatingUserId().toString());
        node.set("InputParameters", trimmed ? NODES.arrayNode() : parameters(context.inputParameters()));
        node.put("IsExecutingOffline", false);
        node.put("IsInTransaction", context.isInTransaction());
        node.put("IsOfflinePlayback", false);
        node.put("IsolationMode", 1);
        node.put("MessageName", context.messageName());
        node.put("Mode", context.mode());
        node.put("OperationCreatedOn", date(context.operationCreatedOn(), true));
        node.put("OperationId", context.operationId().toString());
        node.put("OrganizationId", context.organizationId().toString());
        node.put("OrganizationName", organizationName);
        node.set("OutputParameters", parameters(context.outputParameters()));
        EntityReference extension = context.owningExtension();
        node.set("OwningExtension", extension == null ? NODES.nullNode() : reference(extension, false));
        ExecutionContext parent = context.parentContext();
        node.set("ParentContext", parent == null || trimmed ? NODES.nullNode() : node(parent, false));
        node.set("PostEntityImages", trimmed ? NODES.arrayNode() : images(context.postEntityImages()));
        node.set("PreEntityImages", trimmed ? NODES.arrayNode() : images(context.preEntityImages()));
        UUID primary = context.primaryEntityId();
        node.put("PrimaryEntityId", primary == null ? "00000000-0000-0000-0000-000000000000" : primary.toString());
        node.put("PrimaryEntityName", context.primaryEntityName());
        node.putNull("RequestId");
        node.put("SecondaryEntityName", context.secondaryEntityName());
        node.set("SharedVariables", parameters(context.sharedVariables()));
        node.put("Stage", context.stage());
        node.put("UserId", context.userId().toString());
        return node;
    }

    private ArrayNode images(Map<String, Entity> images) {
        ArrayNode array = NODES.arrayNode();
        for (Map.Entry<String, Entity> image : images.entrySet()) {
            ObjectNode pair = array.addObject();
            pair.put("key", image.getKey());
            pair.set("value", entity(image.getValue()));
        }
        return array;
    }

    private ArrayNode parameters(Map<String, @Nullable Object> parameters) {
        ArrayNode array = NODES.arrayNode();
        for (Map.Entry<String, @Nullable Object> parameter : parameters.entrySet()) {
            ObjectNode pair = array.addObject();
            pair.put("key", parameter.getKey());
            pair.set("value", value(null, parameter.getKey(), parameter.getValue()));
        }
        return array;
    }

    private ObjectNode entity(Entity entity) {
        ObjectNode node = NODES.objectNode();
        node.put("__type", "Entity" + CONTRACTS);
        TableDefinition table = catalog.table(entity.logicalName());
        ArrayNode attributes = node.putArray("Attributes");
        for (Map.Entry<String, @Nullable Object> attribute : entity.attributes().entrySet()) {
            ObjectNode pair = attributes.addObject();
            pair.put("key", attribute.getKey());
            pair.set("value", value(table, attribute.getKey(), attribute.getValue()));
        }
        node.putNull("EntityState");
        node.putArray("FormattedValues");
        UUID id = entity.id();
        node.put("Id", id == null ? "00000000-0000-0000-0000-000000000000" : id.toString());
        node.putArray("KeyAttributes");
        node.put("LogicalName", entity.logicalName());
        node.putArray("RelatedEntities");
        node.putNull("RowVersion");
        return node;
    }

    private static ObjectNode reference(EntityReference reference, boolean typed) {
        ObjectNode node = NODES.objectNode();
        if (typed) {
            node.put("__type", "EntityReference" + CONTRACTS);
        }
        node.put("Id", reference.id().toString());
        node.putArray("KeyAttributes");
        node.put("LogicalName", reference.logicalName());
        node.putNull("Name");
        node.putNull("RowVersion");
        return node;
    }

    private JsonNode value(@Nullable TableDefinition table, String key, @Nullable Object value) {
        if (value == null) {
            return NODES.nullNode();
        }
        ColumnDefinition column = table == null ? null : table.column(key);
        if (column != null && column.type().isChoice() && value instanceof Integer number) {
            ObjectNode option = NODES.objectNode();
            option.put("__type", "OptionSetValue" + CONTRACTS);
            option.put("Value", number);
            return option;
        }
        return switch (value) {
            case Entity entity -> entity(entity);
            case EntityReference reference -> reference(reference, true);
            case Relationship relationship -> relationship(relationship);
            case ColumnSet columns -> columnSet(columns);
            case PrincipalAccess access -> principalAccess(access);
            case FetchExpression fetch -> typed("FetchExpression" + CONTRACTS).put("Query", fetch.query());
            case QueryExpression query -> queryExpression(query);
            case Collection<?> items when !items.isEmpty()
                    && items.stream().allMatch(item -> item instanceof EntityReference) -> references(items);
            case Collection<?> items when !items.isEmpty()
                    && items.stream().allMatch(item -> item instanceof PrincipalAccess) -> accesses(items);
            case Collection<?> entities -> collection(entities);
            case UUID id -> NODES.textNode(id.toString());
            case String text -> NODES.textNode(text);
            case Integer number -> NODES.numberNode(number);
            case Long number -> NODES.numberNode(number);
            case BigDecimal number -> NODES.numberNode(number);
            case Double number -> NODES.numberNode(number);
            case Boolean flag -> NODES.booleanNode(flag);
            case OffsetDateTime time -> NODES.textNode(date(time.toInstant(), false));
            case Instant time -> NODES.textNode(date(time, false));
            default -> NODES.textNode(value.toString());
        };
    }

    private static ObjectNode typed(String type) {
        ObjectNode node = NODES.objectNode();
        node.put("__type", type);
        return node;
    }

    private static ObjectNode relationship(Relationship relationship) {
        ObjectNode node = typed("Relationship" + CONTRACTS);
        if (relationship.primaryEntityRole() == null) {
            node.putNull("PrimaryEntityRole");
        } else {
            node.put("PrimaryEntityRole", relationship.primaryEntityRole());
        }
        node.put("SchemaName", relationship.schemaName());
        return node;
    }

    private static ObjectNode columnSet(ColumnSet columns) {
        ObjectNode node = typed("ColumnSet" + CONTRACTS);
        node.put("AllColumns", columns.allColumns());
        node.putArray("AttributeExpressions");
        ArrayNode names = node.putArray("Columns");
        columns.columns().forEach(names::add);
        return node;
    }

    private static ObjectNode principalAccess(PrincipalAccess access) {
        ObjectNode node = typed("PrincipalAccess" + CRM_CONTRACTS);
        node.put("AccessMask", access.accessMask());
        node.set("Principal", reference(access.principal(), true));
        return node;
    }

    private static ObjectNode queryExpression(QueryExpression query) {
        ObjectNode node = typed("QueryExpression" + CONTRACTS);
        node.set("ColumnSet", columnSet(query.columnSet()));
        node.put("Distinct", false);
        node.put("EntityName", query.entityName());
        node.put("NoLock", false);
        if (query.topCount() == null) {
            node.putNull("TopCount");
        } else {
            node.put("TopCount", query.topCount());
        }
        return node;
    }

    // an EntityReferenceCollection is a collection data contract: a plain array
    private static ArrayNode references(Collection<?> items) {
        ArrayNode array = NODES.arrayNode();
        for (Object item : items) {
            array.add(reference((EntityReference) item, true));
        }
        return array;
    }

    private static ArrayNode accesses(Collection<?> items) {
        ArrayNode array = NODES.arrayNode();
        for (Object item : items) {
            array.add(principalAccess((PrincipalAccess) item));
        }
        return array;
    }

    private ObjectNode collection(Collection<?> items) {
        ObjectNode node = NODES.objectNode();
        node.put("__type", "EntityCollection" + CONTRACTS);
        ArrayNode entities = node.putArray("Entities");
        String name = null;
        for (Object item : items) {
            if (item instanceof Entity entity) {
                entities.add(entity(entity));
                name = entity.logicalName();
            } else {
                entities.add(value(null, "", item));
            }
        }
        node.put("EntityName", name);
        node.put("MoreRecords", false);
        node.putNull("PagingCookie");
        node.put("TotalRecordCount", -1);
        node.put("TotalRecordCountLimitExceeded", false);
        return node;
    }

    private static String date(Instant instant, boolean withOffset) {
        return "/Date(" + instant.toEpochMilli() + (withOffset ? "+0000" : "") + ")/";
    }

    /** The envelope of a context: what a remote endpoint needs besides the JSON. */
    record Envelope(String entityName, String messageName, UUID correlationId, String body) {

        /** The body without the members the size limits drop. */
        String trimmedBody() {
            try {
                ObjectNode node = (ObjectNode) MAPPER.readTree(body);
                node.set("InputParameters", NODES.arrayNode());
                node.set("PreEntityImages", NODES.arrayNode());
                node.set("PostEntityImages", NODES.arrayNode());
                node.set("ParentContext", NODES.nullNode());
                return MAPPER.writeValueAsString(node);
            } catch (JsonProcessingException | ClassCastException e) {
                throw new IllegalStateException("The stored context is not JSON", e);
            }
        }
    }

    Envelope envelope(ExecutionContext context) {
        return new Envelope(context.primaryEntityName(), context.messageName(), context.correlationId(),
                write(context, false));
    }

    static Envelope envelope(String storedJson) {
        try {
            JsonNode node = MAPPER.readTree(storedJson);
            return new Envelope(node.path("PrimaryEntityName").asText(), node.path("MessageName").asText(),
                    UUID.fromString(node.path("CorrelationId").asText()), storedJson);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalStateException("The system job's data is not an execution context", e);
        }
    }

    /** Reads a context written by {@link #write}, for an asynchronous in-process step; no parent context. */
    static ExecutionContext read(String json, @Nullable String configuration) {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("The system job's data is not an execution context", e);
        }
        Map<String, @Nullable Object> inputs = readParameters(node.path("InputParameters"));
        ExecutionContext.Operation operation = new ExecutionContext.Operation(node.path("MessageName").asText(),
                node.path("PrimaryEntityName").asText(), uuid(node.path("PrimaryEntityId")), inputs,
                UUID.fromString(node.path("InitiatingUserId").asText()), UUID.fromString(node.path("UserId").asText()),
                UUID.fromString(node.path("BusinessUnitId").asText()),
                UUID.fromString(node.path("OrganizationId").asText()),
                UUID.fromString(node.path("CorrelationId").asText()),
                readDate(node.path("OperationCreatedOn").asText()), node.path("Depth").asInt(1));
        operation.outputParameters.putAll(readParameters(node.path("OutputParameters")));
        JsonNode extension = node.path("OwningExtension");
        return new ExecutionContext(operation, node.path("Stage").asInt(), node.path("Mode").asInt(),
                UUID.fromString(node.path("UserId").asText()), readImages(node.path("PreEntityImages")),
                readImages(node.path("PostEntityImages")),
                extension.isObject() ? new EntityReference(extension.path("LogicalName").asText(),
                        UUID.fromString(extension.path("Id").asText())) : null,
                configuration, null, false);
    }

    private static Map<String, Entity> readImages(JsonNode array) {
        Map<String, Entity> images = new LinkedHashMap<>();
        for (JsonNode pair : array) {
            Object value = readValue(pair.path("value"));
            if (value instanceof Entity entity) {
                images.put(pair.path("key").asText(), entity);
            }
        }
        return images;
    }

    private static Map<String, @Nullable Object> readParameters(JsonNode array) {
        Map<String, @Nullable Object> values = new LinkedHashMap<>();
        for (JsonNode pair : array) {
            values.put(pair.path("key").asText(), readValue(pair.path("value")));
        }
        return values;
    }

    private static @Nullable Object readValue(JsonNode value) {
        if (value.isNull() || value.isMissingNode()) {
            return null;
        }
        if (value.isArray()) {
            List<@Nullable Object> items = new ArrayList<>();
            for (JsonNode item : value) {
                items.add(readValue(item));
            }
            return items;
        }
        if (value.isObject()) {
            String type = value.path("__type").asText("");
            Object typed = readTyped(type, value);
            if (typed != null) {
                return typed;
            }
            if (type.startsWith("EntityReference")) {
                return new EntityReference(value.path("LogicalName").asText(),
                        UUID.fromString(value.path("Id").asText()));
            }
            if (type.startsWith("OptionSetValue")) {
                return value.path("Value").asInt();
            }
            if (type.startsWith("EntityCollection")) {
                List<Object> entities = new ArrayList<>();
                for (JsonNode item : value.path("Entities")) {
                    entities.add(readValue(item));
                }
                return entities;
            }
            if (value.has("Attributes")) {
                Entity entity = new Entity(value.path("LogicalName").asText(), uuid(value.path("Id")),
                        readParameters(value.path("Attributes")));
                return entity;
            }
            return value.toString();
        }
        if (value.isInt()) {
            return value.intValue();
        }
        if (value.isIntegralNumber()) {
            return value.longValue();
        }
        if (value.isNumber()) {
            return value.decimalValue();
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        String text = value.asText();
        Matcher date = DATE.matcher(text);
        if (date.matches()) {
            return OffsetDateTime.ofInstant(Instant.ofEpochMilli(Long.parseLong(date.group(1))), ZoneOffset.UTC);
        }
        // Guid values are written as their text: read them back as ids, as the context had them
        return GUID.matcher(text).matches() ? UUID.fromString(text) : text;
    }

    /** The values of the request types steps see beside entities and references, or null for another type. */
    private static @Nullable Object readTyped(String type, JsonNode value) {
        if (type.startsWith("Relationship:")) {
            JsonNode role = value.path("PrimaryEntityRole");
            return new Relationship(value.path("SchemaName").asText(), role.isTextual() ? role.asText() : null);
        }
        if (type.startsWith("ColumnSet:")) {
            return readColumnSet(value);
        }
        if (type.startsWith("PrincipalAccess:")) {
            JsonNode principal = value.path("Principal");
            return new PrincipalAccess(new EntityReference(principal.path("LogicalName").asText(),
                    UUID.fromString(principal.path("Id").asText())), value.path("AccessMask").asInt());
        }
        if (type.startsWith("FetchExpression:")) {
            return new FetchExpression(value.path("Query").asText());
        }
        if (type.startsWith("QueryExpression:")) {
            JsonNode top = value.path("TopCount");
            return new QueryExpression(value.path("EntityName").asText(), readColumnSet(value.path("ColumnSet")),
                    top.isInt() ? top.intValue() : null);
        }
        return null;
    }

    private static ColumnSet readColumnSet(JsonNode value) {
        List<String> columns = new ArrayList<>();
        for (JsonNode column : value.path("Columns")) {
            columns.add(column.asText());
        }
        return new ColumnSet(value.path("AllColumns").asBoolean(), columns);
    }

    private static Instant readDate(String text) {
        Matcher date = DATE.matcher(text);
        return date.matches() ? Instant.ofEpochMilli(Long.parseLong(date.group(1))) : Instant.now();
    }

    private static @Nullable UUID uuid(JsonNode node) {
        if (!node.isTextual()) {
            return null;
        }
        UUID id = UUID.fromString(node.asText());
        return id.getMostSignificantBits() == 0 && id.getLeastSignificantBits() == 0 ? null : id;
    }

}
