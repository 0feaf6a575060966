package io.flowbin.pipeline;

import org.jspecify.annotations.Nullable;

/**
 * The {@code Query} parameter of a RetrieveMultiple sent as an OData query: the table, the columns and the most rows
 * returned. The conditions, order and expansions are not carried: steps read the query, they cannot change it.
 */
public record QueryExpression(String entityName, ColumnSet columnSet, @Nullable Integer topCount) {}
