package io.flowbin.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which requests count as work on one row (and may run on a virtual thread): the rest runs on the worker pool. */
final class OneRowRequestsTest {
    private static final String ROW = "flowsessionbinaries(01a21b64-8993-7000-b68d-3c3b2084041c)";

    @Test
    void retrieveUpdateUpsertDeleteAndCreateAreOnOneRow() {
        for (String method : new String[] {"GET", "PATCH", "PUT", "DELETE"}) {
            assertTrue(WebApiHandler.onOneRow(method, ROW), method);
        }
        assertTrue(WebApiHandler.onOneRow("POST", "flowsessionbinaries"));
        assertTrue(WebApiHandler.onOneRow("GET", "EntityDefinitions(LogicalName='flowsession')"));
    }

    @Test
    void queriesBatchesActionsAndFileTransfersAreNot() {
        assertFalse(WebApiHandler.onOneRow("GET", "flowsessionbinaries"));
        assertFalse(WebApiHandler.onOneRow("GET", "flowsessionbinaries/$count"));
        assertFalse(WebApiHandler.onOneRow("POST", "$batch"));
        assertFalse(WebApiHandler.onOneRow("POST", "flowsessionbinaries/Microsoft.Dynamics.CRM.CreateMultiple"));
        assertFalse(WebApiHandler.onOneRow("GET", ROW + "/data/$value"));
        assertFalse(WebApiHandler.onOneRow("PATCH", ROW + "/data"));
        assertFalse(WebApiHandler.onOneRow("GET", ROW + "/flowsessionid"));
        assertFalse(WebApiHandler.onOneRow("GET", "WhoAmI"));
        assertFalse(WebApiHandler.onOneRow("GET", ""));
    }
}
