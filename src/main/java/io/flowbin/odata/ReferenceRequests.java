package io.flowbin.odata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowbin.error.DataverseException;
import io.flowbin.error.ErrorCodes;
import io.flowbin.metadata.Catalog;
import io.flowbin.metadata.NavigationProperty;
import io.flowbin.metadata.TableDefinition;
import io.flowbin.messages.AssociateMessage;
import io.flowbin.messages.EntityReference;
import io.flowbin.messages.MessageContext;
import java.util.List;
import java.util.UUID;
import org.apache.olingo.server.api.uri.UriInfo;
import org.apache.olingo.server.api.uri.UriParameter;
import org.apache.olingo.server.api.uri.UriResourceNavigation;

/**
 * Associate and Disassociate through {@code $ref} on a collection-valued navigation property:
 * {@code POST <row>/<nav>/$ref} with {@code {"@odata.id": <row URL>}}, and {@code DELETE <row>/<nav>(<id>)/$ref} or
 * {@code DELETE <row>/<nav>/$ref?$id=<row URL>}. Thread-safe.
 */
final class ReferenceRequests {
    private final ResourceUrls urls;
    private final AssociateMessage associate;

    ReferenceRequests(Catalog catalog, MessageContext context) {
        this.urls = new ResourceUrls(catalog);
        this.associate = new AssociateMessage(context);
    }

    ODataResponse handle(ODataRequest request, UriInfo info, TableDefinition table, UUID id,
            UriResourceNavigation segment, NavigationProperty navigation) {
        EntityReference related = switch (request.method()) {
            case "POST" -> {
                if (!segment.getKeyPredicates().isEmpty()) {
                    throw ODataService.methodNotAllowed(request);
                }
                ObjectNode body = PayloadReader.readObject(request.body(), table.entitySetName());
                JsonNode reference = body.get("@odata.id");
                if (reference == null || !reference.isTextual()) {
                    throw PayloadErrors.payload(table.entitySetName(), "The '@odata.id' property with the URL of the"
                            + " row to associate is missing.");
                }
                yield parse(reference.asText(), navigation);
            }
            case "DELETE" -> {
                List<UriParameter> keys = segment.getKeyPredicates();
                if (!keys.isEmpty()) {
                    UUID relatedId = keys.size() == 1 && keys.get(0).getText() != null
                            ? Guids.parse(keys.get(0).getText()) : null;
                    if (relatedId == null) {
                        throw new DataverseException(400, ErrorCodes.INVALID_QUERY, "The key of the related row"
                                + " must be a GUID.");
                    }
                    yield new EntityReference(navigation.targets().get(0), relatedId);
                }
                if (info.getIdOption() == null || info.getIdOption().getValue() == null) {
                    throw new DataverseException(400, ErrorCodes.INVALID_QUERY, "Name the row to disassociate with"
                            + " a key ('" + navigation.name() + "(<id>)/$ref') or with the $id query option.");
                }
                yield parse(info.getIdOption().getValue(), navigation);
            }
            default -> throw ODataService.methodNotAllowed(request);
        };
        associate.execute(new AssociateMessage.Request(table, id, navigation, related,
                request.method().equals("POST"), request.caller()));
        return ODataResponse.noContent();
    }

    private EntityReference parse(String url, NavigationProperty navigation) {
        EntityReference reference = urls.parseEntityUrl(url);
        if (reference == null) {
            throw new DataverseException(400, ErrorCodes.INVALID_URL_FOR_ODATA_BIND, "Invalid url value '" + url
                    + "' for the navigation property '" + navigation.name() + "'.");
        }
        return reference;
    }
}
