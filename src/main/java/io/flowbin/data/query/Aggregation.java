package io.flowbin.data.query;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Grouping and aggregate values: one result row per distinct combination of the grouping columns (one row in all
 * when there are none), ordered by the grouping columns.
 *
 * @param groupBy the grouping columns, each returned under its label
 */
public record Aggregation(List<ColumnRef> groupBy, List<Aggregate> aggregates) {
    public Aggregation {
        groupBy = List.copyOf(groupBy);
        aggregates = List.copyOf(aggregates);
    }

    public enum Function { COUNT_ROWS, COUNT, COUNT_DISTINCT, SUM, AVERAGE, MIN, MAX }

    /**
     * One aggregate value.
     *
     * @param column the aggregated column; null only for {@link Function#COUNT_ROWS}
     * @param alias the name it is returned under, checked by the caller to be a plain identifier
     */
    public record Aggregate(Function function, @Nullable ColumnRef column, String alias) {}
}
