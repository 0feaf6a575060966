package io.flowbin.data.query;

/** One side of a comparison: a column or a literal value. */
public sealed interface Operand permits ColumnRef, Literal {}
