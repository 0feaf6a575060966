package io.flowbin.http;

import io.flowbin.error.DataverseException;
import io.flowbin.error.ErrorCodes;
import io.flowbin.odata.ErrorJson;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import java.nio.ByteBuffer;

/** Writes Dataverse's error body, {@code {"error":{"code":"0x…","message":"…"}}}, with its HTTP status. */
final class ErrorBodies {
    static final HttpString ODATA_VERSION = HttpString.tryFromString("OData-Version");
    static final HttpString CONTENT_TYPE = HttpString.tryFromString("Content-Type");

    private ErrorBodies() {}

    static void send(HttpServerExchange exchange, DataverseException failure) {
        if (exchange.isResponseStarted()) {
            exchange.endExchange(); // too late for a body: the client sees a cut response
            return;
        }
        exchange.setStatusCode(failure.httpStatus());
        exchange.getResponseHeaders().put(ODATA_VERSION, "4.0");
        exchange.getResponseHeaders().put(CONTENT_TYPE, "application/json; odata.metadata=minimal");
        exchange.getResponseSender().send(ByteBuffer.wrap(ErrorJson.body(failure)));
    }

    static DataverseException unexpected() {
        return new DataverseException(500, ErrorCodes.UNEXPECTED, "An unexpected error occurred.");
    }
}
