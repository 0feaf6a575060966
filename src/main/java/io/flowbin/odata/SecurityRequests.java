package io.flowbin.odata;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowbin.error.DataverseException;
import io.flowbin.error.ErrorCodes;
import io.flowbin.messages.AccessMessages;
import io.flowbin.messages.EntityReference;
import io.flowbin.messages.MessageContext;
import io.flowbin.metadata.Catalog;
import io.flowbin.metadata.TableDefinition;
import io.flowbin.security.AccessRight;
import io.flowbin.security.Depth;
import io.flowbin.security.PrivilegeNames;
import io.flowbin.security.Shares;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The security operations as Dataverse's Web API names them: the actions AddPrivilegesRole, ReplacePrivilegesRole
 * and RemovePrivilegeRole and the function RetrieveRolePrivilegesRole bound to a role; the unbound actions
 * GrantAccess, ModifyAccess and RevokeAccess; RetrievePrincipalAccess bound to a user or team; the unbound function
 * RetrieveSharedPrincipalsAndAccess. Parameters given as aliases take the single-quoted JSON of Dataverse's
 * documentation. Thread-safe.
 */
final class SecurityRequests {
    private static final String PREFIX = "Microsoft.Dynamics.CRM.";
    private static final String GUID = "([0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})";
    private static final Pattern ROLE = Pattern.compile("roles\\(" + GUID + "\\)/(Microsoft\\.Dynamics\\.CRM\\.)?"
            + "(AddPrivilegesRole|ReplacePrivilegesRole|RemovePrivilegeRole|RetrieveRolePrivilegesRole)(\\(\\))?");
    private static final Pattern PRINCIPAL_ACCESS = Pattern.compile("(systemusers|teams)\\(" + GUID
            + "\\)/(Microsoft\\.Dynamics\\.CRM\\.)?RetrievePrincipalAccess\\((.*)\\)");
    private static final Pattern SHARED = Pattern.compile("RetrieveSharedPrincipalsAndAccess\\((.*)\\)");
    private static final List<String> SHARING = List.of("GrantAccess", "ModifyAccess", "RevokeAccess");

    private final Catalog catalog;
    private final ResourceUrls urls;
    private final AccessMessages messages;

    SecurityRequests(Catalog catalog, MessageContext context) {
        this.catalog = catalog;
        this.urls = new ResourceUrls(catalog);
        this.messages = new AccessMessages(context);
    }

    static boolean handles(String path) {
        String decoded = QueryStrings.decode(path);
        return ROLE.matcher(decoded).matches() || PRINCIPAL_ACCESS.matcher(decoded).matches()
                || SHARED.matcher(decoded).matches() || SHARING.contains(decoded);
    }

