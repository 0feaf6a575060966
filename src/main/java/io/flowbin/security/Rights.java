package io.flowbin.security;

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What a principal may do, resolved from its roles (a user's own and those of its teams): the deepest depth of each
 * privilege, the teams whose rows and shares count as its own, and the business units its Deep privileges reach.
 * Immutable.
 *
 * @param principalId the user or team
 * @param team whether the principal is a team
 * @param businessUnitId the principal's business unit
 * @param teams the teams of a user (for a team: itself)
 * @param privileges the deepest depth held, by privilege name
 * @param unitsBelow the principal's business unit and every unit below it
 * @param roleCount the roles the privileges come from
 * @param disabled whether the user is disabled
 */
public record Rights(UUID principalId, boolean team, UUID businessUnitId, Set<UUID> teams,
        Map<String, Depth> privileges, Set<UUID> unitsBelow, int roleCount, boolean disabled) {

    public Rights {
        teams = Set.copyOf(teams);
        privileges = Map.copyOf(privileges);
        unitsBelow = Set.copyOf(unitsBelow);
    }

    /** The deepest depth of the privilege, or null when no role grants it. */
    public @Nullable Depth depth(String privilege) {
        return privileges.get(privilege);
    }

    /** Whether the user or one of its teams is this principal. */
    boolean is(@Nullable UUID principal) {
        return principal != null && (principal.equals(principalId) || teams.contains(principal));
    }
}
