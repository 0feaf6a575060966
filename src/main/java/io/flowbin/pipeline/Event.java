package io.flowbin.pipeline;

import io.flowbin.metadata.TableDefinition;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One event a message raises: its name, the table, the row when known, and the request's parameters as steps see
 * them ({@code Target} as an {@link Entity}, references as {@link EntityReference}). A PATCH raises several (Assign,
 * SetState, Update) around one main operation; a Create also raises CreateMultiple with a one-element
 * {@code Targets}, and a CreateMultiple one Create per target.
 */
public record Event(String message, TableDefinition table, @Nullable UUID primaryId,
        Map<String, @Nullable Object> inputParameters) {}
