package io.flowbin.pipeline;

import io.flowbin.data.Database;
import io.flowbin.data.RecordStore;
import io.flowbin.data.Transaction;
import io.flowbin.metadata.Catalog;
import io.flowbin.metadata.MessageDefinition;
import io.flowbin.metadata.TableDefinition;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Seeds the registration tables at start from the catalog: one {@code sdkmessage} per message name, one
 * {@code sdkmessagefilter} per (message, table) that is an event ("Is Event: True"), and one {@code plugintype}
 * per plug-in on the class path. Ids are derived from the names, so every node seeds the same rows; idempotent.
 */
final class MessageCatalog {
    private MessageCatalog() {}

    static void seed(Database database, Catalog catalog, RecordStore store, PluginRegistry plugins) {
        database.inTransaction(tx -> {
            TableDefinition messages = table(catalog, "sdkmessage");
            TableDefinition filters = table(catalog, "sdkmessagefilter");
            TableDefinition types = table(catalog, "plugintype");
            for (TableDefinition table : catalog.tables()) {
                for (MessageDefinition message : table.messages()) {
                    UUID messageId = messageId(message.name());
                    Map<String, @Nullable Object> row = row("sdkmessageid", messageId);
                    row.put("name", message.name());
                    row.put("isprivate", false);
                    row.put("autotransact", true);
                    row.put("availability", 0);
                    insertIfMissing(tx, store, messages, messageId, row);
                    if (message.isEvent()) {
                        UUID filterId = filterId(message.name(), table.logicalName());
                        Map<String, @Nullable Object> filter = row("sdkmessagefilterid", filterId);
                        filter.put("name", message.name() + " " + table.logicalName());
                        filter.put("sdkmessageid", messageId);
                        filter.put("primaryobjecttypecode", table.logicalName());
                        filter.put("secondaryobjecttypecode", "none");
                        filter.put("iscustomprocessingstepallowed", true);
                        filter.put("isvisible", true);
                        filter.put("availability", 0);
                        insertIfMissing(tx, store, filters, filterId, filter);
                    }
                }
            }
            for (Map.Entry<String, Plugin> plugin : plugins.all().entrySet()) {
                UUID typeId = named("plugintype:" + plugin.getKey());
                Map<String, @Nullable Object> type = row("plugintypeid", typeId);
                type.put("name", plugin.getKey());
                type.put("typename", plugin.getKey());
                type.put("friendlyname", plugin.getValue().getClass().getSimpleName());
                type.put("assemblyname", "classpath");
                type.put("isworkflowactivity", false);
                insertIfMissing(tx, store, types, typeId, type);
            }
            return null;
        });
    }

    static UUID messageId(String message) {
        return named("sdkmessage:" + message);
    }

    static UUID filterId(String message, String table) {
        return named("sdkmessagefilter:" + message + ":" + table);
    }

    private static UUID named(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, @Nullable Object> row(String key, UUID id) {
        Map<String, @Nullable Object> row = new LinkedHashMap<>();
        row.put(key, id);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        row.put("createdon", now);
        row.put("modifiedon", now);
        return row;
    }

    private static void insertIfMissing(Transaction tx, RecordStore store, TableDefinition table, UUID id,
            Map<String, @Nullable Object> row) {
        if (!store.exists(tx, table, id)) {
            store.insert(tx, table, row);
        }
    }

    private static TableDefinition table(Catalog catalog, String name) {
        return Objects.requireNonNull(catalog.table(name), name + " table");
    }
}
