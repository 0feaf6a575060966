package io.flowbin.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.flowbin.data.Database;
import io.flowbin.data.Dialect;
import io.flowbin.data.Transaction;
import io.flowbin.data.query.CollectionExpansion;
import io.flowbin.data.query.ColumnRef;
import io.flowbin.data.query.Condition;
import io.flowbin.data.query.Expansion;
import io.flowbin.data.query.Join;
import io.flowbin.data.query.Literal;
import io.flowbin.data.query.Query;
import io.flowbin.error.DataverseException;
import io.flowbin.error.ErrorCodes;
import io.flowbin.metadata.Catalog;
import io.flowbin.metadata.ColumnDefinition;
import io.flowbin.metadata.TableDefinition;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The access checks of Dataverse's role-based security: privileges from the roles of a user and of its teams, the
 * depth of each measured against the row's owner and business unit, and shares in {@code principalobjectaccess}.
 * Resolved rights are cached per principal in a bounded cache and forgotten whenever a table they come from
 * changes; shares themselves are part of each statement, only whether a principal holds any and whether a table has
 * any are cached, forgotten when shares change through this node and after five seconds for other nodes'
 * changes. Thread-safe.
 */
public final class RoleAccessGuard implements AccessGuard {
    /** Tables whose rows make up resolved rights: a change to any of them forgets every cached resolution. */
    private static final Set<String> RIGHTS_TABLES = Set.of("role", "roleprivileges", "privilege", "systemuser",
            "team", "businessunit", "teammembership", "systemuserroles", "teamroles");
    private static final String SHARES = "principalobjectaccess";
    /** How long a share made through another node may go unnoticed by this node's cached share holdings. */
    private static final java.time.Duration SHARES_SEEN_WITHIN = java.time.Duration.ofSeconds(5);

    private final Catalog catalog;
    private final Database database;
    private final Cache<UUID, Cached<Rights>> cache;
    /** Whether any share names the user or one of its teams: without one, queries need no share predicate. */
    private final Cache<UUID, Cached<Boolean>> sharesHeld;
    /** Whether any row of a table is shared: without one, a row created under one of them inherits nothing. */
    private final Cache<String, Cached<Boolean>> tablesShared;
    /**
     * Counts invalidations: a value read before one and cached after it would be stale, so a cached value counts only
     * while the generation it was read in is the current one.
     */
    private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();
    private final List<Runnable> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** @param maxPrincipals the most principals whose rights are kept */
    public RoleAccessGuard(Catalog catalog, Database database, int maxPrincipals) {
        this.catalog = catalog;
        this.database = database;
        this.cache = Caffeine.newBuilder().maximumSize(maxPrincipals).build();
        // shares made through another node are seen here once the cached answer expires
        this.sharesHeld = Caffeine.newBuilder().maximumSize(maxPrincipals).expireAfterWrite(SHARES_SEEN_WITHIN)
                .build();
        this.tablesShared = Caffeine.newBuilder().maximumSize(catalog.tables().size())
                .expireAfterWrite(SHARES_SEEN_WITHIN).build();
    }

    /** A cached value and the generation it was read in. */
    private record Cached<T>(long generation, T value) {}

    @Override
    public @Nullable Rights rights(UUID principal) {
        Cached<Rights> cached = cache.getIfPresent(principal);
        return cached != null && cached.generation() == generation.get() ? cached.value()
                : database.read(tx -> rights(tx, principal));
    }

    private @Nullable Rights rights(Transaction tx, UUID principal) throws SQLException {
        long current = generation.get();
        Cached<Rights> cached = cache.getIfPresent(principal);
        if (cached != null && cached.generation() == current) {
            return cached.value();
        }
        Rights loaded = RightsLoader.load(tx, principal);
        if (loaded != null) {
            cache.put(principal, new Cached<>(current, loaded));
        }
        return loaded;
    }

    @Override
    public boolean anySharesOf(Transaction tx, TableDefinition table) {
        return cachedFlag(tablesShared, table.logicalName(), () -> sql(() -> Shares.anyOf(tx, table.logicalName())));
    }

    /** Whether a share names the principal or one of its teams; cached like rights, forgotten when shares change. */
    private boolean holdsShares(Transaction tx, Rights rights) {
        return cachedFlag(sharesHeld, rights.principalId(), () -> sql(() -> Shares.anyFor(tx, principals(rights))));
    }

