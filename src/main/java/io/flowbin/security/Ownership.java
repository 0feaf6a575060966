package io.flowbin.security;

import io.flowbin.metadata.OwnershipType;
import io.flowbin.metadata.TableDefinition;
import org.jspecify.annotations.Nullable;

/** How a table's rows are owned, which decides what a privilege's depth is measured against. */
enum Ownership {
    /** Owned by a user or team; the row's business unit is {@code owningbusinessunit}. */
    PRINCIPAL,
    /** Owned by a business unit: the column named by {@link #unitColumn}. */
    BUSINESS_UNIT,
    /** Owned by the organization: a privilege at any depth reaches every row. */
    ORGANIZATION;

    static Ownership of(TableDefinition table) {
        if (table.column("owninguser") != null && table.column("owningbusinessunit") != null) {
            return PRINCIPAL;
        }
        if (table.ownershipType() == OwnershipType.BUSINESS_OWNED && unitColumn(table) != null) {
            return BUSINESS_UNIT;
        }
        return ORGANIZATION;
    }

    /** The column holding a row's business unit: its owning unit, its own unit, or (for units) its own id. */
    static @Nullable String unitColumn(TableDefinition table) {
        if (table.column("owningbusinessunit") != null) {
            return "owningbusinessunit";
        }
        if (table.logicalName().equals("businessunit")) {
            return "businessunitid";
        }
        return table.column("businessunitid") != null ? "businessunitid" : null;
    }
}
