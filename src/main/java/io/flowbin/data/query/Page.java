package io.flowbin.data.query;

import java.util.List;

/**
 * The rows of one page of a query.
 *
 * @param more whether rows beyond the query's limit exist
 */
public record Page(List<ResultRow> rows, boolean more) {
    public Page {
        rows = List.copyOf(rows);
    }
}
