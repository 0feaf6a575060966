package io.flowbin.odata;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowbin.metadata.AttributeType;
import io.flowbin.metadata.Catalog;
import io.flowbin.metadata.ColumnDefinition;
import io.flowbin.metadata.NavigationProperty;
import io.flowbin.metadata.TableDefinition;
import io.flowbin.messages.EntityReference;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Reads an entity body (create, update, upsert) into column values typed by the metadata: strings, numbers, GUIDs,
 * timestamps, and {@link EntityReference}s for lookups set with {@code @odata.bind}. A null value clears the column.
 * Only the protocol is checked here (shape and types); the metadata's rules are the messages' job. Thread-safe.
 */
public final class PayloadReader {
    static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final String BIND = "@odata.bind";

    private final Catalog catalog;
    private final ResourceUrls urls;

    public PayloadReader(Catalog catalog, ResourceUrls urls) {
        this.catalog = catalog;
        this.urls = urls;
    }

    /** Parses the body as one JSON object; malformed JSON and other shapes are a 400 payload error. */
    public static ObjectNode readObject(InputStream body, String entitySet) {
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (JsonParseException e) {
            throw PayloadErrors.payload(entitySet, "Invalid JSON. " + e.getOriginalMessage());
        } catch (IOException e) {
            throw PayloadErrors.payload(entitySet, "The request body could not be read.");
        }
        if (node == null || node.isMissingNode()) {
            throw PayloadErrors.payload(entitySet, "The request body is empty; a JSON object was expected.");
        }
        if (!node.isObject()) {
            throw PayloadErrors.payload(entitySet, "A JSON object was expected, but the payload is a " + kindOf(node)
                    + ".");
        }
        return (ObjectNode) node;
    }

    /** The column values the body sets, keyed by column logical name, in body order. */
    public Map<String, @Nullable Object> read(TableDefinition table, ObjectNode body) {
        Map<String, @Nullable Object> values = new LinkedHashMap<>();
        String entitySet = table.entitySetName();
        String typeName = EdmProvider.NAMESPACE + "." + table.logicalName();
        Map<String, NavigationProperty> navigation = catalog.navigationProperties(table);
        for (Map.Entry<String, JsonNode> field : body.properties()) {
            String name = field.getKey();
            JsonNode value = field.getValue();
            if (name.endsWith(BIND)) {
                String navName = name.substring(0, name.length() - BIND.length());
                NavigationProperty nav = navigation.get(navName);
                if (nav == null || nav.collection()) {
                    throw PayloadErrors.undeclaredAnnotatedProperty(navName);
                }
                values.put(nav.column(), value.isNull() ? null : bind(nav, value, navName));
                continue;
            }
            if (name.startsWith("@") || name.contains("@")) {
                continue; // instance and property annotations (@odata.type, @odata.etag…) carry no values
            }
            ColumnDefinition column = table.column(name);
            if (column != null && !column.type().isReference() && isStored(table, column)) {
                values.put(name, value.isNull() ? null : convert(column, value, entitySet));
                continue;
            }
            NavigationProperty nav = navigation.get(name);
            if (nav != null && !nav.collection() && value.isNull()) {
                values.put(nav.column(), null); // "<nav>": null clears the lookup
                continue;
            }
            if (PropertyNames.lookupColumnOf(name) != null
                    && table.column(PropertyNames.lookupColumnOf(name)) != null) {
                continue; // _x_value properties are computed: Dataverse ignores them in a body
            }
            throw PayloadErrors.invalidProperty(entitySet, name, typeName);
        }
        return values;
    }

    private boolean isStored(TableDefinition table, ColumnDefinition column) {
        return catalog.storedColumns(table).contains(column);
    }

    private EntityReference bind(NavigationProperty nav, JsonNode value, String navName) {
        if (!value.isTextual()) {
            throw PayloadErrors.invalidBindUrl(value.toString(), navName);
        }
        EntityReference reference = urls.parseEntityUrl(value.asText());
        if (reference == null || !nav.targets().contains(reference.table())) {
            throw PayloadErrors.invalidBindUrl(value.asText(), navName);
        }
        return reference;
    }

    static Object convert(ColumnDefinition column, JsonNode value, String entitySet) {
        AttributeType type = column.type();
        String edmType = EdmTypes.kind(column).getFullQualifiedName().getFullQualifiedNameAsString();
        String literal = value.isTextual() ? value.asText() : value.toString();
        switch (type) {
            case STRING, MEMO, ENTITYNAME, VIRTUAL -> {
                if (!value.isTextual()) {
                    throw PayloadErrors.cannotConvert(entitySet, literal, edmType);
                }
                return value.asText();
            }
            case UNIQUEIDENTIFIER, FILE, IMAGE, LOOKUP, OWNER, CUSTOMER -> {
                UUID id = value.isTextual() ? Guids.parse(value.asText()) : null;
                if (id == null) {
                    throw PayloadErrors.cannotConvert(entitySet, literal, edmType);
                }
                return id;
            }
            case INTEGER, PICKLIST, STATE, STATUS -> {
                if (!value.isIntegralNumber() || !value.canConvertToInt()) {
                    throw PayloadErrors.cannotConvert(entitySet, literal, edmType);
                }
                return value.intValue();
            }
            case BIGINT -> {
                BigInteger number = integral(value);
                if (number == null || number.bitLength() > 63) {
                    throw PayloadErrors.cannotConvert(entitySet, literal, edmType);
                }
                return number.longValue();
            }
            case DECIMAL, MONEY, DOUBLE -> {
                BigDecimal number = decimal(value);
                if (number == null) {
                    throw PayloadErrors.cannotConvert(entitySet, literal, edmType);
                }
                return type == AttributeType.DOUBLE ? (Object) number.doubleValue() : number;
            }
            case BOOLEAN, MANAGEDPROPERTY -> {
                if (!value.isBoolean()) {
                    throw PayloadErrors.cannotConvert(entitySet, literal, edmType);
                }
                return value.booleanValue();
            }
            case DATETIME -> {
                OffsetDateTime time = value.isTextual() ? dateTime(value.asText()) : null;
                if (time == null) {
                    throw PayloadErrors.cannotConvert(entitySet, literal, edmType);
                }
                return time;
            }
        }
        throw PayloadErrors.cannotConvert(entitySet, literal, edmType);
    }

    private static @Nullable BigInteger integral(JsonNode value) {
        if (value.isIntegralNumber()) {
            return value.bigIntegerValue();
        }
        if (value.isTextual()) { // IEEE754Compatible clients send 64-bit integers as strings
            try {
                return new BigInteger(value.asText());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static @Nullable BigDecimal decimal(JsonNode value) {
        if (value.isNumber()) {
            return value.decimalValue();
        }
        if (value.isTextual()) {
            try {
                return new BigDecimal(value.asText());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    static @Nullable OffsetDateTime dateTime(String text) {
        try {
            return OffsetDateTime.parse(text).withOffsetSameInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            try { // a date-only value, as clients send for DateOnly columns
                return LocalDate.parse(text).atStartOfDay().atOffset(ZoneOffset.UTC);
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    private static String kindOf(JsonNode node) {
        return node.isArray() ? "array" : node.isTextual() ? "string" : node.isNumber() ? "number" : "value";
    }
}
