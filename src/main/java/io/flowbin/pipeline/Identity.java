package io.flowbin.pipeline;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Who runs an operation, as the pipeline reports it in the context.
 *
 * @param onBehalfOf under impersonation the user who really called (the context's {@code InitiatingUserId})
 */
public record Identity(UUID userId, UUID businessUnitId, UUID organizationId, @Nullable UUID onBehalfOf) {

    UUID initiatingUserId() {
        return onBehalfOf != null ? onBehalfOf : userId;
    }
}