    /** The flag cached under the key if read in the current generation, else loaded now and cached. */
    private <K> boolean cachedFlag(Cache<K, Cached<Boolean>> flags, K key, BooleanSupplier load) {
        long current = generation.get();
        Cached<Boolean> cached = flags.getIfPresent(key);
        if (cached != null && cached.generation() == current) {
            return cached.value();
        }
        boolean flag = load.getAsBoolean();
        flags.put(key, new Cached<>(current, flag));
        return flag;
    }

    private static List<UUID> principals(Rights rights) {
        List<UUID> principals = new ArrayList<>();
        principals.add(rights.principalId());
        principals.addAll(rights.teams());
        return principals;
    }

    /** The callers whose rights a check needs: the user acted as and, under impersonation, the real caller. */
    private List<Rights> callers(Transaction tx, Caller caller) {
        List<Rights> all = new ArrayList<>(2);
        for (UUID user : caller.onBehalfOf() == null ? List.of(caller.userId())
                : List.of(caller.userId(), Objects.requireNonNull(caller.onBehalfOf()))) {
            Rights rights = sql(() -> rights(tx, user));
            if (rights == null || rights.team()) {
                throw new DataverseException(403, "0x80040225", "The user with id " + user + " does not exist.");
            }
            all.add(rights);
        }
        return all;
    }

    @Override
    public void requirePrivilege(Transaction tx, Caller caller, TableDefinition table, AccessRight right) {
        for (Rights rights : callers(tx, caller)) {
            privilege(rights, table, right);
        }
    }

    private static Depth privilege(Rights rights, TableDefinition table, AccessRight right) {
        String name = PrivilegeNames.of(table, right);
        Depth depth = rights.depth(name);
        if (depth == null) {
            throw missingPrivilege(rights, name, table.logicalName());
        }
        return depth;
    }

    static DataverseException missingPrivilege(Rights rights, String privilege, String table) {
        return new DataverseException(403, ErrorCodes.PRIVILEGE_DENIED, "Principal user (Id=" + rights.principalId()
                + ", type=" + (rights.team() ? 9 : 8) + ", roleCount=" + rights.roleCount() + ", privilegeCount="
                + rights.privileges().size() + ", accessMode=0), is missing " + privilege + " privilege (Id="
                + PrivilegeNames.id(privilege) + ") for entity '" + table + "'.");
    }

    @Override
    public void requireRow(Transaction tx, Caller caller, TableDefinition table, UUID id, AccessRight right) {
        for (Rights rights : callers(tx, caller)) {
            Depth depth = privilege(rights, table, right);
            Ownership ownership = Ownership.of(table);
            if (ownership == Ownership.ORGANIZATION || depth == Depth.GLOBAL) {
                continue;
            }
            RowFacts facts = sql(() -> facts(tx, table, id));
            if (facts == null || depth.covers(facts.needed(rights, table))) {
                continue;
            }
            if (ownership == Ownership.PRINCIPAL && (sql(() -> sharedMask(tx, rights, id)) & right.bit()) != 0) {
                continue;
            }
            throw new DataverseException(403, ErrorCodes.PRIVILEGE_DENIED, "SecLib::AccessCheckEx failed. Returned hr"
                    + " = -2147187962, ObjectID: " + id + ", OwnerId: " + facts.owner() + ", OwnerIdType: "
                    + (facts.team() != null ? 9 : 8) + " and CallingUser: " + rights.principalId()
                    + ". ObjectTypeCode: " + table.logicalName() + ", objectBusinessUnitId: " + facts.unit()
                    + ", AccessRights: " + AccessRight.names(right.bit()) + " ");
        }
    }

