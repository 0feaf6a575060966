package io.flowbin.odata;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.flowbin.data.StoredRow;
import io.flowbin.data.query.ColumnRef;
import io.flowbin.data.query.ResultRow;
import io.flowbin.metadata.Catalog;
import io.flowbin.metadata.ColumnDefinition;
import io.flowbin.metadata.TableDefinition;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Writes query results as Dataverse does: a collection ({@code @odata.context}, annotations, {@code value}, {@code
 * @odata.nextLink}) whose rows look like single retrieves (etag, formatted values, lookup annotations), with expanded
 * navigation properties; one row with its expansions; FetchXML rows (empty columns left out, joined columns as
 * {@code alias.column}); and aggregate rows. Streams to the response. Thread-safe.
 */
final class CollectionWriter {
    private static final JsonFactory FACTORY = ResponseJson.FACTORY;

    private final Catalog catalog;
    private final EntityWriter entities;

    CollectionWriter(Catalog catalog, EntityWriter entities) {
        this.catalog = catalog;
        this.entities = entities;
    }

    /**
     * The envelope of a collection.
     *
     * @param annotations written before {@code value}, in order (e.g. {@code @odata.count})
     * @param nextLink the link to the next page, or null on the last
     */
    record Envelope(String context, Map<String, Object> annotations, @Nullable String nextLink) {}

    /** How rows are written: the queried table's columns, expansions, and joined FetchXML columns. */
    record RowShape(TableDefinition table, Selection selection, Expansions expansions, List<ColumnRef> joined,
            boolean omitEmpty) {}

    void collection(OutputStream out, String serviceRoot, Envelope envelope, List<ResultRow> rows, RowShape shape,
            Preferences preferences) throws IOException {
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("@odata.context", envelope.context());
            for (Map.Entry<String, Object> annotation : envelope.annotations().entrySet()) {
                json.writeFieldName(annotation.getKey());
                EntityWriter.writeValue(json, annotation.getValue());
            }
            json.writeArrayFieldStart("value");
            for (ResultRow row : rows) {
                row(json, serviceRoot, row, shape, preferences);
            }
            json.writeEndArray();
            if (envelope.nextLink() != null) {
                json.writeStringField("@odata.nextLink", envelope.nextLink());
            }
            json.writeEndObject();
        }
    }

    /** One row as an entity ({@code …/$entity} context), for a single retrieve with expansions. */
    void entity(OutputStream out, String serviceRoot, String context, ResultRow row, RowShape shape,
            Preferences preferences) throws IOException {
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("@odata.context", context);
            rowBody(json, serviceRoot, row, shape, preferences);
            json.writeEndObject();
        }
    }

    /** Aggregate rows: each group's columns and aggregate values, by label. */
    void aggregates(OutputStream out, Envelope envelope, List<StoredRow> rows, Map<String, ColumnDefinition> lookups)
            throws IOException {
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("@odata.context", envelope.context());
            json.writeArrayFieldStart("value");
            for (StoredRow row : rows) {
                json.writeStartObject();
                for (Map.Entry<String, @Nullable Object> value : row.values().entrySet()) {
                    ColumnDefinition lookup = lookups.get(value.getKey());
                    json.writeFieldName(lookup != null ? PropertyNames.of(lookup) : value.getKey());
                    EntityWriter.writeValue(json, value.getValue());
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
    }

    private void row(JsonGenerator json, String serviceRoot, ResultRow row, RowShape shape, Preferences preferences)
            throws IOException {
        json.writeStartObject();
        rowBody(json, serviceRoot, row, shape, preferences);
        json.writeEndObject();
    }

    private void rowBody(JsonGenerator json, String serviceRoot, ResultRow row, RowShape shape,
            Preferences preferences) throws IOException {
        long version = row.row().version();
        if (version >= 0) {
            json.writeStringField("@odata.etag", EntityWriter.etag(version));
        }
        List<ColumnDefinition> columns = shape.selection().output();
        if (shape.omitEmpty()) {
            List<ColumnDefinition> present = new ArrayList<>();
            for (ColumnDefinition column : columns) {
                if (row.row().value(column.logicalName()) != null) {
                    present.add(column);
                }
            }
            columns = present;
        }
        entities.writeProperties(json, shape.table(), row.row(), columns, preferences);
        for (ColumnRef joined : shape.joined()) {
            Object value = row.row().value(joined.label());
            if (value != null || !shape.omitEmpty()) {
                json.writeFieldName(joined.label());
                EntityWriter.writeValue(json, value);
            }
        }
        for (Expansions.Plan plan : shape.expansions().plans().values()) {
            json.writeFieldName(plan.name());
            if (plan.collection()) {
                TableDefinition child = Objects.requireNonNull(catalog.table(
                        plan.selections().keySet().iterator().next()));
                Selection selection = plan.selections().get(child.logicalName());
                json.writeStartArray();
                for (StoredRow childRow : row.collections().getOrDefault(plan.name(), List.of())) {
                    json.writeStartObject();
                    related(json, child, childRow, Objects.requireNonNull(selection), preferences, false);
                    json.writeEndObject();
                }
                json.writeEndArray();
                continue;
            }
            ResultRow.Expanded expanded = row.expanded().get(plan.name());
            if (expanded == null) {
                json.writeNull();
                continue;
            }
            json.writeStartObject();
            if (plan.reference()) {
                Object id = expanded.row().value(expanded.table().primaryIdAttribute());
                json.writeStringField("@odata.id", ResourceUrls.entityUrl(serviceRoot, expanded.table(),
                        (UUID) Objects.requireNonNull(id)));
            } else {
                related(json, expanded.table(), expanded.row(),
                        Objects.requireNonNull(plan.selections().get(expanded.table().logicalName())), preferences,
                        plan.selections().size() > 1);
            }
            json.writeEndObject();
        }
    }

    private void related(JsonGenerator json, TableDefinition table, StoredRow row, Selection selection,
            Preferences preferences, boolean typed) throws IOException {
        if (typed) {
            // a lookup that may lead to several tables (an owner) names the type it found
            json.writeStringField("@odata.type", "#Microsoft.Dynamics.CRM." + table.logicalName());
        }
        long version = row.version();
        if (version >= 0) {
            json.writeStringField("@odata.etag", EntityWriter.etag(version));
        }
        entities.writeProperties(json, table, row, selection.output(), preferences);
    }
}
