package io.flowbin.pipeline;

import org.jspecify.annotations.Nullable;

/**
 * The {@code Relationship} parameter of Associate and Disassociate as steps see it: the relationship's schema name
 * and, for a relationship of a table with itself, the role of the target ({@code Referencing} or
 * {@code Referenced}), else null.
 */
public record Relationship(String schemaName, @Nullable String primaryEntityRole) {}
