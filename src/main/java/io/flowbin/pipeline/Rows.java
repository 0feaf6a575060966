package io.flowbin.pipeline;

import io.flowbin.metadata.AttributeType;
import io.flowbin.metadata.Catalog;
import io.flowbin.metadata.ColumnDefinition;
import io.flowbin.metadata.TableDefinition;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** Turns stored rows into entities for images: lookup ids become references to their table. Stateless. */
final class Rows {
    private Rows() {}

    static Entity entity(Catalog catalog, TableDefinition table, @Nullable UUID id, Map<String, @Nullable Object> stored) {
        Map<String, @Nullable Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, @Nullable Object> entry : stored.entrySet()) {
            if (entry.getKey().equals("versionnumber") || entry.getValue() == null) {
                continue;
            }
            ColumnDefinition column = table.column(entry.getKey());
            Object value = entry.getValue();
            if (column != null && column.type().isReference() && value instanceof UUID reference) {
                value = new EntityReference(targetOf(catalog, table, column, stored), reference);
            }
            values.put(entry.getKey(), value);
        }
        return new Entity(table.logicalName(), id, values);
    }

    private static String targetOf(Catalog catalog, TableDefinition table, ColumnDefinition column,
            Map<String, @Nullable Object> stored) {
        if (column.type() == AttributeType.OWNER) {
            Object type = stored.get(column.logicalName() + "type");
            return type instanceof String name ? name : "systemuser";
        }
        List<String> targets = catalog.loadedTargets(column);
        return targets.isEmpty() ? column.targets().isEmpty() ? table.logicalName() : column.targets().get(0)
                : targets.get(0);
    }
}
