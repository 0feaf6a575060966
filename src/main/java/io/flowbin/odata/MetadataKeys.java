package io.flowbin.odata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowbin.error.DataverseException;
import io.flowbin.error.ErrorCodes;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Resolves the alternate keys Dataverse accepts on definitions ({@code EntityDefinitions(LogicalName='x')},
 * {@code Attributes(LogicalName='y')}, {@code RelationshipDefinitions(SchemaName='z')},
 * {@code GlobalOptionSetDefinitions(Name='w')}) by rewriting them to the {@code MetadataId} key, which is the only
 * key in the EDM. A name that matches nothing is answered with Dataverse's not-found error. Stateless and
 * thread-safe.
 */
final class MetadataKeys {
    private static final Pattern SEGMENT = Pattern.compile("([A-Za-z]+)\\((.*)\\)");
    private static final Pattern NAMED_KEY = Pattern.compile("\\s*([A-Za-z]+)\\s*=\\s*'((?:[^']|'')*)'\\s*");
    /** The alternate key property of each definition set and navigation property. */
    private static final Map<String, String> KEY_NAMES = Map.of(
            MetadataEdmProvider.ENTITY_DEFINITIONS, "LogicalName",
            "Attributes", "LogicalName",
            MetadataEdmProvider.RELATIONSHIP_DEFINITIONS, "SchemaName",
            "OneToManyRelationships", "SchemaName",
            "ManyToOneRelationships", "SchemaName",
            "ManyToManyRelationships", "SchemaName",
            MetadataEdmProvider.GLOBAL_OPTION_SET_DEFINITIONS, "Name");

    private MetadataKeys() {}

    /** The path with every alternate key replaced by the MetadataId of the definition it names. */
    static String resolve(MetadataTree tree, String path) {
        String[] segments = path.split("/", -1);
        @Nullable ObjectNode current = null;
        for (int i = 0; i < segments.length; i++) {
            if (segments[i].contains(".")) {
                continue; // a type cast keeps the definition it narrows
            }
            Matcher segment = SEGMENT.matcher(segments[i]);
            if (!segment.matches()) {
                current = i == 0 || current == null ? null : asObject(current.path(segments[i]));
                continue;
            }
            String name = segment.group(1);
            Matcher key = NAMED_KEY.matcher(QueryStrings.decode(segment.group(2)));
            String keyName = KEY_NAMES.get(name);
            if (!key.matches() || keyName == null || !key.group(1).equals(keyName)) {
                current = null; // a MetadataId key, or a key Olingo will refuse
                continue;
            }
            String value = key.group(2).replace("''", "'");
            ObjectNode found = i == 0
                    ? tree.byName(name, value)
                    : current == null ? null : MetadataTree.member(current.path(name), keyName, value);
            if (found == null) {
                throw notFound(name, current, keyName, value);
            }
            segments[i] = name + "(" + found.path("MetadataId").asText() + ")";
            current = found;
        }
        return String.join("/", segments);
    }

    private static @Nullable ObjectNode asObject(JsonNode node) {
        return node instanceof ObjectNode object ? object : null;
    }

    /** Dataverse's error for a definition that does not exist, by the kind of definition asked for. */
    static DataverseException notFound(String setOrNavigation, @Nullable JsonNode parent, String keyName,
            String value) {
        String by = keyName.equals("MetadataId") ? "id" : "name";
        String message = switch (setOrNavigation) {
            case MetadataEdmProvider.ENTITY_DEFINITIONS -> "Could not find entity with " + by + " '" + value + "'";
            case "Attributes" -> "Could not find attribute with " + by + " '" + value + "' on entity '"
                    + (parent == null ? "" : parent.path("LogicalName").asText()) + "'";
            case MetadataEdmProvider.GLOBAL_OPTION_SET_DEFINITIONS ->
                    "Could not find optionset with " + by + " '" + value + "'";
            default -> "Could not find relationship with " + by + " '" + value + "'";
        };
        return new DataverseException(404, ErrorCodes.OBJECT_DOES_NOT_EXIST, message);
    }
}
