package io.flowbin.odata;

import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A Web API response: status, headers and a body written on demand straight to the connection. Built by the
 * protocol layer, sent by the web server layer.
 */
public final class ODataResponse {
    /** Writes a response body. */
    @FunctionalInterface
    public interface BodyWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    public static final String JSON = "application/json; odata.metadata=minimal";

    private final int status;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final @Nullable BodyWriter body;

    private ODataResponse(int status, @Nullable BodyWriter body) {
        this.status = status;
        this.body = body;
        headers.put("OData-Version", "4.0");
    }

    public static ODataResponse noContent() {
        return new ODataResponse(204, null);
    }

    public static ODataResponse status(int status) {
        return new ODataResponse(status, null);
    }

    public static ODataResponse json(int status, BodyWriter body) {
        return new ODataResponse(status, body).header("Content-Type", JSON);
    }

    public static ODataResponse of(int status, String contentType, BodyWriter body) {
        return new ODataResponse(status, body).header("Content-Type", contentType);
    }

    public ODataResponse header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** Adds one honoured preference to {@code Preference-Applied} (a comma list when several apply). */
    public ODataResponse preferenceApplied(String preference) {
        headers.merge("Preference-Applied", preference, (first, second) -> first + "," + second);
        return this;
    }

    public int status() {
        return status;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public @Nullable BodyWriter body() {
        return body;
    }
}
