package io.flowbin.odata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowbin.metadata.CascadeConfiguration;
import io.flowbin.metadata.Catalog;
import io.flowbin.metadata.ColumnDefinition;
import io.flowbin.metadata.RelationshipDefinition;
import io.flowbin.metadata.TableDefinition;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The definitions of the served tables as JSON trees shaped like Dataverse's metadata entities: one
 * {@code EntityMetadata} per table with its attributes and relationships embedded under their navigation property
 * names, the relationships between loaded tables, and the global option sets. Built once from the catalog; the trees
 * are never modified afterwards, so it is thread-safe.
 */
final class MetadataTree {
    private final Map<String, ObjectNode> entities = new LinkedHashMap<>();
    private final Map<String, ObjectNode> relationships = new LinkedHashMap<>();
    private final Map<String, ObjectNode> globalOptionSets = new LinkedHashMap<>();

    MetadataTree(Catalog catalog) {
        Set<String> intersectTables = new HashSet<>();
        for (RelationshipDefinition relationship : catalog.model().relationships()) {
            if (catalog.table(relationship.referencedEntity()) != null
                    && catalog.table(relationship.referencingEntity()) != null) {
                relationships.put(key(relationship.schemaName()), relationship(relationship));
                if (relationship.intersectEntity() != null) {
                    intersectTables.add(relationship.intersectEntity());
                }
            }
        }
        for (TableDefinition table : catalog.tables()) {
            entities.put(key(table.logicalName()), entity(table, intersectTables.contains(table.logicalName())));
            for (ColumnDefinition column : table.columns()) {
                if (AttributeNodes.isGlobal(table, column)) {
                    String owner = table.logicalName() + "." + column.logicalName();
                    globalOptionSets.putIfAbsent(key(String.valueOf(column.optionSetName())),
                            AttributeNodes.optionSet(table, column, owner));
                }
            }
        }
    }

    /** The members of a definition entity set, in catalog order. */
    List<ObjectNode> entitySet(String name) {
        return switch (name) {
            case MetadataEdmProvider.ENTITY_DEFINITIONS -> List.copyOf(entities.values());
            case MetadataEdmProvider.RELATIONSHIP_DEFINITIONS -> List.copyOf(relationships.values());
            case MetadataEdmProvider.GLOBAL_OPTION_SET_DEFINITIONS -> List.copyOf(globalOptionSets.values());
            default -> List.of();
        };
    }

    /** The member of a definition entity set with this alternate key value (case-insensitive), or null. */
    @Nullable ObjectNode byName(String entitySet, String name) {
        return switch (entitySet) {
            case MetadataEdmProvider.ENTITY_DEFINITIONS -> entities.get(key(name));
            case MetadataEdmProvider.RELATIONSHIP_DEFINITIONS -> relationships.get(key(name));
            case MetadataEdmProvider.GLOBAL_OPTION_SET_DEFINITIONS -> globalOptionSets.get(key(name));
            default -> null;
        };
    }

