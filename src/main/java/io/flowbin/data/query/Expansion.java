package io.flowbin.data.query;

import io.flowbin.metadata.ColumnDefinition;
import io.flowbin.metadata.TableDefinition;
import java.util.List;

/**
 * A single-valued navigation property read with each row: the row its lookup points at, with these columns. A lookup
 * that may point at several tables (an owner) has one target per table.
 *
 * @param name the navigation property
 * @param lookup the lookup column of the queried table
 */
public record Expansion(String name, ColumnDefinition lookup, List<Target> targets) {
    public Expansion {
        targets = List.copyOf(targets);
    }

    /** The SQL alias of the {@code target}-th table of the {@code expansion}-th expansion of a query. */
    public static String alias(int expansion, int target) {
        return "x" + expansion + "_" + target;
    }

    /** This expansion with other targets (the same tables, say, each narrowed to the rows a caller may read). */
    public Expansion withTargets(List<Target> newTargets) {
        return new Expansion(name, lookup, newTargets);
    }

    /**
     * One table the lookup may point at, and the columns read from it (its key and version included).
     *
     * @param visible which rows of the table the expansion may show (written against the target's {@link #alias}); a
     *     row failing it reads as no row
     */
    public record Target(TableDefinition table, List<ColumnDefinition> columns, Condition visible) {
        public Target {
            columns = List.copyOf(columns);
        }

        public Target(TableDefinition table, List<ColumnDefinition> columns) {
            this(table, columns, Condition.TRUE);
        }
    }
}
