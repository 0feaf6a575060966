package io.flowbin.metadata;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The loaded model indexed for serving: tables by logical and entity-set name, the columns that are stored, and the
 * navigation properties each table has. Built once at start; immutable and thread-safe.
 *
 * <p>Design note: a reference page lists some columns that are not values of their own but views of another column:
 * the {@code <lookup>name} and {@code <lookup>yominame} strings are the referenced row's primary name, and
 * {@code Virtual} columns have no storage. They are kept in the definitions (they are part of the table's metadata)
 * but are neither stored nor exposed as Web API properties; the Web API shows them as formatted values instead.
 */
public final class Catalog {
    private final Model model;
    private final Map<String, TableDefinition> byLogicalName = new LinkedHashMap<>();
    private final Map<String, TableDefinition> byEntitySet = new HashMap<>();
    private final Map<String, List<ColumnDefinition>> storedColumns = new HashMap<>();
    private final Map<String, Map<String, NavigationProperty>> navigation = new HashMap<>();

    public Catalog(Model model) {
        this.model = model;
        for (TableDefinition table : model.tables()) {
            byLogicalName.put(table.logicalName(), table);
            byEntitySet.put(table.entitySetName(), table);
        }
        for (TableDefinition table : model.tables()) {
            storedColumns.put(table.logicalName(), List.copyOf(deriveStoredColumns(table)));
            navigation.put(table.logicalName(), deriveNavigation(table));
        }
    }

    public Model model() {
        return model;
    }

    public Collection<TableDefinition> tables() {
        return byLogicalName.values();
    }

    public @Nullable TableDefinition table(String logicalName) {
        return byLogicalName.get(logicalName);
    }

    public @Nullable TableDefinition tableByEntitySet(String entitySetName) {
        return byEntitySet.get(entitySetName);
    }

    /** The columns that have storage and are Web API properties, in page order. */
    public List<ColumnDefinition> storedColumns(TableDefinition table) {
        return storedColumns.getOrDefault(table.logicalName(), List.of());
    }

    /** The table's navigation properties by name. */
    public Map<String, NavigationProperty> navigationProperties(TableDefinition table) {
        return navigation.getOrDefault(table.logicalName(), Map.of());
    }

    /** The single-valued navigation property whose lookup column is this one, or null. */
    public @Nullable NavigationProperty lookupNavigation(TableDefinition table, String column) {
        for (NavigationProperty property : navigationProperties(table).values()) {
            if (!property.collection() && property.column().equals(column)) {
                return property;
            }
        }
        return null;
    }

    /** The relationship with this schema name, or null. */
    public @Nullable RelationshipDefinition relationship(String schemaName) {
        for (RelationshipDefinition relationship : model.relationships()) {
            if (relationship.schemaName().equals(schemaName)) {
                return relationship;
            }
        }
        return null;
    }

    /** The loaded tables a lookup column may point at. */
    public List<String> loadedTargets(ColumnDefinition column) {
        List<String> loaded = new ArrayList<>();
        for (String target : column.targets()) {
            if (byLogicalName.containsKey(target)) {
                loaded.add(target);
            }
        }
        return loaded;
    }

    private List<ColumnDefinition> deriveStoredColumns(TableDefinition table) {
        Set<String> referenceColumns = new java.util.HashSet<>();
        for (ColumnDefinition column : table.columns()) {
            if (column.type().isReference()) {
                referenceColumns.add(column.logicalName());
            }
        }
        List<ColumnDefinition> stored = new ArrayList<>();
        for (ColumnDefinition column : table.columns()) {
            if (column.type() == AttributeType.VIRTUAL || isNameOfLookup(column, referenceColumns)) {
                continue;
            }
            stored.add(column);
        }
        return stored;
    }

    private static boolean isNameOfLookup(ColumnDefinition column, Set<String> referenceColumns) {
        if (column.type() != AttributeType.STRING) {
            return false;
        }
        String name = column.logicalName();
        for (String suffix : List.of("yominame", "name")) {
            if (name.endsWith(suffix) && referenceColumns.contains(name.substring(0, name.length() - suffix.length()))) {
                return true;
            }
        }
        return false;
    }

    private Map<String, NavigationProperty> deriveNavigation(TableDefinition table) {
        Map<String, NavigationProperty> properties = new LinkedHashMap<>();
        String name = table.logicalName();
        for (RelationshipDefinition relationship : model.relationships()) {
            if (relationship.kind() == RelationshipDefinition.Kind.ONE_TO_MANY) {
                if (relationship.referencingEntity().equals(name)) {
                    // pages of the older layout do not state the lookup's navigation property; Dataverse names it
                    // after the lookup column
                    String navName = relationship.referencingNavigationPropertyName() != null
                            ? relationship.referencingNavigationPropertyName()
                            : relationship.referencingAttribute();
                    ColumnDefinition column = table.column(relationship.referencingAttribute());
                    List<String> targets = column != null && column.type() == AttributeType.OWNER
                            ? loadedTargets(column)
                            : List.of(relationship.referencedEntity());
                    if (targets.isEmpty() || !targets.stream().allMatch(byLogicalName::containsKey)) {
                        continue;
                    }
                    properties.putIfAbsent(
                            navName,
                            new NavigationProperty(
                                    navName,
                                    false,
                                    relationship.referencingAttribute(),
                                    targets,
                                    relationship.schemaName()));
                }
                if (relationship.referencedEntity().equals(name)
                        && relationship.referencedNavigationPropertyName() != null
                        && byLogicalName.containsKey(relationship.referencingEntity())) {
                    properties.putIfAbsent(
                            relationship.referencedNavigationPropertyName(),
                            new NavigationProperty(
                                    relationship.referencedNavigationPropertyName(),
                                    true,
                                    relationship.referencingAttribute(),
                                    List.of(relationship.referencingEntity()),
                                    relationship.schemaName()));
                }
            } else {
                addManyToMany(properties, relationship, name);
            }
        }
        return Map.copyOf(properties);
    }

    private void addManyToMany(Map<String, NavigationProperty> properties, RelationshipDefinition relationship,
            String name) {
        if (!byLogicalName.containsKey(relationship.referencedEntity())
                || !byLogicalName.containsKey(relationship.referencingEntity())) {
            return;
        }
        if (relationship.referencedEntity().equals(name) && relationship.referencedNavigationPropertyName() != null) {
            properties.putIfAbsent(
                    relationship.referencedNavigationPropertyName(),
                    new NavigationProperty(
                            relationship.referencedNavigationPropertyName(),
                            true,
                            relationship.referencedAttribute(),
                            List.of(relationship.referencingEntity()),
                            relationship.schemaName()));
        }
        if (relationship.referencingEntity().equals(name) && relationship.referencingNavigationPropertyName() != null) {
            properties.putIfAbsent(
                    relationship.referencingNavigationPropertyName(),
                    new NavigationProperty(
                            relationship.referencingNavigationPropertyName(),
                            true,
                            relationship.referencingAttribute(),
                            List.of(relationship.referencedEntity()),
                            relationship.schemaName()));
        }
    }
}
