package io.flowbin.metadata;

import io.flowbin.metadata.PageFacts.End;
import io.flowbin.metadata.PageFacts.ManyToMany;
import io.flowbin.metadata.PageFacts.OneToMany;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Joins the facts of several pages into one {@link Model}. Pages are taken in priority order: for a table or a fact
 * two pages both state, the earlier page wins (the seed comes first). A relationship is kept when its ends are loaded
 * tables; the referenced end of a one-to-many may also be the virtual {@code owner} table, whose owner lookup the
 * {@link Catalog} resolves to the loaded owner tables. Stateless; thread-safe.
 *
 * <p>Design note: each page describes only its own side of a relationship, and older pages not even that, so some
 * facts appear on no page. Only many-to-many gaps are filled, the way every page that does state them shows them:
 * an end's key in the intersect table is its primary key, and both ends share one navigation property name.
 * One-to-many navigation property names are not derivable (the pages show {@code businessunitid},
 * {@code organizationid_organization} and {@code solution_role} for single-target lookups alike), so a name no page
 * states stays unset.
 */
final class ModelAssembler {
    /** The virtual table that owner lookups reference; it has no page and no rows. */
    static final String OWNER_TABLE = "owner";

    private static final Comparator<RelationshipDefinition> BY_SCHEMA_NAME = Comparator
            .comparing(RelationshipDefinition::schemaName, String.CASE_INSENSITIVE_ORDER)
            .thenComparing(RelationshipDefinition::schemaName);

    private ModelAssembler() {}

    static Model assemble(List<PageFacts> pages) {
        Map<String, TableDefinition> tables = new LinkedHashMap<>();
        Map<String, OneToMany> oneToMany = new LinkedHashMap<>();
        Map<String, List<ManyToMany>> manyToMany = new LinkedHashMap<>();
        for (PageFacts page : pages) {
            tables.putIfAbsent(page.table().logicalName(), page.table());
            for (OneToMany facts : page.oneToMany()) {
                oneToMany.merge(key(facts.schemaName()), facts, OneToMany::mergedWith);
            }
            for (ManyToMany facts : page.manyToMany()) {
                manyToMany.computeIfAbsent(key(facts.schemaName()), name -> new ArrayList<>()).add(facts);
            }
        }
        List<RelationshipDefinition> relationships = new ArrayList<>();
        for (OneToMany facts : oneToMany.values()) {
            RelationshipDefinition relationship = oneToMany(facts, tables);
            if (relationship != null) {
                relationships.add(relationship);
            }
        }
        for (List<ManyToMany> views : manyToMany.values()) {
            RelationshipDefinition relationship = manyToMany(views, tables);
            if (relationship != null) {
                relationships.add(relationship);
            }
        }
        relationships.sort(BY_SCHEMA_NAME);
        return new Model(withRelationshipTargets(tables, relationships), relationships);
    }

    private static String key(String schemaName) {
        return schemaName.toLowerCase(Locale.ROOT);
    }

    private static @Nullable RelationshipDefinition oneToMany(OneToMany facts, Map<String, TableDefinition> tables) {
        String referenced = facts.referencedEntity();
        String referencing = facts.referencingEntity();
        String referencingAttribute = facts.referencingAttribute();
        if (referenced == null || referencing == null || referencingAttribute == null) {
            return null;
        }
        TableDefinition referencingTable = tables.get(referencing);
        TableDefinition referencedTable = tables.get(referenced);
        ColumnDefinition lookup = referencingTable == null ? null : referencingTable.column(referencingAttribute);
        if (lookup == null || (referencedTable == null && !referenced.equals(OWNER_TABLE))) {
            return null;
        }
        String referencedAttribute = PageFacts.first(
                facts.referencedAttribute(), referencedTable == null ? null : referencedTable.primaryIdAttribute());
        if (referencedAttribute == null) {
            return null;
        }
        CascadeConfiguration cascade = facts.cascade();
        return new RelationshipDefinition(
                facts.schemaName(),
                RelationshipDefinition.Kind.ONE_TO_MANY,
                referenced,
                referencedAttribute,
                referencing,
                referencingAttribute,
                facts.referencingNavigationPropertyName(),
                facts.referencedNavigationPropertyName(),
                null,
                // neither page gives a cascade for some relationships (e.g. the seed's one-to-many list)
                cascade != null ? cascade : CascadeConfiguration.noCascade());
    }

