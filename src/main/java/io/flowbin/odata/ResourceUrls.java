package io.flowbin.odata;

import io.flowbin.metadata.Catalog;
import io.flowbin.metadata.TableDefinition;
import io.flowbin.messages.EntityReference;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Entity URLs as clients write them in {@code @odata.bind} and {@code @odata.id}: {@code /flowsessions(<id>)},
 * {@code flowsessions(<id>)} or an absolute URL under the service root. Thread-safe.
 */
public final class ResourceUrls {
    private final Catalog catalog;

    public ResourceUrls(Catalog catalog) {
        this.catalog = catalog;
    }

    /** The row an entity URL names, or null when it is not of the form {@code <entity set>(<guid>)}. */
    public @Nullable EntityReference parseEntityUrl(String url) {
        String path = url;
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        int slash = path.lastIndexOf('/');
        String segment = path.substring(slash + 1);
        if (slash >= 0 && !prefixIsServiceRoot(path.substring(0, slash + 1))) {
            return null;
        }
        int open = segment.indexOf('(');
        if (open <= 0 || !segment.endsWith(")")) {
            return null;
        }
        TableDefinition table = catalog.tableByEntitySet(segment.substring(0, open));
        String key = segment.substring(open + 1, segment.length() - 1);
        if (key.startsWith(table == null ? "" : table.primaryIdAttribute() + "=")) {
            key = key.substring(key.indexOf('=') + 1);
        }
        UUID id = Guids.parse(key);
        return table == null || id == null ? null : new EntityReference(table.logicalName(), id);
    }

    private static boolean prefixIsServiceRoot(String prefix) {
        return prefix.equals("/") || prefix.endsWith("/api/data/v9.2/") || prefix.endsWith("/api/data/v9.1/")
                || prefix.endsWith("/api/data/v9.0/");
    }

    /** The canonical URL of a row, as sent in {@code OData-EntityId}. */
    public static String entityUrl(String serviceRoot, TableDefinition table, UUID id) {
        return serviceRoot + table.entitySetName() + "(" + id + ")";
    }
}
