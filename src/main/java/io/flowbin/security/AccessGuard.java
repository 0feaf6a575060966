package io.flowbin.security;

import io.flowbin.data.Transaction;
import io.flowbin.data.query.Query;
import io.flowbin.metadata.TableDefinition;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The access checks every message makes, as Dataverse makes them: first the privilege (from any role of the user or
 * its teams, at any depth), then access to the row (owner, depth against the row's business unit, or a share).
 * Denials are {@link io.flowbin.error.DataverseException}s with Dataverse's codes. Implementations are thread-safe.
 */
public interface AccessGuard {

    /** A guard that allows everything: for tools and tests that work below the security model. */
    static AccessGuard unrestricted() {
        return Unrestricted.INSTANCE;
    }

    /** The caller must hold the privilege of this right on the table, at any depth. */
    void requirePrivilege(Transaction tx, Caller caller, TableDefinition table, AccessRight right);

    /** The caller must hold this right on the row; passes when the row does not exist (the message answers that). */
    void requireRow(Transaction tx, Caller caller, TableDefinition table, UUID id, AccessRight right);

    /**
     * The caller may create this row: Create at a depth that covers its owner and business unit (the prepared
     * values' {@code owninguser}, {@code owningteam}, {@code owningbusinessunit}).
     */
    void requireCreate(Transaction tx, Caller caller, TableDefinition table, Map<String, @Nullable Object> values);

    /** The new owner of a row must hold the Read privilege on its table (TargetPrincipalLacksReadPrivilege). */
    void requireOwnerCanRead(Transaction tx, TableDefinition table, UUID owner);

    /** The query narrowed, in SQL, to the rows the caller may read, also in its joins and correlated tables. */
    Query restrict(Transaction tx, Caller caller, Query query);

    /** Rows of this table changed: forget what depended on them once the transaction commits. */
    void changed(Transaction tx, String table);

    /**
     * Whether any row of this table is shared with anyone: when none is, rows created under one of them inherit
     * nothing and need no look at the shares. Cached like the share holdings of principals.
     */
    boolean anySharesOf(Transaction tx, TableDefinition table);

    /** The rights of a user or team on a row: role rights where the depth reaches it, ownership and shares. */
    int accessMask(Transaction tx, UUID principal, TableDefinition table, UUID id);

    /** The resolved rights of a user or team, or null when there is no such principal. */
    @Nullable Rights rights(UUID principal);

    /** Allows everything. */
    final class Unrestricted implements AccessGuard {
        static final Unrestricted INSTANCE = new Unrestricted();

        private Unrestricted() {}

        @Override
        public void requirePrivilege(Transaction tx, Caller caller, TableDefinition table, AccessRight right) {}

        @Override
        public void requireRow(Transaction tx, Caller caller, TableDefinition table, UUID id, AccessRight right) {}

        @Override
        public void requireCreate(Transaction tx, Caller caller, TableDefinition table,
                Map<String, @Nullable Object> values) {}

        @Override
        public void requireOwnerCanRead(Transaction tx, TableDefinition table, UUID owner) {}

        @Override
        public Query restrict(Transaction tx, Caller caller, Query query) {
            return query;
        }

        @Override
        public void changed(Transaction tx, String table) {}

        @Override
        public boolean anySharesOf(Transaction tx, TableDefinition table) {
            return true; // nothing known: look
        }

        @Override
        public int accessMask(Transaction tx, UUID principal, TableDefinition table, UUID id) {
            int mask = 0;
            for (AccessRight right : AccessRight.values()) {
                mask |= right.bit();
            }
            return mask;
        }

        @Override
        public @Nullable Rights rights(UUID principal) {
            return null;
        }
    }
}