    ODataResponse handle(ODataRequest request) {
        String path = QueryStrings.decode(request.path());
        Matcher role = ROLE.matcher(path);
        if (role.matches()) {
            return role(request, UUID.fromString(role.group(1)), role.group(2) != null, role.group(3));
        }
        Matcher access = PRINCIPAL_ACCESS.matcher(path);
        if (access.matches()) {
            requirePrefix(access.group(3) != null);
            ODataService.requireMethod(request, "GET");
            EntityReference principal = new EntityReference(
                    access.group(1).equals("teams") ? "team" : "systemuser", UUID.fromString(access.group(2)));
            EntityReference target = functionTarget(access.group(4), request.query());
            int mask = messages.principalAccess(principal, target, request.caller());
            return json(request, "RetrievePrincipalAccessResponse", json ->
                    json.writeStringField("AccessRights", AccessRight.names(mask)));
        }
        Matcher shared = SHARED.matcher(path);
        if (shared.matches()) {
            ODataService.requireMethod(request, "GET");
            EntityReference target = functionTarget(shared.group(1), request.query());
            List<Shares.Share> shares = messages.sharedPrincipals(target, request.caller());
            return json(request, "RetrieveSharedPrincipalsAndAccessResponse", json -> {
                json.writeArrayFieldStart("PrincipalAccesses");
                for (Shares.Share share : shares) {
                    json.writeStartObject();
                    json.writeStringField("AccessMask", AccessRight.names(share.explicitMask()));
                    json.writeObjectFieldStart("Principal");
                    json.writeStringField("@odata.type", "#" + PREFIX + share.principalTable());
                    json.writeStringField("ownerid", share.principalId().toString());
                    json.writeEndObject();
                    json.writeEndObject();
                }
                json.writeEndArray();
            });
        }
        ODataService.requireMethod(request, "POST");
        ObjectNode body = PayloadReader.readObject(request.body(), path);
        EntityReference target = bodyEntity(body.get("Target"), "Target");
        if (path.equals("RevokeAccess")) {
            messages.revoke(target, bodyEntity(body.get("Revokee"), "Revokee"), request.caller());
            return ODataResponse.noContent();
        }
        JsonNode principalAccess = body.get("PrincipalAccess");
        if (principalAccess == null || !principalAccess.isObject()) {
            throw invalid("The parameter 'PrincipalAccess' of " + path + " is missing.");
        }
        EntityReference principal = bodyEntity(principalAccess.get("Principal"), "Principal");
        JsonNode maskNode = principalAccess.get("AccessMask");
        if (maskNode == null || maskNode.isNull()) {
            throw invalid("The parameter 'AccessMask' of " + path + " is missing.");
        }
        int mask;
        try {
            mask = maskNode.isNumber() ? maskNode.asInt() : AccessRight.parse(maskNode.asText());
        } catch (IllegalArgumentException e) {
            throw invalid("The AccessMask '" + maskNode.asText() + "' is not valid: " + e.getMessage() + ".");
        }
        messages.share(target, principal, mask, path.equals("GrantAccess")
                ? AccessMessages.ShareMode.GRANT : AccessMessages.ShareMode.MODIFY, request.caller());
        return ODataResponse.noContent();
    }

    private ODataResponse role(ODataRequest request, UUID roleId, boolean prefixed, String operation) {
        requirePrefix(prefixed);
        if (operation.equals("RetrieveRolePrivilegesRole")) {
            ODataService.requireMethod(request, "GET");
            List<AccessMessages.RolePrivilege> privileges = messages.rolePrivileges(roleId, request.caller());
            return json(request, "RetrieveRolePrivilegesRoleResponse", json -> {
                json.writeArrayFieldStart("RolePrivileges");
                for (AccessMessages.RolePrivilege privilege : privileges) {
                    json.writeStartObject();
                    json.writeStringField("Depth", privilege.depth().label());
                    json.writeStringField("PrivilegeId", privilege.privilegeId().toString());
                    json.writeStringField("BusinessUnitId", privilege.businessUnitId().toString());
                    json.writeStringField("PrivilegeName", privilege.privilegeName());
                    json.writeEndObject();
                }
                json.writeEndArray();
            });
        }
        ODataService.requireMethod(request, "POST");
        ObjectNode body = PayloadReader.readObject(request.body(), "roles");
        if (operation.equals("RemovePrivilegeRole")) {
            messages.removePrivilege(roleId, privilegeId(body, operation), request.caller());
            return ODataResponse.noContent();
        }
        JsonNode list = body.get("Privileges");
        if (list == null || !list.isArray()) {
            throw invalid("The parameter 'Privileges' of " + operation + " must be a collection of RolePrivilege.");
        }
        List<AccessMessages.PrivilegeGrant> grants = new ArrayList<>();
        for (JsonNode item : list) {
            JsonNode depth = item.get("Depth");
            if (depth == null || depth.isNull()) {
                throw invalid("Each RolePrivilege of " + operation + " needs a Depth.");
            }
            try {
                grants.add(new AccessMessages.PrivilegeGrant(privilegeId(item, operation), Depth.parse(depth.asText())));
            } catch (IllegalArgumentException e) {
                throw invalid(e.getMessage() + ".");
            }
        }
        messages.addPrivileges(roleId, grants, operation.equals("ReplacePrivilegesRole"), request.caller());
        return ODataResponse.noContent();
    }

