package io.flowbin.pipeline;

import java.util.UUID;

/** A reference to one row as plug-ins see it: the table's logical name and the row's id. */
public record EntityReference(String logicalName, UUID id) {}
