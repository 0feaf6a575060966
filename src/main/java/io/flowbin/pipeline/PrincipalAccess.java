package io.flowbin.pipeline;

/**
 * A principal and its access rights on a row, as the {@code PrincipalAccess} parameter of GrantAccess and
 * ModifyAccess and the items of RetrieveSharedPrincipalsAndAccess's {@code PrincipalAccesses} carry them.
 *
 * @param accessMask the {@code AccessRights} flags (1 Read, 2 Write, 4 Append, 16 AppendTo, 32 Create, 65536 Delete,
 *     262144 Share, 524288 Assign)
 */
public record PrincipalAccess(EntityReference principal, int accessMask) {}
