package io.flowbin.data.query;

import io.flowbin.metadata.ColumnDefinition;

/**
 * A collection-valued navigation property read with each row: the rows of another table whose lookup points at it.
 *
 * @param name the navigation property
 * @param child the query on the other table: its columns, condition, order and, as limit, the most rows per parent
 * @param parentLookup the lookup column of the child table that points at the parent
 */
public record CollectionExpansion(String name, Query child, ColumnDefinition parentLookup) {}
