package io.flowbin.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.flowbin.error.DataverseException;
import io.flowbin.error.ErrorCodes;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/** Writes Dataverse's error body, {@code {"error":{"code":"0x…","message":"…"}}}, with its HTTP status. */
final class ErrorBodies {
    private static final JsonFactory JSON = new JsonFactory();
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
        exchange.getResponseSender().send(ByteBuffer.wrap(body(failure)));
    }

    static byte[] body(DataverseException failure) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeObjectFieldStart("error");
            json.writeStringField("code", failure.code());
            json.writeStringField("message", failure.getMessage());
            json.writeEndObject();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static DataverseException unexpected() {
        return new DataverseException(500, ErrorCodes.UNEXPECTED, "An unexpected error occurred.");
    }
}
