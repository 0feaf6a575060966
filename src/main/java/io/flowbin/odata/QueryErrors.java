package io.flowbin.odata;

import io.flowbin.error.DataverseException;
import io.flowbin.error.ErrorCodes;
import io.flowbin.metadata.TableDefinition;

/** The 400 errors of queries ({@code $filter}, {@code $orderby}, paging, FetchXML), each message written once. */
final class QueryErrors {
    static final String INVALID_PAGING_COOKIE = "0x8004112A";
    static final String NO_ATTRIBUTE = "0x80041103";
    static final String ENTITIES_DONT_MATCH = "0x80041128";
    static final String TOO_MANY_CONDITIONS = "0x8004430C";

    private QueryErrors() {}

    static DataverseException invalid(String message) {
        return new DataverseException(400, ErrorCodes.INVALID_QUERY, message);
    }

    static DataverseException unknownProperty(TableDefinition table, String property) {
        return invalid("Could not find a property named '" + property + "' on type 'Microsoft.Dynamics.CRM."
                + table.logicalName() + "'.");
    }

    static DataverseException notSupported(String what) {
        return invalid(what + " is not supported.");
    }

    static DataverseException invalidPagingCookie(String detail) {
        return new DataverseException(400, INVALID_PAGING_COOKIE, "The paging cookie is not valid: " + detail);
    }

    /** Malformed FetchXML without a more specific code: Dataverse's generic InvalidArgument. */
    static DataverseException fetchXml(String message) {
        return new DataverseException(400, ErrorCodes.INVALID_ARGUMENT, message);
    }

    static DataverseException noAttribute(String table, String attribute) {
        return new DataverseException(400, NO_ATTRIBUTE,
                "'" + table + "' entity doesn't contain attribute with Name = '" + attribute + "'.");
    }
}
