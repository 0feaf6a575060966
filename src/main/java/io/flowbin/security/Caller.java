package io.flowbin.security;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The user a request acts as.
 *
 * @param userId the systemuser the request acts as
 * @param businessUnitId that user's business unit
 * @param organizationId the organization
 * @param onBehalfOf under impersonation, the systemuser who really called; otherwise null
 */
public record Caller(UUID userId, UUID businessUnitId, UUID organizationId, @Nullable UUID onBehalfOf) {}
