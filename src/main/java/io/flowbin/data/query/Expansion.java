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

    /** One table the lookup may point at, and the columns read from it (its key and version included). */
    public record Target(TableDefinition table, List<ColumnDefinition> columns) {
        public Target {
            columns = List.copyOf(columns);
        }
    }
}
