package io.flowbin.data.query;

/**
 * A value bound as a statement parameter, already of the Java type the column stores ({@code String}, {@code
 * Integer}, {@code Long}, {@code BigDecimal}, {@code Double}, {@code Boolean}, {@code UUID}, {@code OffsetDateTime}).
 */
public record Literal(Object value) implements Operand {}