    private static @Nullable RelationshipDefinition manyToMany(
            List<ManyToMany> views, Map<String, TableDefinition> tables) {
        String schemaName = views.get(0).schemaName();
        String intersectEntity = null;
        List<String> order = null;
        Map<String, End> ends = new LinkedHashMap<>();
        for (ManyToMany view : views) {
            intersectEntity = PageFacts.first(intersectEntity, view.intersectEntity());
            if (view.ordered() && order == null) {
                order = view.ends().stream().map(End::entity).toList();
            }
            for (End end : view.ends()) {
                ends.merge(end.entity(), end, End::mergedWith);
            }
        }
        if (ends.size() != 2 || !tables.keySet().containsAll(ends.keySet())) {
            return null;
        }
        // with no page naming entity 1 and 2, a fixed order keeps the output stable
        List<String> entities = order != null ? order : ends.keySet().stream().sorted().toList();
        End first = ends.get(entities.get(0));
        End second = ends.get(entities.get(1));
        return new RelationshipDefinition(
                schemaName,
                RelationshipDefinition.Kind.MANY_TO_MANY,
                first.entity(),
                intersectAttribute(first, tables),
                second.entity(),
                intersectAttribute(second, tables),
                navigationProperty(second, first, schemaName),
                navigationProperty(first, second, schemaName),
                intersectEntity,
                CascadeConfiguration.noCascade());
    }

    // an intersect table names its key columns after the primary keys of the two tables
    private static String intersectAttribute(End end, Map<String, TableDefinition> tables) {
        String attribute = end.intersectAttribute();
        return attribute != null ? attribute : tables.get(end.entity()).primaryIdAttribute();
    }

    // Dataverse gives both ends of a many-to-many the same navigation property name unless a page says otherwise
    private static String navigationProperty(End end, End other, String schemaName) {
        String name = PageFacts.first(end.navigationPropertyName(), other.navigationPropertyName());
        return name != null ? name : schemaName;
    }

    /**
     * The tables with every lookup's targets completed by the one-to-many relationships that use it. Pages of
     * widely referenced tables lag behind the tables that point at them (the fileattachment page does not list
     * flowsessionbinary among its regarding targets while the seed declares the relationship); the declared
     * relationship wins.
     */
    private static List<TableDefinition> withRelationshipTargets(
            Map<String, TableDefinition> tables, List<RelationshipDefinition> relationships) {
        List<TableDefinition> completed = new ArrayList<>();
        for (TableDefinition table : tables.values()) {
            List<ColumnDefinition> columns = new ArrayList<>();
            for (ColumnDefinition column : table.columns()) {
                List<String> targets = new ArrayList<>(column.targets());
                for (RelationshipDefinition relationship : relationships) {
                    if (relationship.kind() == RelationshipDefinition.Kind.ONE_TO_MANY
                            && relationship.referencingEntity().equals(table.logicalName())
                            && relationship.referencingAttribute().equals(column.logicalName())
                            && (column.type() == AttributeType.LOOKUP || column.type() == AttributeType.CUSTOMER)
                            && !targets.contains(relationship.referencedEntity())) {
                        targets.add(relationship.referencedEntity());
                    }
                }
                columns.add(targets.equals(column.targets()) ? column : withTargets(column, targets));
            }
            completed.add(new TableDefinition(
                    table.logicalName(),
                    table.schemaName(),
                    table.entitySetName(),
                    table.logicalCollectionName(),
                    table.displayName(),
                    table.displayCollectionName(),
                    table.primaryIdAttribute(),
                    table.primaryNameAttribute(),
                    table.ownershipType(),
                    table.tableType(),
                    columns,
                    table.messages()));
        }
        return completed;
    }

    private static ColumnDefinition withTargets(ColumnDefinition column, List<String> targets) {
        return new ColumnDefinition(
                column.logicalName(),
                column.schemaName(),
                column.displayName(),
                column.description(),
                column.type(),
                column.requiredLevel(),
                column.validForCreate(),
                column.validForUpdate(),
                column.validForRead(),
                column.maxLength(),
                column.minValue(),
                column.maxValue(),
                column.precision(),
                column.maxSizeInKb(),
                targets,
                column.format(),
                column.dateTimeBehavior(),
                column.options(),
                column.defaultValue(),
                column.optionSetName());
    }
}
