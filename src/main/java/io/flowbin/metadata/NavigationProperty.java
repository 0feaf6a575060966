package io.flowbin.metadata;

import java.util.List;

/**
 * A navigation property of a table, derived from a relationship between loaded tables.
 *
 * @param name the property name, case-sensitive
 * @param collection true for a collection-valued property (the "one" side of 1:N, or either side of N:N)
 * @param column for a single-valued property: the lookup column on this table; for a collection: the lookup column
 *     on the other table (1:N) or this table's key column in the intersect table (N:N)
 * @param targets the logical names of the tables it leads to (several for an owner lookup)
 * @param relationship the relationship's schema name
 */
public record NavigationProperty(
        String name, boolean collection, String column, List<String> targets, String relationship) {

    public NavigationProperty {
        targets = List.copyOf(targets);
    }
}
