package io.flowbin.odata;

import com.fasterxml.jackson.core.JsonGenerator;
import io.flowbin.error.DataverseException;
import io.flowbin.error.ErrorCodes;
import io.flowbin.metadata.Catalog;
import io.flowbin.metadata.TableDefinition;
import io.flowbin.messages.EntityReference;
import io.flowbin.messages.IsValidStateTransitionMessage;
import io.flowbin.messages.MessageContext;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The unbound function {@code IsValidStateTransition(Entity=@e,NewState=@s,NewStatus=@t)}, its parameters given
 * inline or as aliases in the query ({@code @e={'@odata.id':'flowsessionbinaries(<id>)'}&@s='Inactive'&@t=2}).
 * Parsed here rather than by Olingo, which does not read a JSON object with single quotes as an alias value, the form
 * Dataverse's documentation uses. Thread-safe.
 */
final class StateTransitionRequests {

    private final Catalog catalog;
    private final ResourceUrls urls;
    private final IsValidStateTransitionMessage message;

    StateTransitionRequests(Catalog catalog, MessageContext context) {
        this.catalog = catalog;
        this.urls = new ResourceUrls(catalog);
        this.message = new IsValidStateTransitionMessage(context);
    }

    static boolean handles(String path) {
        return path.startsWith(OperationsEdm.IS_VALID_STATE_TRANSITION + "(");
    }

    ODataResponse handle(ODataRequest request) {
        ODataService.requireMethod(request, "GET");
        String path = QueryStrings.decode(request.path());
        String name = OperationsEdm.IS_VALID_STATE_TRANSITION;
        if (!path.endsWith(")")) {
            throw invalid("The function call '" + path + "' is malformed.");
        }
        Map<String, String> aliases = QueryStrings.aliases(request.query());
        Map<String, String> parameters = new HashMap<>();
        for (String parameter : path.substring(name.length() + 1, path.length() - 1).split(",(?=[A-Za-z]+=)")) {
            int equals = parameter.indexOf('=');
            if (equals <= 0) {
                throw invalid("The parameter '" + parameter + "' of " + name + " is malformed.");
            }
            String value = parameter.substring(equals + 1).trim();
            if (value.startsWith("@")) {
                value = aliases.get(value);
                if (value == null) {
                    throw invalid("The parameter alias '" + parameter.substring(equals + 1).trim()
                            + "' has no value in the query.");
                }
            }
            parameters.put(parameter.substring(0, equals).trim(), value);
        }
        EntityReference entity = entity(required(parameters, "Entity"));
        String newState = unquote(required(parameters, "NewState"));
        int newStatus;
        try {
            newStatus = Integer.parseInt(unquote(required(parameters, "NewStatus")));
        } catch (NumberFormatException e) {
            throw invalid("The parameter 'NewStatus' must be an Edm.Int32.");
        }
        TableDefinition table = Objects.requireNonNull(catalog.table(entity.table()));
        boolean valid = message.execute(new IsValidStateTransitionMessage.Request(
                table, entity.id(), newState, newStatus, request.caller()));
        return ODataResponse.json(200, out -> {
            try (JsonGenerator json = PayloadReader.JSON.getFactory().createGenerator(out)) {
                json.writeStartObject();
                json.writeStringField("@odata.context", request.serviceRoot() + "$metadata#"
                        + OperationsEdm.IS_VALID_STATE_TRANSITION_RESPONSE.getFullQualifiedNameAsString());
                json.writeBooleanField("IsValid", valid);
                json.writeEndObject();
            }
        });
    }

    private EntityReference entity(String value) {
        EntityReference reference = urls.parseReferenceParameter(value);
        if (reference == null) {
            throw invalid("The parameter 'Entity' must be a record reference such as "
                    + "{'@odata.id':'flowsessionbinaries(<id>)'}, but is '" + value + "'.");
        }
        return reference;
    }

    private static String required(Map<String, String> parameters, String name) {
        String value = parameters.get(name);
        if (value == null) {
            throw invalid("The parameter '" + name + "' of " + OperationsEdm.IS_VALID_STATE_TRANSITION
                    + " is missing.");
        }
        return value;
    }

    private static String unquote(String value) {
        String trimmed = value.trim();
        if (trimmed.length() >= 2 && trimmed.startsWith("'") && trimmed.endsWith("'")) {
            return trimmed.substring(1, trimmed.length() - 1).replace("''", "'");
        }
        return trimmed;
    }

    private static DataverseException invalid(String message) {
        return new DataverseException(400, ErrorCodes.INVALID_QUERY, message);
    }
}