    /** The element of an embedded collection whose name property has this value (case-insensitive), or null. */
    static @Nullable ObjectNode member(JsonNode collection, String nameProperty, String name) {
        for (JsonNode element : collection) {
            if (element.path(nameProperty).asText().equalsIgnoreCase(name)) {
                return (ObjectNode) element;
            }
        }
        return null;
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    private ObjectNode entity(TableDefinition table, boolean intersect) {
        String name = table.logicalName();
        ObjectNode node = AttributeNodes.node("EntityMetadata", AttributeNodes.metadataId("entity", name));
        node.put("LogicalName", name);
        node.put("SchemaName", table.schemaName());
        node.put("EntitySetName", table.entitySetName());
        node.put("LogicalCollectionName", table.logicalCollectionName());
        node.put("PrimaryIdAttribute", table.primaryIdAttribute());
        node.put("PrimaryNameAttribute", table.primaryNameAttribute());
        node.put("OwnershipType", table.ownershipType().pageName());
        // the Web API checks If-Match row versions on every table it serves
        node.put("IsOptimisticConcurrencyEnabled", true);
        node.put("TableType", table.tableType());
        node.set("DisplayName", AttributeNodes.label(table.displayName(), name + "/DisplayName"));
        node.set("DisplayCollectionName",
                AttributeNodes.label(table.displayCollectionName(), name + "/DisplayCollectionName"));
        node.set("Description", AttributeNodes.label("", name + "/Description"));
        node.put("IsCustomEntity", false);
        node.put("IsManaged", true);
        node.put("IsActivity", table.tableType().equalsIgnoreCase("Activity"));
        node.put("IsIntersect", intersect);
        node.put("IsLogicalEntity", false);
        Set<String> referenceColumns = new HashSet<>();
        for (ColumnDefinition column : table.columns()) {
            if (column.type().isReference()) {
                referenceColumns.add(column.logicalName());
            }
        }
        ArrayNode attributes = node.putArray("Attributes");
        for (ColumnDefinition column : table.columns()) {
            attributes.add(AttributeNodes.attribute(table, column, referenceColumns));
        }
        ArrayNode oneToMany = node.putArray("OneToManyRelationships");
        ArrayNode manyToOne = node.putArray("ManyToOneRelationships");
        ArrayNode manyToMany = node.putArray("ManyToManyRelationships");
        for (ObjectNode relationship : relationships.values()) {
            if (relationship.has("Entity1LogicalName")) {
                if (relationship.path("Entity1LogicalName").asText().equals(name)
                        || relationship.path("Entity2LogicalName").asText().equals(name)) {
                    manyToMany.add(relationship);
                }
                continue;
            }
            if (relationship.path("ReferencedEntity").asText().equals(name)) {
                oneToMany.add(relationship);
            }
            if (relationship.path("ReferencingEntity").asText().equals(name)) {
                manyToOne.add(relationship);
            }
        }
        return node;
    }

    private static ObjectNode relationship(RelationshipDefinition relationship) {
        boolean manyToMany = relationship.kind() == RelationshipDefinition.Kind.MANY_TO_MANY;
        ObjectNode node = AttributeNodes.node(
                manyToMany ? "ManyToManyRelationshipMetadata" : "OneToManyRelationshipMetadata",
                AttributeNodes.metadataId("relationship", relationship.schemaName()));
        node.put("SchemaName", relationship.schemaName());
        node.put("RelationshipType", manyToMany ? "ManyToManyRelationship" : "OneToManyRelationship");
        node.put("IsCustomRelationship", false);
        node.put("IsManaged", true);
        node.put("IsValidForAdvancedFind", true);
        if (manyToMany) {
            node.put("Entity1LogicalName", relationship.referencedEntity());
            node.put("Entity1IntersectAttribute", relationship.referencedAttribute());
            node.put("Entity1NavigationPropertyName", relationship.referencedNavigationPropertyName());
            node.put("Entity2LogicalName", relationship.referencingEntity());
            node.put("Entity2IntersectAttribute", relationship.referencingAttribute());
            node.put("Entity2NavigationPropertyName", relationship.referencingNavigationPropertyName());
            node.put("IntersectEntityName", relationship.intersectEntity());
            return node;
        }
        node.put("ReferencedAttribute", relationship.referencedAttribute());
        node.put("ReferencedEntity", relationship.referencedEntity());
        node.put("ReferencingAttribute", relationship.referencingAttribute());
        node.put("ReferencingEntity", relationship.referencingEntity());
        node.put("ReferencedEntityNavigationPropertyName", relationship.referencedNavigationPropertyName());
        node.put("ReferencingEntityNavigationPropertyName", relationship.referencingNavigationPropertyName());
        node.put("IsHierarchical", false);
        CascadeConfiguration cascade = relationship.cascade();
        ObjectNode configuration = node.putObject("CascadeConfiguration");
        configuration.put("Assign", cascade.assign().pageName());
        configuration.put("Delete", cascade.delete().pageName());
        configuration.put("Archive", cascade.archive().pageName());
        configuration.put("Merge", cascade.merge().pageName());
        configuration.put("Reparent", cascade.reparent().pageName());
        configuration.put("Share", cascade.share().pageName());
        configuration.put("Unshare", cascade.unshare().pageName());
        configuration.put("RollupView", cascade.rollupView().pageName());
        return node;
    }
}