    @Override
    public void requireCreate(Transaction tx, Caller caller, TableDefinition table,
            Map<String, @Nullable Object> values) {
        for (Rights rights : callers(tx, caller)) {
            Depth depth = privilege(rights, table, AccessRight.CREATE);
            Ownership ownership = Ownership.of(table);
            if (ownership == Ownership.PRINCIPAL && rights.principalId().equals(values.get("owninguser"))) {
                // "create a record and be its owner" needs Read as well
                privilege(rights, table, AccessRight.READ);
            }
            if (ownership == Ownership.ORGANIZATION || depth == Depth.GLOBAL) {
                continue;
            }
            String unitColumn = Objects.requireNonNull(Ownership.unitColumn(table));
            Object unit = table.logicalName().equals("businessunit") ? values.get("parentbusinessunitid")
                    : values.get(unitColumn);
            RowFacts facts = new RowFacts(uuid(values.get("owninguser")), uuid(values.get("owningteam")),
                    uuid(unit), uuid(values.get(table.primaryIdAttribute())));
            if (!depth.covers(facts.needed(rights, table))) {
                throw new DataverseException(403, ErrorCodes.PRIVILEGE_DENIED, "Principal with id "
                        + rights.principalId() + " does not have CreateAccess right(s) for record with id "
                        + values.get(table.primaryIdAttribute()) + " of entity " + table.logicalName() + ".");
            }
        }
    }

    @Override
    public void requireOwnerCanRead(Transaction tx, TableDefinition table, UUID owner) {
        Rights rights = sql(() -> rights(tx, owner));
        if (rights != null && rights.depth(PrivilegeNames.of(table, AccessRight.READ)) == null) {
            throw new DataverseException(403, ErrorCodes.TARGET_PRINCIPAL_LACKS_READ, "The target principal "
                    + owner + " lacks the " + PrivilegeNames.of(table, AccessRight.READ) + " privilege on entity '"
                    + table.logicalName() + "' and cannot own its rows.");
        }
    }

    @Override
    public int accessMask(Transaction tx, UUID principal, TableDefinition table, UUID id) {
        Rights rights = sql(() -> rights(tx, principal));
        if (rights == null) {
            return 0;
        }
        Ownership ownership = Ownership.of(table);
        RowFacts facts = ownership == Ownership.ORGANIZATION ? null : sql(() -> facts(tx, table, id));
        Depth needed = facts == null ? Depth.BASIC : facts.needed(rights, table);
        int shared = ownership == Ownership.PRINCIPAL ? sql(() -> sharedMask(tx, rights, id)) : 0;
        int mask = 0;
        for (AccessRight right : AccessRight.values()) {
            Depth depth = rights.depth(PrivilegeNames.of(table, right));
            if (depth == null) {
                continue;
            }
            if (right == AccessRight.CREATE || depth.covers(needed) || (shared & right.bit()) != 0) {
                mask |= right.bit();
            }
        }
        return mask;
    }

    @Override
    public void changed(Transaction tx, String table) {
        if (RIGHTS_TABLES.contains(table) || table.equals(SHARES)) {
            invalidateAll();
            tx.afterCommit(this::invalidateAll);
        }
    }

    /** Forgets every resolved right and share holding, and tells the listeners. */
    public void invalidateAll() {
        generation.incrementAndGet();
        cache.invalidateAll();
        sharesHeld.invalidateAll();
        tablesShared.invalidateAll();
        listeners.forEach(Runnable::run);
    }

    /** Runs the action whenever resolved rights are forgotten (users, teams or roles changed). */
    public void onChange(Runnable action) {
        listeners.add(action);
    }

    // ---- queries

    @Override
    public Query restrict(Transaction tx, Caller caller, Query query) {
        List<Subject> all = new ArrayList<>();
        for (Rights rights : callers(tx, caller)) {
            privilege(rights, query.table(), AccessRight.READ);
            all.add(new Subject(rights, holdsShares(tx, rights)));
        }
        return restricted(all, query);
    }

    /** A caller whose reads a query is narrowed to, and whether any share names it (or its teams). */
    private record Subject(Rights rights, boolean shares) {}

    private Query restricted(List<Subject> all, Query query) {
        // the caller's condition comes first: its fixed columns (the owner, the unit) lead the index a page is read by
        Query result = query.withWhere(Condition.all(readable(all, query.table(), Query.ROOT),
                correlated(all, query.where())));
        List<Join> joins = new ArrayList<>();
        for (Join join : query.joins()) {
            joins.add(new Join(join.table(), join.alias(), join.column(), join.to(), join.outer(),
                    Condition.all(correlated(all, join.on()), readable(all, join.table(), join.alias()))));
        }
        List<Expansion> expansions = new ArrayList<>();
        for (int i = 0; i < query.expansions().size(); i++) {
            Expansion expansion = query.expansions().get(i);
            List<Expansion.Target> targets = new ArrayList<>();
            for (int k = 0; k < expansion.targets().size(); k++) {
                Expansion.Target target = expansion.targets().get(k);
                targets.add(new Expansion.Target(target.table(), target.columns(), Condition.all(target.visible(),
                        readable(all, target.table(), Expansion.alias(i, k)))));
            }
            expansions.add(expansion.withTargets(targets));
        }
        List<CollectionExpansion> collections = new ArrayList<>();
        for (CollectionExpansion collection : query.collections()) {
            collections.add(new CollectionExpansion(collection.name(), restricted(all, collection.child()),
                    collection.parentLookup()));
        }
        return result.withJoins(joins).withExpansions(expansions, collections);
    }

