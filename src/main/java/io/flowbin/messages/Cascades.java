package io.flowbin.messages;

import io.flowbin.data.RelationshipStore;
import io.flowbin.data.RowSet;
import io.flowbin.data.SchemaNames;
import io.flowbin.data.StoredRow;
import io.flowbin.data.Transaction;
import io.flowbin.error.DataverseException;
import io.flowbin.error.ErrorCodes;
import io.flowbin.metadata.AttributeType;
import io.flowbin.metadata.CascadeConfiguration.CascadeType;
import io.flowbin.metadata.Catalog;
import io.flowbin.metadata.ColumnDefinition;
import io.flowbin.metadata.RelationshipDefinition;
import io.flowbin.metadata.RequiredLevel;
import io.flowbin.metadata.TableDefinition;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The cascades of the relationships, applied generically from each relationship's cascade configuration in the
 * transaction of the operation that triggers them: Delete (Cascade, RemoveLink, Restrict), Assign, and the hooks
 * Share, Unshare and Reparent need. Statements are set-based: a cascade reaches every child with one statement per
 * relationship, never row by row. Thread-safe.
 *
 * <p>Design note: the rows a cascade reaches are described by {@link RowSet}s ("the binaries whose flowsessionid is
 * in the sessions being deleted"), nested as deep as relationships chain. A relationship that reaches its own table
 * again (a self-reference that cascades) has its rows listed by key instead, level by level, so that a chain of any
 * length, or a cycle in the data, ends. Delete with NoCascade (the value the definitions carry where a page states
 * nothing) behaves like Dataverse's referential default: the link is removed, unless the lookup is SystemRequired,
 * which cannot be emptied, so the delete is refused as with Restrict.
 */
public final class Cascades {
    /** Rows listed by key at a time, and the most rows a self-referencing cascade may reach. */
    static final int KEYS_PER_STATEMENT = 500;
    static final int MAX_SELF_CASCADE_ROWS = 100_000;
    private static final int MAX_NESTING = 6;
    private static final List<String> OWNER_COLUMNS = List.of("ownerid", "owneridtype", "owninguser", "owningteam",
            "owningbusinessunit", "modifiedon", "modifiedby", "modifiedonbehalfby");

    /**
     * Observers of the cascades that carry access rights (Share, Unshare, Reparent). Its methods do nothing by
     * default and must not throw for anything but a reason to fail the whole operation.
     */
    public interface Listener {
        /**
         * A row's lookup in a relationship with a Reparent cascade now points at another parent.
         *
         * @param child the row whose lookup changed, as a set of one row
         */
        default void reparented(Transaction tx, RelationshipDefinition relationship, RowSet child,
                @Nullable UUID previousParent, @Nullable UUID newParent) {}

        /**
         * A Delete cascade is about to delete these rows (their own dependants are handled already), for what
         * lives outside the tables, such as the files of their file columns.
         */
        default void deleting(Transaction tx, RowSet rows) {}
    }

    /** A lookup column of a child table whose relationship points at a parent table. */
    record Link(RelationshipDefinition relationship, TableDefinition child, ColumnDefinition column) {}

    /** The kind of cascade {@link #forEachCascaded} follows. */
    public enum Action {
        ASSIGN, SHARE, UNSHARE, REPARENT
    }

    /** What {@link #beforeUpdate} saw of a row before its update, for {@link #afterUpdate}. */
    record Before(TableDefinition table, UUID id, Map<String, @Nullable Object> values) {}

    private final Catalog catalog;
    private final RelationshipStore store;
    private final MessageContext context;
    private final Listener listener;
    private final Map<String, List<Link>> childLinks = new HashMap<>();
    private final Map<String, List<Link>> parentLinks = new HashMap<>();
    private final Map<String, List<SchemaNames.IntersectTable>> intersects = new HashMap<>();
    private final InheritedAccess inheritedAccess;

    public Cascades(MessageContext context, Listener listener) {
        this.context = context;
        this.catalog = context.catalog();
        this.listener = listener;
        this.store = new RelationshipStore(catalog, context.database().dialect());
        for (TableDefinition table : catalog.tables()) {
            childLinks.put(table.logicalName(), deriveLinks(table));
            List<SchemaNames.IntersectTable> touching = new ArrayList<>();
            for (RelationshipDefinition relationship : catalog.model().relationships()) {
                SchemaNames.IntersectTable intersect = store.intersectTable(relationship.schemaName());
                if (intersect != null && (intersect.firstTable().equals(table.logicalName())
                        || intersect.secondTable().equals(table.logicalName()))) {
                    touching.add(intersect);
                }
            }
            intersects.put(table.logicalName(), touching);
        }
        for (List<Link> links : childLinks.values()) {
            for (Link link : links) {
                List<Link> ofChild = parentLinks.computeIfAbsent(link.child().logicalName(), key -> new ArrayList<>());
                if (!ofChild.contains(link)) {
                    ofChild.add(link);
                }
            }
        }
        this.inheritedAccess = new InheritedAccess(context, this);
    }

    /** The Share, Unshare and Reparent cascades over these relationships. */
    InheritedAccess inheritedAccess() {
        return inheritedAccess;
    }

    Cascades(MessageContext context) {
        this(context, new Listener() {});
    }

    /** The lookups of other tables (or of this one) whose relationship names this table as the parent. */
    List<Link> childLinks(TableDefinition parent) {
        return childLinks.getOrDefault(parent.logicalName(), List.of());
    }

    private List<Link> deriveLinks(TableDefinition parent) {
        Map<String, Link> links = new LinkedHashMap<>();
        for (RelationshipDefinition relationship : catalog.model().relationships()) {
            if (relationship.kind() != RelationshipDefinition.Kind.ONE_TO_MANY) {
                continue;
            }
            TableDefinition child = catalog.table(relationship.referencingEntity());
            ColumnDefinition column = child == null ? null : child.column(relationship.referencingAttribute());
            if (child == null || column == null || !catalog.storedColumns(child).contains(column)) {
                continue;
            }
            boolean direct = relationship.referencedEntity().equals(parent.logicalName());
            // an owner relationship names the virtual "owner" table; its rows are users and teams
            boolean viaOwner = catalog.table(relationship.referencedEntity()) == null
                    && column.type() == AttributeType.OWNER
                    && catalog.loadedTargets(column).contains(parent.logicalName());
            if (direct || viaOwner) {
                links.putIfAbsent(child.logicalName() + "." + column.logicalName(),
                        new Link(relationship, child, column));
            }
        }
        return List.copyOf(links.values());
    }

    // ---- Delete ------------------------------------------------------------------------------------------------

    /** Applies the Delete cascade of every relationship to the dependants of this row, before the row is deleted. */
    void beforeDelete(Transaction tx, TableDefinition table, UUID id) {
        deleteDependants(tx, new RowSet.Keys(table, List.of(id)), new ArrayDeque<>(), null);
    }

    private void deleteDependants(Transaction tx, RowSet parents, Deque<String> path,
            @Nullable RelationshipDefinition skipped) {
        TableDefinition table = parents.table();
        for (SchemaNames.IntersectTable intersect : intersects.getOrDefault(table.logicalName(), List.of())) {
            String column = intersect.firstTable().equals(table.logicalName())
                    ? intersect.firstColumn() : intersect.secondColumn();
            store.deleteAssociations(tx, intersect, column, parents);
            if (intersect.firstTable().equals(intersect.secondTable())) {
                store.deleteAssociations(tx, intersect, intersect.secondColumn(), parents);
            }
        }
        for (Link link : childLinks(table)) {
            if (link.relationship() == skipped) {
                continue;
            }
            if (parents.depth() > 0 && !store.anyLinked(tx, link.child(), link.column().logicalName())) {
                continue; // a sub-select over many parents costs more than this probe of a lookup nobody uses
            }
            RowSet children = new RowSet.Referencing(link.child(), link.column().logicalName(), parents);
            switch (effectiveDelete(link)) {
                case RESTRICT -> {
                    if (store.any(tx, children)) {
                        throw cannotDelete(table, link);
                    }
                }
                case CASCADE -> {
                    String name = link.relationship().schemaName();
                    if (!store.any(tx, children)) {
                        continue; // one indexed probe spares the statements of the whole empty subtree
                    }
                    if (link.child().logicalName().equals(table.logicalName()) || path.contains(name)
                            || children.depth() > MAX_NESTING) {
                        deleteByKeys(tx, link, children);
                    } else {
                        path.push(name);
                        deleteDependants(tx, children, path, null);
                        path.pop();
                        listener.deleting(tx, children);
                        store.delete(tx, children);
                    }
                }
                default -> store.update(tx, children, cleared(link));
            }
        }
    }

    /**
     * Deletes the rows a self-referencing cascade reaches: lists them level by level (a row seen once is not
     * listed again, so a cycle ends), then deletes the deepest level first, so that no row outlives its parent.
     */
    private void deleteByKeys(Transaction tx, Link link, RowSet children) {
        Set<UUID> reached = new LinkedHashSet<>();
        List<List<UUID>> levels = new ArrayList<>();
        RowSet frontier = children;
        while (true) {
            List<UUID> level = new ArrayList<>();
            for (UUID key : store.keys(tx, frontier, MAX_SELF_CASCADE_ROWS + 1)) {
                if (reached.add(key)) {
                    level.add(key);
                }
            }
            if (reached.size() > MAX_SELF_CASCADE_ROWS) {
                throw new DataverseException(400, ErrorCodes.INVALID_ARGUMENT, "Deleting this "
                        + link.relationship().referencedEntity() + " would delete more than " + MAX_SELF_CASCADE_ROWS
                        + " " + link.child().logicalName() + " rows through '" + link.relationship().schemaName()
                        + "'; delete them in smaller parts.");
            }
            if (level.isEmpty()) {
                break;
            }
            levels.add(level);
            frontier = new RowSet.Referencing(link.child(), link.column().logicalName(),
                    new RowSet.Keys(link.child(), level));
        }
        for (int depth = levels.size() - 1; depth >= 0; depth--) {
            List<UUID> level = levels.get(depth);
            for (int from = 0; from < level.size(); from += KEYS_PER_STATEMENT) {
                RowSet part = new RowSet.Keys(link.child(),
                        level.subList(from, Math.min(level.size(), from + KEYS_PER_STATEMENT)));
                deleteDependants(tx, part, new ArrayDeque<>(), link.relationship());
                listener.deleting(tx, part);
                store.delete(tx, part);
            }
        }
    }

    private static CascadeType effectiveDelete(Link link) {
        CascadeType declared = link.relationship().cascade().delete();
        return switch (declared) {
            case CASCADE, RESTRICT, REMOVE_LINK -> declared;
            default -> link.column().requiredLevel() == RequiredLevel.SYSTEM_REQUIRED
                    ? CascadeType.RESTRICT : CascadeType.REMOVE_LINK;
        };
    }

    /** The lookup set to null, with the columns that only describe it (a file's name, a lookup's table). */
    private static Map<String, @Nullable Object> cleared(Link link) {
        Map<String, @Nullable Object> values = new LinkedHashMap<>();
        String column = link.column().logicalName();
        values.put(column, null);
        for (String companion : List.of(column + "_name", column + "typecode", column + "type")) {
            if (link.child().column(companion) != null) {
                values.put(companion, null);
            }
        }
        return values;
    }

    private static DataverseException cannotDelete(TableDefinition table, Link link) {
        return new DataverseException(405, ErrorCodes.CANNOT_DELETE_DUE_TO_ASSOCIATION,
                "The object you tried to delete is associated with another object and cannot be deleted. ("
                        + table.logicalName() + " is still referenced by " + link.child().logicalName() + "."
                        + link.column().logicalName() + " through '" + link.relationship().schemaName() + "')");
    }

    // ---- Update: Assign and Reparent ---------------------------------------------------------------------------

    /** Reads what the cascades of this update need to know of the row as it was; null when none applies. */
    @Nullable Before beforeUpdate(Transaction tx, TableDefinition table, UUID id, Map<String, @Nullable Object> values) {
        List<ColumnDefinition> watched = new ArrayList<>();
        if (values.containsKey("ownerid") && hasCascade(table, Action.ASSIGN)) {
            watched.add(table.column("ownerid"));
        }
        for (Link link : parentLinks(table)) {
            if (values.containsKey(link.column().logicalName())
                    && link.relationship().cascade().reparent() != CascadeType.NO_CASCADE) {
                watched.add(link.column());
            }
        }
        watched.removeIf(java.util.Objects::isNull);
        if (watched.isEmpty()) {
            return null;
        }
        StoredRow row = context.store().select(tx, table, id, watched, false);
        return row == null ? null : new Before(table, id, row.values());
    }

    /** Runs the Assign cascade when the owner changed and tells the listener of every reparented lookup. */
    void afterUpdate(Transaction tx, @Nullable Before before, Map<String, @Nullable Object> written) {
        if (before == null) {
            return;
        }
        TableDefinition table = before.table();
        RowSet row = new RowSet.Keys(table, List.of(before.id()));
        Object previousOwner = before.values().get("ownerid");
        if (before.values().containsKey("ownerid") && written.get("ownerid") != null
                && !written.get("ownerid").equals(previousOwner)) {
            Map<String, @Nullable Object> owner = new LinkedHashMap<>();
            for (String column : OWNER_COLUMNS) {
                if (written.containsKey(column)) {
                    owner.put(column, written.get(column));
                }
            }
            assignChildren(tx, row, owner, previousOwner instanceof UUID id ? id : null, new ArrayDeque<>());
        }
        boolean reparented = false;
        for (Link link : parentLinks(table)) {
            String column = link.column().logicalName();
            if (before.values().containsKey(column) && written.containsKey(column)
                    && link.relationship().cascade().reparent() != CascadeType.NO_CASCADE
                    && !java.util.Objects.equals(before.values().get(column), written.get(column))) {
                listener.reparented(tx, link.relationship(), row, (UUID) before.values().get(column),
                        (UUID) written.get(column));
                reparented = true;
            }
        }
        if (reparented && inheritedAccess.inherits(table)) {
            // the rights inherited from the old parent go, the new parent's come: recomputed from the parents
            StoredRow owner = table.column("ownerid") == null ? null : context.store().select(tx, table,
                    before.id(), List.of(java.util.Objects.requireNonNull(table.column("ownerid"))), false);
            inheritedAccess.reparented(tx, table, before.id(),
                    owner != null && owner.value("ownerid") instanceof UUID id ? id : null);
        }
    }

    private void assignChildren(Transaction tx, RowSet parents, Map<String, @Nullable Object> owner,
            @Nullable UUID previousOwner, Deque<String> path) {
        forEachCascaded(parents, Action.ASSIGN, previousOwner, path, children -> {
            Map<String, @Nullable Object> values = new LinkedHashMap<>();
            owner.forEach((column, value) -> {
                if (children.table().column(column) != null) {
                    values.put(column, value);
                }
            });
            if (children.table().column("ownerid") != null) {
                store.update(tx, children, values);
            }
        });
    }

    // ---- Hook for Share, Unshare and Reparent ------------------------------------------------------------------

    /**
     * Visits, deepest first, every set of rows the cascade of this action reaches from the row: children whose
     * relationship cascades the action (Cascade; Active: only active children; UserOwned: only children owned by
     * {@code parentOwner}), and their children in turn. Sharing applies inherited access to each set.
     */
    public void forEachCascaded(Transaction tx, TableDefinition table, UUID id, Action action,
            @Nullable UUID parentOwner, java.util.function.Consumer<RowSet> visitor) {
        forEachCascaded(new RowSet.Keys(table, List.of(id)), action, parentOwner, new ArrayDeque<>(), visitor);
    }

    private void forEachCascaded(RowSet parents, Action action, @Nullable UUID parentOwner, Deque<String> path,
            java.util.function.Consumer<RowSet> visitor) {
        for (Link link : childLinks(parents.table())) {
            CascadeType type = typeOf(link.relationship(), action);
            String name = link.relationship().schemaName();
            if (type == CascadeType.NO_CASCADE || path.contains(name)) {
                continue; // a self-reference is followed one level, as Dataverse does not run a cascade twice
            }
            @Nullable RowSet children = switch (type) {
                case ACTIVE -> link.child().column("statecode") == null
                        ? new RowSet.Referencing(link.child(), link.column().logicalName(), parents)
                        : new RowSet.Referencing(link.child(), link.column().logicalName(), parents, "statecode", 0);
                case USER_OWNED -> parentOwner == null || link.child().column("ownerid") == null
                        ? null
                        : new RowSet.Referencing(link.child(), link.column().logicalName(), parents, "ownerid",
                                parentOwner);
                case CASCADE -> new RowSet.Referencing(link.child(), link.column().logicalName(), parents);
                default -> null;
            };
            if (children == null) {
                continue;
            }
            path.push(name);
            forEachCascaded(children, action, parentOwner, path, visitor);
            path.pop();
            visitor.accept(children);
        }
    }

    private boolean hasCascade(TableDefinition table, Action action) {
        return childLinks(table).stream().anyMatch(link -> typeOf(link.relationship(), action)
                != CascadeType.NO_CASCADE);
    }

    private static CascadeType typeOf(RelationshipDefinition relationship, Action action) {
        Function<RelationshipDefinition, CascadeType> property = switch (action) {
            case ASSIGN -> r -> r.cascade().assign();
            case SHARE -> r -> r.cascade().share();
            case UNSHARE -> r -> r.cascade().unshare();
            case REPARENT -> r -> r.cascade().reparent();
        };
        CascadeType type = property.apply(relationship);
        return type == CascadeType.CASCADE || type == CascadeType.ACTIVE || type == CascadeType.USER_OWNED
                ? type : CascadeType.NO_CASCADE;
    }

    /** The lookups of this table whose relationship names another (or the same) table as the parent. */
    List<Link> parentLinks(TableDefinition table) {
        return parentLinks.getOrDefault(table.logicalName(), List.of());
    }
}
