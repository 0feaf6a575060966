package io.flowbin.data.query;

/**
 * One sort key. Empty values sort as the lowest values, as in Dataverse: first when ascending, last when descending.
 */
public record Order(ColumnRef column, boolean descending) {}
