package io.flowbin.metadata;

import org.jspecify.annotations.Nullable;

/**
 * A relationship between two loaded tables.
 *
 * <p>For a one-to-many relationship the referenced table is the "one" side and the referencing table holds the lookup
 * column. For many-to-many, {@code referencedEntity}/{@code referencingEntity} are the two ends (entity 1 and 2),
 * {@code referencedAttribute}/{@code referencingAttribute} their key columns in the intersect table, and
 * {@code intersectEntity} names that table.
 *
 * @param referencingNavigationPropertyName the single-valued navigation property on the referencing table (1:N), or
 *     entity 2's collection navigation property (N:N)
 * @param referencedNavigationPropertyName the collection navigation property on the referenced table (1:N), or entity
 *     1's collection navigation property (N:N)
 */
public record RelationshipDefinition(
        String schemaName,
        Kind kind,
        String referencedEntity,
        String referencedAttribute,
        String referencingEntity,
        String referencingAttribute,
        @Nullable String referencingNavigationPropertyName,
        @Nullable String referencedNavigationPropertyName,
        @Nullable String intersectEntity,
        CascadeConfiguration cascade) {

    /** One-to-many (seen from the referenced side; many-to-one from the other) or many-to-many. */
    public enum Kind {
        ONE_TO_MANY,
        MANY_TO_MANY
    }
}
