package io.flowbin.messages;

import io.flowbin.data.BulkRows;
import io.flowbin.data.Transaction;
import io.flowbin.error.DataverseException;
import io.flowbin.error.ErrorCodes;
import io.flowbin.metadata.AttributeType;
import io.flowbin.metadata.Catalog;
import io.flowbin.metadata.ColumnDefinition;
import io.flowbin.metadata.TableDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What the bulk messages share: naming the target that failed, and checking every lookup of every prepared row
 * against the database with one query per referenced table instead of one per row. Stateless.
 */
final class Targets {
    private Targets() {}

    /** The error of one target, its message ending with the target's position in {@code Targets}. */
    static DataverseException failed(int index, DataverseException error) {
        return new DataverseException(error.httpStatus(), error.code(),
                error.getMessage() + " (Targets[" + index + "])", error);
    }

    /** Runs the step for one target, naming the target in any error. */
    static <T> T forTarget(int index, java.util.function.Supplier<T> step) {
        try {
            return step.get();
        } catch (DataverseException error) {
            throw failed(index, error);
        }
    }

    /** The error of a failed batch write, naming its target when the database says which one it was. */
    static DataverseException failed(BulkRows.RowFailure failure, List<Integer> targetOfRow) {
        int row = failure.rowIndex();
        return row >= 0 && row < targetOfRow.size() ? failed(targetOfRow.get(row), failure.error()) : failure.error();
    }

    /**
     * Checks that every row a lookup guarded by a foreign key points at exists, so that a missing one is reported
     * with its target before anything is written.
     */
    static void requireReferencedRows(Transaction tx, Catalog catalog, BulkRows bulk, TableDefinition table,
            List<Map<String, @Nullable Object>> rows, List<Integer> targetOfRow) {
        for (ColumnDefinition column : catalog.storedColumns(table)) {
            if (column.type() != AttributeType.LOOKUP || column.targets().size() != 1
                    || catalog.table(column.targets().get(0)) == null) {
                continue;
            }
            TableDefinition target = catalog.table(column.targets().get(0));
            Map<UUID, Integer> firstRow = new LinkedHashMap<>();
            for (int i = 0; i < rows.size(); i++) {
                if (rows.get(i).get(column.logicalName()) instanceof UUID id) {
                    firstRow.putIfAbsent(id, i);
                }
            }
            if (firstRow.isEmpty() || target == null) {
                continue;
            }
            Set<UUID> existing = bulk.existingIds(tx, target, firstRow.keySet());
            for (Map.Entry<UUID, Integer> reference : firstRow.entrySet()) {
                if (!existing.contains(reference.getKey())) {
                    throw failed(targetOfRow.get(reference.getValue()),
                            ErrorCodes.rowNotFound(target.logicalName(), reference.getKey()));
                }
            }
        }
    }

    /** The positions 0…n-1, for rows that are the targets themselves. */
    static List<Integer> identity(int size) {
        List<Integer> positions = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            positions.add(i);
        }
        return positions;
    }

    static DataverseException duplicateKey() {
        return new DataverseException(412, ErrorCodes.DUPLICATE_RECORD, "Cannot insert duplicate key.");
    }
}