    /** The privilege a RolePrivilege names: its PrivilegeId or, without one, its PrivilegeName. */
    private static UUID privilegeId(JsonNode node, String operation) {
        JsonNode id = node.get("PrivilegeId");
        if (id != null && id.isTextual()) {
            UUID parsed = Guids.parse(id.asText());
            if (parsed == null) {
                throw invalid("The PrivilegeId '" + id.asText() + "' is not a GUID.");
            }
            return parsed;
        }
        JsonNode name = node.get("PrivilegeName");
        if (name != null && name.isTextual()) {
            return PrivilegeNames.id(name.asText());
        }
        throw invalid("The parameter 'PrivilegeId' of " + operation + " is missing.");
    }

    /** An entity parameter in a body: its key property and {@code @odata.type}, or an {@code @odata.id}. */
    private EntityReference bodyEntity(@Nullable JsonNode node, String name) {
        if (node == null || !node.isObject()) {
            throw invalid("The parameter '" + name + "' is missing or not an entity.");
        }
        JsonNode odataId = node.get("@odata.id");
        if (odataId != null && odataId.isTextual()) {
            EntityReference reference = urls.parseEntityUrl(odataId.asText());
            if (reference != null) {
                return reference;
            }
        }
        JsonNode type = node.get("@odata.type");
        String typeName = type == null ? "" : type.asText().replaceFirst("^#", "");
        if (typeName.startsWith(PREFIX)) {
            typeName = typeName.substring(PREFIX.length());
        }
        TableDefinition table = catalog.table(typeName);
        if (table == null) {
            throw invalid("The parameter '" + name + "' needs an '@odata.type' naming a table, such as "
                    + "'Microsoft.Dynamics.CRM.flowsessionbinary'.");
        }
        JsonNode key = node.get(table.primaryIdAttribute());
        UUID id = key == null ? null : Guids.parse(key.asText());
        if (id == null) {
            throw invalid("The parameter '" + name + "' needs its key '" + table.primaryIdAttribute() + "'.");
        }
        return new EntityReference(table.logicalName(), id);
    }

    /** The Target parameter of a function: inline or an alias of the query, {@code {'@odata.id':'set(<id>)'}}. */
    private EntityReference functionTarget(String parameters, @Nullable String query) {
        String value = null;
        for (String parameter : parameters.split(",")) {
            int equals = parameter.indexOf('=');
            if (equals > 0 && parameter.substring(0, equals).trim().equals("Target")) {
                value = parameter.substring(equals + 1).trim();
            }
        }
        if (value != null && value.startsWith("@")) {
            value = QueryStrings.aliases(query).get(value);
        }
        if (value == null) {
            throw invalid("The parameter 'Target' is missing.");
        }
        EntityReference reference = urls.parseReferenceParameter(value);
        if (reference == null) {
            throw invalid("The parameter 'Target' must be a record reference such as "
                    + "{'@odata.id':'flowsessionbinaries(<id>)'}, but is '" + value + "'.");
        }
        return reference;
    }

    private interface JsonBody {
        void write(JsonGenerator json) throws IOException;
    }

    private static ODataResponse json(ODataRequest request, String responseType, JsonBody body) {
        return ODataResponse.json(200, out -> {
            try (JsonGenerator json = PayloadReader.JSON.getFactory().createGenerator(out)) {
                json.writeStartObject();
                json.writeStringField("@odata.context", request.serviceRoot() + "$metadata#" + PREFIX + responseType);
                body.write(json);
                json.writeEndObject();
            }
        });
    }

    /** A bound operation needs its namespace, as in Dataverse. */
    private static void requirePrefix(boolean prefixed) {
        if (!prefixed) {
            throw new DataverseException(400, ErrorCodes.INVALID_ARGUMENT, "Request message has unresolved parameters.");
        }
    }

    private static DataverseException invalid(String message) {
        return new DataverseException(400, ErrorCodes.INVALID_ARGUMENT, message);
    }
}
