package io.flowbin.messages;

import io.flowbin.data.RelationshipStore;
import io.flowbin.data.RowSet;
import io.flowbin.data.SqlErrors;
import io.flowbin.data.Transaction;
import io.flowbin.metadata.CascadeConfiguration.CascadeType;
import io.flowbin.metadata.ColumnDefinition;
import io.flowbin.metadata.TableDefinition;
import io.flowbin.security.InheritedShares;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The Share, Unshare and Reparent cascades: the rights a row's children inherit from its shares, driven by each
 * relationship's cascade configuration. A share changed on a row recomputes, for that principal, the inherited
 * rights of the children its Share (adding) or Unshare (removing) cascade reaches, level by level down the cascading
 * relationships; a row moved to another parent, or created under one, recomputes its own for every principal, and
 * then its children's. Runs in the transaction of the operation; statements are set-based per relationship.
 * Thread-safe.
 */
final class InheritedAccess {
    /** How a share of a row changed, and so which cascade reaches the children. */
    enum Change {
        /** Rights added (GrantAccess): the Share cascade. */
        GRANTED,
        /** Rights removed (RevokeAccess): the Unshare cascade. */
        REVOKED,
        /** Rights replaced (ModifyAccess), which may add and remove: the wider of the two. */
        REPLACED
    }

    private final MessageContext context;
    private final Cascades cascades;
    private final RelationshipStore store;
    private final Map<String, List<InheritedShares.Source>> sources = new HashMap<>();

    InheritedAccess(MessageContext context, Cascades cascades) {
        this.context = context;
        this.cascades = cascades;
        this.store = new RelationshipStore(context.catalog(), context.database().dialect());
        for (TableDefinition table : context.catalog().tables()) {
            List<InheritedShares.Source> inherited = new ArrayList<>();
            for (Cascades.Link link : cascades.parentLinks(table)) {
                TableDefinition parent = context.catalog().table(link.relationship().referencedEntity());
                CascadeType type = cascading(link.relationship().cascade().share());
                // only rows of tables owned by users or teams are shared, on either side
                if (parent != null && type != CascadeType.NO_CASCADE && shareable(parent) && shareable(table)) {
                    inherited.add(new InheritedShares.Source(parent, link.column().logicalName(), type));
                }
            }
            sources.put(table.logicalName(), List.copyOf(inherited));
        }
    }

    /** A principal's share of the row changed: its children's inherited rights follow, for that principal. */
    void shareChanged(Transaction tx, TableDefinition table, UUID id, @Nullable UUID owner, UUID principal,
            Change change) {
        Function<Cascades.Link, CascadeType> type = switch (change) {
            case GRANTED -> link -> cascading(link.relationship().cascade().share());
            case REVOKED -> link -> cascading(link.relationship().cascade().unshare());
            case REPLACED -> link -> wider(cascading(link.relationship().cascade().share()),
                    cascading(link.relationship().cascade().unshare()));
        };
        if (walk(tx, new RowSet.Keys(table, List.of(id)), type, owner, principal, new ArrayDeque<>())) {
            context.guard().changed(tx, "principalobjectaccess");
        }
    }

    /**
     * The row now has other parents (a reparented lookup, or a new row): its inherited rights are recomputed from its
     * parents for every principal, and its children's after them.
     */
    void reparented(Transaction tx, TableDefinition table, UUID id, @Nullable UUID owner) {
        List<InheritedShares.Source> inherited = sources.getOrDefault(table.logicalName(), List.of());
        if (inherited.isEmpty()) {
            return;
        }
        RowSet row = new RowSet.Keys(table, List.of(id));
        boolean changed = sql(tx, () -> InheritedShares.recompute(tx, store, row, inherited, null));
        Function<Cascades.Link, CascadeType> type = link -> wider(cascading(link.relationship().cascade().share()),
                cascading(link.relationship().cascade().unshare()));
        changed |= walk(tx, row, type, owner, null, new ArrayDeque<>());
        if (changed) {
            context.guard().changed(tx, "principalobjectaccess");
        }
    }

