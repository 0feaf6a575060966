package io.flowbin.metadata;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What one reference page says: its table and its view of each relationship. A page often knows only its own side of
 * a relationship, so relationship facts are partial until merged with the other end's page.
 */
record PageFacts(TableDefinition table, List<OneToMany> oneToMany, List<ManyToMany> manyToMany) {

    PageFacts {
        oneToMany = List.copyOf(oneToMany);
        manyToMany = List.copyOf(manyToMany);
    }

    /** One page's view of a one-to-many relationship; null where the page does not say. */
    record OneToMany(
            String schemaName,
            @Nullable String referencedEntity,
            @Nullable String referencedAttribute,
            @Nullable String referencingEntity,
            @Nullable String referencingAttribute,
            @Nullable String referencingNavigationPropertyName,
            @Nullable String referencedNavigationPropertyName,
            @Nullable CascadeConfiguration cascade) {

        /** These facts completed by a later page's; where both speak, this one wins. */
        OneToMany mergedWith(OneToMany later) {
            return new OneToMany(
                    schemaName,
                    first(referencedEntity, later.referencedEntity),
                    first(referencedAttribute, later.referencedAttribute),
                    first(referencingEntity, later.referencingEntity),
                    first(referencingAttribute, later.referencingAttribute),
                    first(referencingNavigationPropertyName, later.referencingNavigationPropertyName),
                    first(referencedNavigationPropertyName, later.referencedNavigationPropertyName),
                    first(cascade, later.cascade));
        }
    }

    /**
     * One page's view of a many-to-many relationship.
     *
     * @param ordered whether {@code ends} are known to be entity 1 then entity 2
     * @param ends the tables the page names, with what it says about each
     */
    record ManyToMany(String schemaName, @Nullable String intersectEntity, boolean ordered, List<End> ends) {

        ManyToMany {
            ends = List.copyOf(ends);
        }
    }

    /** One end of a many-to-many relationship: its key column in the intersect table and its navigation property. */
    record End(String entity, @Nullable String intersectAttribute, @Nullable String navigationPropertyName) {

        End mergedWith(End later) {
            return new End(
                    entity,
                    first(intersectAttribute, later.intersectAttribute),
                    first(navigationPropertyName, later.navigationPropertyName));
        }
    }

    static <T> @Nullable T first(@Nullable T value, @Nullable T fallback) {
        return value != null ? value : fallback;
    }
}
