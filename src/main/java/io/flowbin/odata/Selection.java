package io.flowbin.odata;

import io.flowbin.error.DataverseException;
import io.flowbin.error.ErrorCodes;
import io.flowbin.metadata.Catalog;
import io.flowbin.metadata.ColumnDefinition;
import io.flowbin.metadata.TableDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.olingo.server.api.uri.UriInfo;
import org.apache.olingo.server.api.uri.UriResource;
import org.apache.olingo.server.api.uri.UriResourcePrimitiveProperty;
import org.apache.olingo.server.api.uri.queryoption.SelectItem;
import org.apache.olingo.server.api.uri.queryoption.SelectOption;
import org.jspecify.annotations.Nullable;

/**
 * The columns a request returns ({@code $select}, or every readable column) and the columns that must be read to
 * write them: the key, the row version for the etag, and the owner type for the owner's lookup annotation.
 *
 * @param output the columns written, in order
 * @param read the columns read from storage (a superset of output)
 * @param contextSelect the select list for the context URL, or null when all columns are returned
 */
record Selection(List<ColumnDefinition> output, List<ColumnDefinition> read, @Nullable String contextSelect) {

    /**
     * @param allColumns the selections of every readable column, by table name: the same for every request on a
     *     table, so each is built once (the map is bounded by the number of tables)
     */
    static Selection of(Catalog catalog, TableDefinition table, UriInfo info, Map<String, Selection> allColumns) {
        SelectOption select = info.getSelectOption();
        return select != null
                ? of(catalog, table, select)
                : allColumns.computeIfAbsent(table.logicalName(), name -> of(catalog, table, (SelectOption) null));
    }

    static Selection of(Catalog catalog, TableDefinition table, UriInfo info) {
        return of(catalog, table, info.getSelectOption());
    }

    /** The selection of a {@code $select} option (also one nested in {@code $expand}), or all columns without. */
    static Selection of(Catalog catalog, TableDefinition table, @Nullable SelectOption select) {
        List<ColumnDefinition> output = new ArrayList<>();
        String contextSelect = null;
        if (select == null || select.getSelectItems().stream().anyMatch(SelectItem::isStar)) {
            for (ColumnDefinition column : catalog.storedColumns(table)) {
                if (column.validForRead()) {
                    output.add(column);
                }
            }
        } else {
            List<String> names = new ArrayList<>();
            for (SelectItem item : select.getSelectItems()) {
                ColumnDefinition column = columnOf(table, item);
                if (output.stream().noneMatch(existing -> existing == column)) {
                    output.add(column);
                    names.add(PropertyNames.of(column));
                }
            }
            contextSelect = String.join(",", names);
            ColumnDefinition key = table.column(table.primaryIdAttribute());
            if (key != null && output.stream().noneMatch(existing -> existing == key)) {
                output.add(key); // the key is always returned
            }
        }
        List<ColumnDefinition> read = new ArrayList<>(output);
        addIfPresent(table, read, table.primaryIdAttribute());
        addIfPresent(table, read, "versionnumber");
        if (output.stream().anyMatch(column -> column.logicalName().equals("ownerid"))) {
            addIfPresent(table, read, "owneridtype");
        }
        return new Selection(List.copyOf(output), List.copyOf(read), contextSelect);
    }

    // columns are compared by identity: one definition object per column, and records hash deeply
    private static void addIfPresent(TableDefinition table, List<ColumnDefinition> read, String name) {
        ColumnDefinition column = table.column(name);
        if (column != null && read.stream().noneMatch(existing -> existing == column)) {
            read.add(column);
        }
    }

    private static ColumnDefinition columnOf(TableDefinition table, SelectItem item) {
        List<UriResource> parts = item.getResourcePath() == null ? List.of() : item.getResourcePath().getUriResourceParts();
        if (parts.size() == 1 && parts.get(0) instanceof UriResourcePrimitiveProperty property) {
            String name = property.getProperty().getName();
            String lookup = PropertyNames.lookupColumnOf(name);
            ColumnDefinition column = table.column(lookup != null ? lookup : name);
            if (column != null) {
                return column;
            }
        }
        String text = parts.isEmpty() ? String.valueOf(item) : parts.get(parts.size() - 1).getSegmentValue();
        throw new DataverseException(400, ErrorCodes.INVALID_QUERY, "Could not find a property named '" + text
                + "' on type 'Microsoft.Dynamics.CRM." + table.logicalName() + "'.");
    }
}