    /**
     * Rows were created: those naming a shared parent through a relationship that cascades Share inherit its shares,
     * as a row moved under it does (new rows have no children yet). One index probe when no parent is shared.
     */
    void created(Transaction tx, TableDefinition table, List<UUID> ids, List<Map<String, @Nullable Object>> rows) {
        List<InheritedShares.Source> inherited = sources.getOrDefault(table.logicalName(), List.of());
        if (inherited.isEmpty()) {
            return;
        }
        java.util.Set<UUID> parents = new java.util.LinkedHashSet<>();
        for (Map<String, @Nullable Object> values : rows) {
            for (InheritedShares.Source source : inherited) {
                // most parent tables have no shared row at all: then no look at the shares per created row
                if (values.get(source.column()) instanceof UUID parent
                        && context.guard().anySharesOf(tx, source.parent())) {
                    parents.add(parent);
                }
            }
        }
        List<UUID> named = List.copyOf(parents);
        boolean changed = false;
        for (int from = 0; from < named.size(); from += Cascades.KEYS_PER_STATEMENT) {
            List<UUID> part = named.subList(from, Math.min(named.size(), from + Cascades.KEYS_PER_STATEMENT));
            if (sql(tx, () -> InheritedShares.anyShared(tx, part))) {
                for (int first = 0; first < ids.size(); first += Cascades.KEYS_PER_STATEMENT) {
                    RowSet created = new RowSet.Keys(table, ids.subList(first,
                            Math.min(ids.size(), first + Cascades.KEYS_PER_STATEMENT)));
                    changed |= sql(tx, () -> InheritedShares.recompute(tx, store, created, inherited, null));
                }
                break;
            }
        }
        if (changed) {
            context.guard().changed(tx, "principalobjectaccess");
        }
    }

    /** Whether rows of this table can inherit rights at all. */
    boolean inherits(TableDefinition table) {
        return !sources.getOrDefault(table.logicalName(), List.of()).isEmpty();
    }

    /**
     * Recomputes, parents before children, the rights of every set of rows the cascade reaches from these rows (as
     * {@link Cascades#forEachCascaded} reaches them, but top-down, since a child's rights come from its parent's).
     */
    private boolean walk(Transaction tx, RowSet parents, Function<Cascades.Link, CascadeType> typeOf,
            @Nullable UUID owner, @Nullable UUID principal, Deque<String> path) {
        boolean changed = false;
        for (Cascades.Link link : cascades.childLinks(parents.table())) {
            CascadeType type = typeOf.apply(link);
            String name = link.relationship().schemaName();
            List<InheritedShares.Source> inherited = sources.getOrDefault(link.child().logicalName(), List.of());
            if (type == CascadeType.NO_CASCADE || path.contains(name) || inherited.isEmpty()) {
                continue; // a relationship is followed once per path, so that a self-reference or a cycle ends
            }
            String column = link.column().logicalName();
            @Nullable RowSet reached = switch (type) {
                case ACTIVE -> link.child().column("statecode") == null
                        ? new RowSet.Referencing(link.child(), column, parents)
                        : new RowSet.Referencing(link.child(), column, parents, "statecode", 0);
                case USER_OWNED -> owner == null ? null
                        : new RowSet.Referencing(link.child(), column, parents, "ownerid", owner);
                default -> new RowSet.Referencing(link.child(), column, parents);
            };
            if (reached == null || !store.any(tx, reached)) {
                continue;
            }
            RowSet children = reached;
            changed |= sql(tx, () -> InheritedShares.recompute(tx, store, children, inherited, principal));
            path.push(name);
            changed |= walk(tx, children, typeOf, owner, principal, path);
            path.pop();
        }
        return changed;
    }

    private static boolean shareable(TableDefinition table) {
        ColumnDefinition owner = table.column("ownerid");
        return owner != null && table.column("owninguser") != null;
    }

    /** Cascade, Active and UserOwned cascade; every other value (NoCascade, and values not valid here) does not. */
    private static CascadeType cascading(CascadeType type) {
        return type == CascadeType.CASCADE || type == CascadeType.ACTIVE || type == CascadeType.USER_OWNED
                ? type : CascadeType.NO_CASCADE;
    }

    private static CascadeType wider(CascadeType first, CascadeType second) {
        if (first == CascadeType.CASCADE || second == CascadeType.NO_CASCADE) {
            return first;
        }
        return second == CascadeType.CASCADE || first == CascadeType.NO_CASCADE ? second : first;
    }

    /** A database step; its failures (a conflict with a concurrent transaction) answer as any statement's do. */
    private interface SqlStep<T> {
        T run() throws SQLException;
    }

    private static <T> T sql(Transaction tx, SqlStep<T> step) {
        try {
            return step.run();
        } catch (SQLException e) {
            throw SqlErrors.toDataverse(SqlErrors.classify(tx.dialect(), e));
        }
    }
}
