package io.flowbin.odata;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.flowbin.error.DataverseException;
import io.flowbin.error.ErrorCodes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.olingo.commons.api.edm.Edm;
import org.apache.olingo.commons.api.edm.EdmNavigationProperty;
import org.apache.olingo.commons.api.edm.EdmStructuredType;
import org.apache.olingo.commons.api.edm.EdmType;
import org.apache.olingo.commons.api.edm.FullQualifiedName;
import org.apache.olingo.server.api.uri.UriResource;
import org.apache.olingo.server.api.uri.queryoption.ExpandItem;
import org.apache.olingo.server.api.uri.queryoption.ExpandOption;
import org.apache.olingo.server.api.uri.queryoption.SelectItem;
import org.apache.olingo.server.api.uri.queryoption.SelectOption;
import org.jspecify.annotations.Nullable;

/**
 * Writes definition trees as OData JSON shaped by {@code $select} and {@code $expand}: {@code MetadataId} is always
 * written, navigation properties only when expanded, and {@code @odata.type} only when a definition's type differs
 * from the one the context expects. Also builds the select list of the context URL. Stateless and thread-safe.
 */
final class MetadataWriter {
    private final Edm edm;

    MetadataWriter(Edm edm) {
        this.edm = edm;
    }

    /** Writes one definition as a JSON object, opened by the context URL when one is given. */
    void writeEntity(JsonGenerator json, @Nullable String context, JsonNode node, EdmStructuredType expected,
            @Nullable SelectOption select, @Nullable ExpandOption expand) throws IOException {
        json.writeStartObject();
        if (context != null) {
            json.writeStringField("@odata.context", context);
        }
        String typeName = node.path(AttributeNodes.TYPE).asText();
        if (!typeName.equals("#" + expected.getFullQualifiedName().getFullQualifiedNameAsString())) {
            json.writeStringField(AttributeNodes.TYPE, typeName);
        }
        EdmStructuredType actual = actualType(node, expected);
        Set<String> navigation = Set.copyOf(actual.getNavigationPropertyNames());
        Set<String> selected = selectedNames(select);
        Iterator<Map.Entry<String, JsonNode>> fields = node.properties().iterator();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            boolean skipped = name.equals(AttributeNodes.TYPE) || navigation.contains(name)
                    || (selected != null && (!selected.contains(name) || name.equals("MetadataId")));
            if (!skipped) {
                json.writeFieldName(name);
                json.writeTree(field.getValue());
            }
        }
        if (selected != null) {
            json.writeFieldName("MetadataId");
            json.writeTree(node.path("MetadataId"));
        }
        if (expand != null) {
            writeExpanded(json, node, actual, navigation, expand);
        }
        json.writeEndObject();
    }

    private void writeExpanded(JsonGenerator json, JsonNode node, EdmStructuredType actual, Set<String> navigation,
            ExpandOption expand) throws IOException {
        for (ExpandItem item : expand.getExpandItems()) {
            requireSupported(item);
            List<String> names = new ArrayList<>();
            if (item.isStar()) {
                names.addAll(navigation);
            } else if (item.getStartTypeFilter() == null || MetadataFilter.isOfType(edm, node,
                    item.getStartTypeFilter())) {
                names.add(navigationName(item));
            }
            for (String name : names) {
                EdmNavigationProperty property = actual.getNavigationProperty(name);
                if (property == null) {
                    continue;
                }
                json.writeFieldName(name);
                JsonNode value = node.path(name);
                if (property.isCollection()) {
                    json.writeStartArray();
                    for (JsonNode element : value) {
                        if (item.getFilterOption() == null
                                || MetadataFilter.matches(edm, item.getFilterOption().getExpression(), element)) {
                            writeEntity(json, null, element, property.getType(), item.getSelectOption(),
                                    item.getExpandOption());
                        }
                    }
                    json.writeEndArray();
                } else if (value.isObject()) {
                    writeEntity(json, null, value, property.getType(), item.getSelectOption(), item.getExpandOption());
                } else {
                    json.writeNull();
                }
            }
        }
    }

    private static void requireSupported(ExpandItem item) {
        if (item.getTopOption() != null || item.getSkipOption() != null || item.getOrderByOption() != null
                || item.getCountOption() != null || item.getLevelsOption() != null || item.getSearchOption() != null
                || item.isRef() || item.hasCountPath()) {
            throw new DataverseException(400, ErrorCodes.INVALID_QUERY,
                    "Only $select, $filter and $expand are supported inside an $expand of definitions.");
        }
    }

    private static String navigationName(ExpandItem item) {
        List<UriResource> parts = item.getResourcePath().getUriResourceParts();
        return parts.get(parts.size() - 1).getSegmentValue();
    }

    private EdmStructuredType actualType(JsonNode node, EdmStructuredType expected) {
        String typeName = node.path(AttributeNodes.TYPE).asText("");
        if (typeName.isEmpty()) {
            return expected;
        }
        FullQualifiedName name = new FullQualifiedName(typeName.substring(1));
        EdmStructuredType actual = edm.getEntityType(name);
        return actual != null ? actual : expected;
    }

    /** The names of the selected properties, or null when every property is selected. */
    private static @Nullable Set<String> selectedNames(@Nullable SelectOption select) {
        if (select == null) {
            return null;
        }
        Set<String> names = new LinkedHashSet<>();
        for (SelectItem item : select.getSelectItems()) {
            if (item.isStar()) {
                return null;
            }
            List<UriResource> parts = item.getResourcePath().getUriResourceParts();
            names.add(parts.get(0).getSegmentValue());
        }
        return names;
    }

    /** The context URL's select list, such as {@code (LogicalName,Attributes(LogicalName))}, or empty. */
    static String contextSelect(@Nullable SelectOption select, @Nullable ExpandOption expand) {
        List<String> items = new ArrayList<>();
        if (select != null) {
            for (SelectItem item : select.getSelectItems()) {
                if (item.isStar()) {
                    items.add("*");
                    continue;
                }
                List<String> path = new ArrayList<>();
                EdmType cast = item.getStartTypeFilter();
                if (cast != null) {
                    path.add(cast.getFullQualifiedName().getFullQualifiedNameAsString());
                }
                item.getResourcePath().getUriResourceParts().forEach(part -> path.add(part.getSegmentValue()));
                items.add(String.join("/", path));
            }
        }
        if (expand != null) {
            for (ExpandItem item : expand.getExpandItems()) {
                String nested = contextSelect(item.getSelectOption(), item.getExpandOption());
                items.add((item.isStar() ? "*" : navigationName(item)) + (nested.isEmpty() ? "()" : nested));
            }
        }
        return items.isEmpty() ? "" : "(" + String.join(",", items) + ")";
    }
}
