package io.flowbin.metadata;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A table: its names, keys, ownership, columns and messages. Immutable and thread-safe. */
public record TableDefinition(
        String logicalName,
        String schemaName,
        String entitySetName,
        String logicalCollectionName,
        String displayName,
        String displayCollectionName,
        String primaryIdAttribute,
        @Nullable String primaryNameAttribute,
        OwnershipType ownershipType,
        String tableType,
        List<ColumnDefinition> columns,
        List<MessageDefinition> messages) {

    public TableDefinition {
        columns = List.copyOf(columns);
        messages = List.copyOf(messages);
    }

    /** The column with this logical name (case-sensitive, as the Web API is), or null. */
    public @Nullable ColumnDefinition column(String logicalName) {
        for (ColumnDefinition column : columns) {
            if (column.logicalName().equals(logicalName)) {
                return column;
            }
        }
        return null;
    }

    /** Columns by logical name, in page order. */
    public Map<String, ColumnDefinition> columnsByName() {
        Map<String, ColumnDefinition> byName = new LinkedHashMap<>();
        for (ColumnDefinition column : columns) {
            byName.put(column.logicalName(), column);
        }
        return byName;
    }
}
