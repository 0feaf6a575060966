package io.flowbin.pipeline;

import io.flowbin.data.Database;
import io.flowbin.data.Dialect;
import io.flowbin.data.SqlErrors;
import io.flowbin.data.Transaction;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * The enabled steps, read from the registration tables and kept as one immutable snapshot. A write to a
 * registration table through this node drops the snapshot at once; other nodes see it within the refresh interval.
 * Thread-safe.
 */
final class Registrations {
    static final Set<String> TABLES = Set.of("sdkmessage", "sdkmessagefilter", "sdkmessageprocessingstep",
            "sdkmessageprocessingstepimage", "serviceendpoint", "plugintype");

    private final Database database;
    private final long refreshNanos;
    private volatile @Nullable Snapshot snapshot;
    private final AtomicBoolean refreshing = new AtomicBoolean();

    Registrations(Database database, Duration refresh) {
        this.database = database;
        this.refreshNanos = refresh.toNanos();
    }

    /** Steps by message name and table (the key "" holds steps on every table), sorted by rank then id. */
    record Snapshot(Map<String, Map<String, List<Step>>> steps, Map<UUID, Step> byId, long loadedAt) {
        List<Step> of(String message, String table) {
            Map<String, List<Step>> byTable = steps.get(message);
            if (byTable == null) {
                return List.of();
            }
            List<Step> forTable = byTable.getOrDefault(table, List.of());
            List<Step> forAll = byTable.getOrDefault("", List.of());
            if (forAll.isEmpty()) {
                return forTable;
            }
            List<Step> merged = new ArrayList<>(forTable);
            merged.addAll(forAll);
            merged.sort(ORDER);
            return merged;
        }

        /** Whether any step fires on the message for the table; allocates nothing. */
        boolean has(String message, String table) {
            Map<String, List<Step>> byTable = steps.get(message);
            return byTable != null && (byTable.containsKey(table) || byTable.containsKey(""));
        }
    }

    static final Comparator<Step> ORDER = Comparator.comparingInt(Step::rank).thenComparing(Step::id);

    /** The current steps; reads them with the transaction given, or a read of its own when there is none. */
    Snapshot current(@Nullable Transaction tx) {
        Snapshot known = snapshot;
        if (known != null && System.nanoTime() - known.loadedAt() < refreshNanos) {
            return known;
        }
        // an expired snapshot is refreshed by one caller; the reads racing it keep the one they have meanwhile
        if (known != null && !refreshing.compareAndSet(false, true)) {
            return known;
        }
        try {
            return reload(tx);
        } finally {
            if (known != null) {
                refreshing.set(false);
            }
        }
    }

    private Snapshot reload(@Nullable Transaction tx) {
        Snapshot loaded;
        if (tx == null) {
            loaded = database.read(this::load);
        } else {
            try {
                loaded = load(tx);
            } catch (SQLException e) {
                throw SqlErrors.toDataverse(SqlErrors.classify(tx.dialect(), e));
            }
        }
        snapshot = loaded;
        return loaded;
    }

    void invalidate() {
        snapshot = null;
    }

