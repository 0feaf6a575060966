package io.flowbin.odata;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.flowbin.data.StoredRow;
import io.flowbin.metadata.AttributeType;
import io.flowbin.metadata.Catalog;
import io.flowbin.metadata.ChoiceOption;
import io.flowbin.metadata.ColumnDefinition;
import io.flowbin.metadata.NavigationProperty;
import io.flowbin.metadata.TableDefinition;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Writes a row as Dataverse's JSON entity: {@code @odata.context}, {@code @odata.etag} from the row version, the
 * selected properties (lookups as {@code _x_value}), and, when asked for, formatted values and lookup annotations
 * before each property. Streams straight to the response. Thread-safe.
 */
public final class EntityWriter {
    static final String FORMATTED = "OData.Community.Display.V1.FormattedValue";
    static final String NAVIGATION = "Microsoft.Dynamics.CRM.associatednavigationproperty";
    static final String LOOKUP_TABLE = "Microsoft.Dynamics.CRM.lookuplogicalname";
    private static final JsonFactory FACTORY = ResponseJson.FACTORY;
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssX");
    private static final DateTimeFormatter DISPLAY_TIME = DateTimeFormatter.ofPattern("M/d/yyyy h:mm a", Locale.US);

    private final Catalog catalog;

    public EntityWriter(Catalog catalog) {
        this.catalog = catalog;
    }

    /**
     * @param contextSelect the {@code $select} list as it goes into the context URL, or null for all columns
     */
    public void write(OutputStream out, String serviceRoot, TableDefinition table, StoredRow row,
            List<ColumnDefinition> columns, @Nullable String contextSelect, Preferences preferences)
            throws IOException {
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("@odata.context", serviceRoot + "$metadata#" + table.entitySetName()
                    + (contextSelect == null ? "" : "(" + contextSelect + ")") + "/$entity");
            json.writeStringField("@odata.etag", etag(row.version()));
            writeProperties(json, table, row, columns, preferences);
            json.writeEndObject();
        }
    }

    public static String etag(long version) {
        return "W/\"" + version + "\"";
    }

    void writeProperties(JsonGenerator json, TableDefinition table, StoredRow row, List<ColumnDefinition> columns,
            Preferences preferences) throws IOException {
        boolean formatted = preferences.wantsAnnotation(FORMATTED);
        boolean navigation = preferences.wantsAnnotation(NAVIGATION);
        boolean lookupTable = preferences.wantsAnnotation(LOOKUP_TABLE);
        for (ColumnDefinition column : columns) {
            String property = PropertyNames.of(column);
            Object value = row.value(column.logicalName());
            if (value != null && formatted) {
                String text = formattedValue(column, value, row);
                if (text != null) {
                    json.writeStringField(property + "@" + FORMATTED, text);
                }
            }
            if (value != null && column.type().isReference()) {
                NavigationProperty nav = catalog.lookupNavigation(table, column.logicalName());
                if (navigation && nav != null) {
                    json.writeStringField(property + "@" + NAVIGATION, nav.name());
                }
                String target = lookupTarget(column, row);
                if (lookupTable && target != null) {
                    json.writeStringField(property + "@" + LOOKUP_TABLE, target);
                }
            }
            json.writeFieldName(property);
            writeValue(json, value);
        }
    }

    private @Nullable String lookupTarget(ColumnDefinition column, StoredRow row) {
        if (column.type() == AttributeType.OWNER) {
            Object type = row.value("owneridtype");
            return type instanceof String name ? name : null;
        }
        List<String> targets = column.targets();
        return targets.size() == 1 ? targets.get(0) : null;
    }

    static void writeValue(JsonGenerator json, @Nullable Object value) throws IOException {
        switch (value) {
            case null -> json.writeNull();
            case String text -> json.writeString(text);
            case UUID id -> json.writeString(id.toString());
            case Integer number -> json.writeNumber(number);
            case Long number -> json.writeNumber(number);
            case BigDecimal number -> json.writeNumber(number);
            case Double number -> json.writeNumber(number);
            case Boolean flag -> json.writeBoolean(flag);
            case OffsetDateTime time -> json.writeString(TIMESTAMP.format(time));
            default -> json.writeString(value.toString());
        }
    }

    private static @Nullable String formattedValue(ColumnDefinition column, Object value, StoredRow row) {
        switch (column.type()) {
            case PICKLIST, STATE, STATUS -> {
                ChoiceOption option = column.option((Integer) value);
                return option == null ? null : option.label();
            }
            case BOOLEAN -> {
                ChoiceOption option = column.option(Boolean.TRUE.equals(value) ? 1 : 0);
                return option != null ? option.label() : Boolean.TRUE.equals(value) ? "Yes" : "No";
            }
            case LOOKUP, OWNER, CUSTOMER -> {
                return row.lookupNames().get(column.logicalName());
            }
            case DATETIME -> {
                return DISPLAY_TIME.format((OffsetDateTime) value);
            }
            case INTEGER -> {
                return String.format(Locale.US, "%,d", (Integer) value);
            }
            default -> {
                return null;
            }
        }
    }
}
