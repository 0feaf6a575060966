package io.flowbin.metadata;

/** A message of a table and whether it is an event that steps may be registered on. */
public record MessageDefinition(String name, boolean isEvent) {}
