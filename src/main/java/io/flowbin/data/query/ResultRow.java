package io.flowbin.data.query;

import io.flowbin.data.StoredRow;
import io.flowbin.metadata.TableDefinition;
import java.util.List;
import java.util.Map;

/**
 * One row of a query result.
 *
 * @param row the returned columns by label, with lookup names when asked for
 * @param expanded by navigation property: the row a single-valued expansion found (absent when the lookup is empty)
 * @param collections by navigation property: the rows a collection-valued expansion found, in its order
 */
public record ResultRow(StoredRow row, Map<String, Expanded> expanded, Map<String, List<StoredRow>> collections) {
    public ResultRow {
        expanded = Map.copyOf(expanded);
        collections = Map.copyOf(collections);
    }

    /** A related row and the table it is in (an owner is a user or a team). */
    public record Expanded(TableDefinition table, StoredRow row) {}
}
