package io.flowbin.files;

import io.flowbin.metadata.ColumnDefinition;
import io.flowbin.metadata.TableDefinition;
import java.util.UUID;

/**
 * The file column of one row: where an upload goes and a download comes from.
 *
 * @param column a column of type File of {@code table}
 */
public record FileTarget(TableDefinition table, UUID rowId, ColumnDefinition column) {

    /** The companion column that holds the file name ({@code <column>_name}), as Dataverse names it. */
    public String nameColumn() {
        return column.logicalName() + "_name";
    }

    /** The largest file the column takes, in bytes ({@code MaxSizeInKB} × 1024). */
    public long maxBytes() {
        Integer kilobytes = column.maxSizeInKb();
        return (kilobytes == null ? FileColumns.DEFAULT_MAX_SIZE_KB : kilobytes) * 1024L;
    }
}
