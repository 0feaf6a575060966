package io.flowbin.messages;

import java.util.UUID;

/** A reference to one row: its table's logical name and its id (the value of an {@code @odata.bind}). */
public record EntityReference(String table, UUID id) {}
