package io.flowbin.security;

import io.flowbin.metadata.Catalog;
import io.flowbin.metadata.TableDefinition;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The privileges of the served tables and their ids. An id is derived from the privilege's name, so every node and
 * every start agree on it without a lookup.
 */
public final class PrivilegeNames {
    /** Impersonation: acting on behalf of another user. */
    public static final String ACT_ON_BEHALF = "prvActOnBehalfOfAnotherUser";

    private PrivilegeNames() {}

    /** {@code prv<Verb><SchemaName>}, e.g. {@code prvReadflowsessionbinary}. */
    public static String of(TableDefinition table, AccessRight right) {
        return "prv" + right.verb() + table.schemaName();
    }

    public static UUID id(String privilege) {
        return UUID.nameUUIDFromBytes(("flowbin-privilege:" + privilege).getBytes(StandardCharsets.UTF_8));
    }

    /** A privilege as stored in the {@code privilege} table. */
    public record Privilege(UUID id, String name, int accessRight, boolean depthsApply) {}

    /** Every privilege: eight per table and the impersonation privilege. */
    public static List<Privilege> all(Catalog catalog) {
        List<Privilege> privileges = new ArrayList<>();
        for (TableDefinition table : catalog.tables()) {
            boolean depths = Ownership.of(table) != Ownership.ORGANIZATION;
            for (AccessRight right : AccessRight.values()) {
                String name = of(table, right);
                privileges.add(new Privilege(id(name), name, right.bit(), depths));
            }
        }
        privileges.add(new Privilege(id(ACT_ON_BEHALF), ACT_ON_BEHALF, 0, false));
        return privileges;
    }
}