    /** The condition with each correlated table ({@code EXISTS}) narrowed to the rows the callers may read. */
    private Condition correlated(List<Subject> all, Condition condition) {
        return switch (condition) {
            case Condition.And and -> new Condition.And(and.conditions().stream()
                    .map(c -> correlated(all, c)).toList());
            case Condition.Or or -> new Condition.Or(or.conditions().stream().map(c -> correlated(all, c)).toList());
            case Condition.Not not -> new Condition.Not(correlated(all, not.condition()));
            case Condition.Exists exists -> new Condition.Exists(exists.table(), exists.alias(), exists.innerColumn(),
                    exists.outer(), Condition.all(correlated(all, exists.where()),
                            readable(all, exists.table(), exists.alias())));
            default -> condition;
        };
    }

    /** The rows of the table (under this alias) that every caller may read. */
    private Condition readable(List<Subject> all, TableDefinition table, String alias) {
        List<Condition> each = new ArrayList<>();
        for (Subject subject : all) {
            each.add(readable(subject, table, alias));
        }
        return Condition.all(each.toArray(Condition[]::new));
    }

    private Condition readable(Subject subject, TableDefinition table, String alias) {
        Rights rights = subject.rights();
        Depth depth = rights.depth(PrivilegeNames.of(table, AccessRight.READ));
        if (depth == null) {
            return new Condition.Constant(false);
        }
        Ownership ownership = Ownership.of(table);
        if (ownership == Ownership.ORGANIZATION || depth == Depth.GLOBAL) {
            return Condition.TRUE;
        }
        List<Condition> any = new ArrayList<>();
        ColumnRef unit = ref(table, alias, Objects.requireNonNull(Ownership.unitColumn(table)));
        if (ownership == Ownership.PRINCIPAL) {
            if (depth == Depth.BASIC || rights.team()) {
                // from Local on, the caller's own rows are among its unit's: they follow the owner's unit (Assign,
                // a user moved to another unit), so the predicate needs no second column
                any.add(new Condition.Compare(ref(table, alias, "owninguser"), Condition.Comparator.EQ,
                        new Literal(rights.principalId())));
            }
            if (!rights.teams().isEmpty()) {
                any.add(new Condition.In(ref(table, alias, "owningteam"),
                        rights.teams().stream().map(Literal::new).toList(), false));
            }
            if (subject.shares()) {
                any.add(shared(rights, table, alias, AccessRight.READ));
            }
        } else {
            any.add(new Condition.Compare(ref(table, alias, table.primaryIdAttribute()), Condition.Comparator.EQ,
                    new Literal(rights.principalId())));
        }
        if (depth == Depth.LOCAL || (depth == Depth.BASIC && ownership == Ownership.BUSINESS_UNIT
                && !table.logicalName().equals("systemuser"))) {
            any.add(new Condition.Compare(unit, Condition.Comparator.EQ, new Literal(rights.businessUnitId())));
        } else if (depth == Depth.DEEP) {
            any.add(new Condition.In(unit, rights.unitsBelow().stream().map(Literal::new).toList(), false));
        }
        // a single comparison stays one, so that the query sees the column as fixed and orders by its index
        return any.size() == 1 ? any.get(0) : new Condition.Or(any);
    }

