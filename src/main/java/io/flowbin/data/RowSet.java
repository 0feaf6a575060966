package io.flowbin.data;

import io.flowbin.metadata.TableDefinition;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A set of rows of one table named by a condition rather than listed, so that a cascade reaches every child of a
 * parent with one statement however many children there are. Immutable.
 */
public sealed interface RowSet {
    TableDefinition table();

    /** These rows, by key. */
    record Keys(TableDefinition table, List<UUID> ids) implements RowSet {
        public Keys {
            ids = List.copyOf(ids);
        }
    }

    /**
     * The rows of {@code table} whose lookup {@code column} points at a row of {@code parent}, and, when
     * {@code filterColumn} is set, whose {@code filterColumn} equals {@code filterValue}.
     */
    record Referencing(TableDefinition table, String column, RowSet parent, @Nullable String filterColumn,
            @Nullable Object filterValue) implements RowSet {

        public Referencing(TableDefinition table, String column, RowSet parent) {
            this(table, column, parent, null, null);
        }
    }

    /** How many conditions deep the set is; each level is one nested sub-select. */
    default int depth() {
        return this instanceof Referencing referencing ? 1 + referencing.parent().depth() : 0;
    }
}
