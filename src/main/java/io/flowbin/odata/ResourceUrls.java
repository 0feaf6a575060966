package io.flowbin.odata;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.flowbin.metadata.Catalog;
import io.flowbin.metadata.TableDefinition;
import io.flowbin.messages.EntityReference;
import java.io.IOException;
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

    /** Function parameters are written in single-quoted JSON: {@code Target=@t&@t={'@odata.id':'...'}}. */
    private static final ObjectMapper LENIENT_JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_SINGLE_QUOTES)
            .build();

    /**
     * A record reference as a function parameter gives it, {@code {'@odata.id':'flowsessionbinaries(<id>)'}}; null
     * when the text is not such an object or its URL names no record.
     */
    public @Nullable EntityReference parseReferenceParameter(String value) {
        JsonNode node;
        try {
            node = LENIENT_JSON.readTree(value);
        } catch (IOException e) {
            return null;
        }
        JsonNode id = node == null ? null : node.get("@odata.id");
        return id == null || !id.isTextual() ? null : parseEntityUrl(id.asText());
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