    /** A share of the row with the principal or one of its teams carries the right (explicitly or inherited). */
    private Condition shared(Rights rights, TableDefinition table, String alias, AccessRight right) {
        TableDefinition shares = Objects.requireNonNull(catalog.table(SHARES), SHARES);
        String sharesAlias = alias + "_poa";
        List<Literal> principals = new ArrayList<>();
        principals.add(new Literal(rights.principalId()));
        rights.teams().forEach(team -> principals.add(new Literal(team)));
        return new Condition.Exists(shares, sharesAlias, column(shares, "objectid"),
                ref(table, alias, table.primaryIdAttribute()),
                Condition.all(new Condition.In(ref(shares, sharesAlias, "principalid"), principals, false),
                        new Condition.Or(List.of(
                                new Condition.HasBit(ref(shares, sharesAlias, "accessrightsmask"), right.bit()),
                                new Condition.HasBit(ref(shares, sharesAlias, "inheritedaccessrightsmask"),
                                        right.bit())))));
    }

    private static ColumnRef ref(TableDefinition table, String alias, String column) {
        return ColumnRef.of(alias, column(table, column));
    }

    private static ColumnDefinition column(TableDefinition table, String column) {
        return Objects.requireNonNull(table.column(column), () -> table.logicalName() + "." + column);
    }

    // ---- single rows

    /**
     * Who owns a row and where it lives.
     *
     * @param user the owning user
     * @param team the owning team
     * @param unit the row's business unit
     * @param id the row's own id (a user row is its own)
     */
    private record RowFacts(@Nullable UUID user, @Nullable UUID team, @Nullable UUID unit, @Nullable UUID id) {
        @Nullable UUID owner() {
            return user != null ? user : team;
        }

        /** The least depth that reaches this row for the principal. */
        Depth needed(Rights rights, TableDefinition table) {
            if (rights.is(user) || rights.is(team) || (Ownership.of(table) != Ownership.PRINCIPAL
                    && rights.principalId().equals(id))) {
                return Depth.BASIC;
            }
            if (unit != null && unit.equals(rights.businessUnitId())) {
                return Ownership.of(table) == Ownership.BUSINESS_UNIT && !table.logicalName().equals("systemuser")
                        ? Depth.BASIC : Depth.LOCAL;
            }
            return unit != null && rights.unitsBelow().contains(unit) ? Depth.DEEP : Depth.GLOBAL;
        }
    }

    private @Nullable RowFacts facts(Transaction tx, TableDefinition table, UUID id) throws SQLException {
        Dialect d = tx.dialect();
        boolean principal = Ownership.of(table) == Ownership.PRINCIPAL;
        String unit = Objects.requireNonNull(Ownership.unitColumn(table));
        String sql = "SELECT " + (principal ? d.quote("owninguser") + ", " + d.quote("owningteam") : "NULL, NULL")
                + ", " + d.quote(unit) + " FROM " + d.quote(table.logicalName()) + " WHERE "
                + d.quote(table.primaryIdAttribute()) + " = ?";
        try (PreparedStatement statement = tx.connection().prepareStatement(sql)) {
            statement.setObject(1, id);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return null;
                }
                return new RowFacts(rows.getObject(1, UUID.class), rows.getObject(2, UUID.class),
                        rows.getObject(3, UUID.class), id);
            }
        }
    }

    /** The rights shares give the principal and its teams on the row. */
    private static int sharedMask(Transaction tx, Rights rights, UUID id) throws SQLException {
        Dialect d = tx.dialect();
        List<UUID> principals = new ArrayList<>();
        principals.add(rights.principalId());
        principals.addAll(rights.teams());
        String sql = "SELECT " + d.quote("accessrightsmask") + ", " + d.quote("inheritedaccessrightsmask") + " FROM "
                + d.quote(SHARES) + " WHERE " + d.quote("objectid") + " = ? AND " + d.quote("principalid") + " IN ("
                + "?, ".repeat(principals.size() - 1) + "?)";
        int mask = 0;
        try (PreparedStatement statement = tx.connection().prepareStatement(sql)) {
            statement.setObject(1, id);
            for (int i = 0; i < principals.size(); i++) {
                statement.setObject(i + 2, principals.get(i));
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    mask |= rows.getInt(1) | rows.getInt(2);
                }
            }
        }
        return mask;
    }

    private static @Nullable UUID uuid(@Nullable Object value) {
        return value instanceof UUID id ? id : null;
    }

    /** A database step whose SQL failures are unexpected (the statements are the server's own). */
    private interface SqlStep<T> {
        T run() throws SQLException;
    }

    private static <T> T sql(SqlStep<T> step) {
        try {
            return step.run();
        } catch (SQLException e) {
            throw new IllegalStateException("An access check failed in the database", e);
        }
    }
}
