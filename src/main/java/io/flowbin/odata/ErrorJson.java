package io.flowbin.odata;

import com.fasterxml.jackson.core.JsonGenerator;
import io.flowbin.error.DataverseException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Dataverse's error body, {@code {"error":{"code":"0x…","message":"…"}}}, written in one place. */
public final class ErrorJson {
    private ErrorJson() {}

    public static byte[] body(DataverseException failure) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator json = PayloadReader.JSON.getFactory().createGenerator(out)) {
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
}
