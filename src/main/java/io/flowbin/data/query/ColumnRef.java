package io.flowbin.data.query;

import io.flowbin.metadata.ColumnDefinition;

/**
 * A column of one of the tables a query reads.
 *
 * @param alias the SQL alias of the table: {@link Query#ROOT} or an alias the query generated, never client text
 * @param column the column
 * @param label the name the value is returned under: the logical name for the queried table, {@code alias.name} for
 *     a joined one
 */
public record ColumnRef(String alias, ColumnDefinition column, String label) implements Operand {

    /** A column of the queried table. */
    public static ColumnRef root(ColumnDefinition column) {
        return new ColumnRef(Query.ROOT, column, column.logicalName());
    }

    /** A column of a joined or correlated table, returned under its logical name. */
    public static ColumnRef of(String alias, ColumnDefinition column) {
        return new ColumnRef(alias, column, column.logicalName());
    }
}
