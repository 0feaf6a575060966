package io.flowbin.data;

import io.flowbin.metadata.Catalog;
import io.flowbin.metadata.ColumnDefinition;
import io.flowbin.metadata.TableDefinition;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The SQL expression that reads the primary name of the row a lookup points at, for formatted values: a scalar
 * sub-select per loaded target table, combined with COALESCE when the lookup has several (an owner: user or team).
 */
public final class LookupNames {
    private LookupNames() {}

    /**
     * @param lookupValue the SQL expression of the lookup's value in the outer query (e.g. {@code t."ownerid"})
     * @return the expression, or null when the column is not a lookup or no target has a primary name
     */
    public static @Nullable String expression(Catalog catalog, Dialect dialect, ColumnDefinition column,
            String lookupValue) {
        if (!column.type().isReference()) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        for (String target : catalog.loadedTargets(column)) {
            TableDefinition targetTable = catalog.table(target);
            if (targetTable == null || targetTable.primaryNameAttribute() == null
                    || targetTable.column(targetTable.primaryNameAttribute()) == null) {
                continue;
            }
            parts.add("(SELECT n." + dialect.quote(targetTable.primaryNameAttribute()) + " FROM "
                    + dialect.quote(targetTable.logicalName()) + " n WHERE n."
                    + dialect.quote(targetTable.primaryIdAttribute()) + " = " + lookupValue + ")");
        }
        if (parts.isEmpty()) {
            return null;
        }
        return parts.size() == 1 ? parts.get(0) : "COALESCE(" + String.join(", ", parts) + ")";
    }
}
