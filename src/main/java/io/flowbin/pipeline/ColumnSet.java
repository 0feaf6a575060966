package io.flowbin.pipeline;

import java.util.List;

/** The {@code ColumnSet} parameter of Retrieve and of a query: the columns asked for, or all of them. */
public record ColumnSet(boolean allColumns, List<String> columns) {
    public ColumnSet {
        columns = List.copyOf(columns);
    }
}