    private Snapshot load(Transaction tx) throws SQLException {
        Dialect d = tx.dialect();
        Map<UUID, List<Step.Image>> images = images(tx, d);
        Map<UUID, Step.Handler> handlers = handlers(tx, d);
        String sql = "SELECT s." + d.quote("sdkmessageprocessingstepid") + ", s." + d.quote("name") + ", m."
                + d.quote("name") + ", f." + d.quote("primaryobjecttypecode") + ", s." + d.quote("stage") + ", s."
                + d.quote("mode") + ", s." + d.quote("rank") + ", s." + d.quote("filteringattributes") + ", s."
                + d.quote("eventhandler") + ", s." + d.quote("configuration") + ", s." + d.quote("asyncautodelete")
                + ", s." + d.quote("impersonatinguserid")
                + " FROM " + d.quote("sdkmessageprocessingstep") + " s JOIN " + d.quote("sdkmessage") + " m ON m."
                + d.quote("sdkmessageid") + " = s." + d.quote("sdkmessageid") + " LEFT JOIN "
                + d.quote("sdkmessagefilter") + " f ON f." + d.quote("sdkmessagefilterid") + " = s."
                + d.quote("sdkmessagefilterid") + " WHERE s." + d.quote("statecode") + " = 0";
        Map<String, Map<String, List<Step>>> steps = new HashMap<>();
        Map<UUID, Step> byId = new HashMap<>();
        try (PreparedStatement statement = tx.connection().prepareStatement(sql);
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                UUID id = rows.getObject(1, UUID.class);
                UUID handlerId = rows.getObject(9, UUID.class);
                Step.Handler handler = handlerId == null ? null : handlers.get(handlerId);
                if (handler == null) {
                    continue; // its handler was deleted: nothing to call
                }
                String table = rows.getString(4);
                Step step = new Step(id, rows.getString(2), rows.getString(3), table, rows.getInt(5), rows.getInt(6),
                        rows.getInt(7), columns(rows.getString(8)), handler, rows.getString(10),
                        rows.getBoolean(11), rows.getObject(12, UUID.class), images.getOrDefault(id, List.of()));
                steps.computeIfAbsent(step.message(), key -> new HashMap<>())
                        .computeIfAbsent(table == null ? "" : table, key -> new ArrayList<>())
                        .add(step);
                byId.put(id, step);
            }
        }
        for (Map<String, List<Step>> byTable : steps.values()) {
            for (List<Step> list : byTable.values()) {
                list.sort(ORDER);
            }
        }
        return new Snapshot(steps, byId, System.nanoTime());
    }

    private static Map<UUID, List<Step.Image>> images(Transaction tx, Dialect d) throws SQLException {
        String sql = "SELECT " + d.quote("sdkmessageprocessingstepid") + ", "
                + d.quote("sdkmessageprocessingstepimageid")
                + ", " + d.quote("entityalias") + ", " + d.quote("imagetype") + ", " + d.quote("attributes")
                + " FROM " + d.quote("sdkmessageprocessingstepimage");
        Map<UUID, List<Step.Image>> images = new HashMap<>();
        try (PreparedStatement statement = tx.connection().prepareStatement(sql);
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                String attributes = rows.getString(5);
                Set<String> columns = attributes == null || attributes.isBlank() ? null : columns(attributes);
                images.computeIfAbsent(rows.getObject(1, UUID.class), key -> new ArrayList<>()).add(new Step.Image(
                        rows.getObject(2, UUID.class), rows.getString(3), rows.getInt(4), columns));
            }
        }
        return images;
    }

    private static Map<UUID, Step.Handler> handlers(Transaction tx, Dialect d) throws SQLException {
        Map<UUID, Step.Handler> handlers = new HashMap<>();
        try (PreparedStatement statement = tx.connection().prepareStatement("SELECT " + d.quote("plugintypeid") + ", "
                + d.quote("typename") + " FROM " + d.quote("plugintype"));
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                UUID id = rows.getObject(1, UUID.class);
                handlers.put(id, new Step.PluginHandler(id, rows.getString(2)));
            }
        }
        try (PreparedStatement statement = tx.connection().prepareStatement("SELECT " + d.quote("serviceendpointid")
                + ", " + d.quote("name") + ", " + d.quote("contract") + ", " + d.quote("authtype") + ", "
                + d.quote("authvalue") + ", " + d.quote("url") + ", " + d.quote("namespaceaddress") + ", "
                + d.quote("path") + ", " + d.quote("saskeyname") + ", " + d.quote("saskey") + " FROM "
                + d.quote("serviceendpoint"));
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                UUID id = rows.getObject(1, UUID.class);
                handlers.put(id, new Step.EndpointHandler(new Step.Endpoint(id, rows.getString(2), rows.getInt(3),
                        rows.getInt(4), rows.getString(5), rows.getString(6), rows.getString(7), rows.getString(8),
                        rows.getString(9), rows.getString(10))));
            }
        }
        return handlers;
    }

    static Set<String> columns(@Nullable String commaList) {
        if (commaList == null || commaList.isBlank()) {
            return Set.of();
        }
        Set<String> columns = new LinkedHashSet<>();
        Arrays.stream(commaList.split(",")).map(String::trim).filter(name -> !name.isEmpty())
                .map(name -> name.toLowerCase(java.util.Locale.ROOT)).forEach(columns::add);
        return Set.copyOf(columns);
    }
}
