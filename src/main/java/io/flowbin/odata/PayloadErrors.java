package io.flowbin.odata;

import io.flowbin.error.DataverseException;
import io.flowbin.error.ErrorCodes;

/** The errors Dataverse answers for a request body it cannot read, with its message texts. */
final class PayloadErrors {
    private PayloadErrors() {}

    static DataverseException payload(String entitySet, String detail) {
        return new DataverseException(
                400,
                ErrorCodes.ODATA_CLIENT_PAYLOAD_ERROR,
                "Error identified in Payload provided by the user for Entity :'" + entitySet
                        + "', For more information on this error please follow this help link "
                        + "https://go.microsoft.com/fwlink/?linkid=2195293  ---->  InnerException : "
                        + "Microsoft.OData.ODataException: " + detail);
    }

    static DataverseException invalidProperty(String entitySet, String property, String typeName) {
        return payload(entitySet, "Invalid property '" + property + "' was found in entity '" + typeName + "'.");
    }

    static DataverseException cannotConvert(String entitySet, String literal, String edmType) {
        return payload(entitySet, "Cannot convert the literal '" + literal + "' to the expected type '" + edmType
                + "'.");
    }

    static DataverseException undeclaredAnnotatedProperty(String property) {
        return new DataverseException(
                400,
                ErrorCodes.ODATA_CLIENT_PAYLOAD_ERROR,
                "An undeclared property '" + property + "' which only has property annotations in the payload but no "
                        + "property value was found in the payload. In OData, only declared navigation properties and "
                        + "declared named streams can be represented as properties without values.");
    }

    static DataverseException invalidBindUrl(String url, String property) {
        return new DataverseException(
                400,
                ErrorCodes.INVALID_URL_FOR_ODATA_BIND,
                "Invalid url value '" + url + "' for lookup property '" + property + "'.");
    }
}
