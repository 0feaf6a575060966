package io.flowbin.odata;

import io.flowbin.files.StoredFile;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Protocol details shared by the file routes and the file messages: query parameters, the headers that describe a
 * file, and a response body written through a base64 encoder. Stateless.
 */
final class FileTransfers {
    static final String EXPOSED = "x-ms-file-size, x-ms-file-name, x-ms-chunk-size, mimetype";

    private FileTransfers() {}

    /** The file name as a header value: as it is when printable ASCII, else percent-encoded UTF-8. */
    static String headerValue(String fileName) {
        for (int i = 0; i < fileName.length(); i++) {
            char character = fileName.charAt(i);
            if (character < 0x20 || character > 0x7e) {
                return percentEncoded(fileName);
            }
        }
        return fileName;
    }

    /** {@code attachment} with an ASCII {@code filename} and the exact name as RFC 5987 {@code filename*}. */
    static String contentDisposition(String fileName) {
        StringBuilder ascii = new StringBuilder();
        for (int i = 0; i < fileName.length(); i++) {
            char character = fileName.charAt(i);
            ascii.append(character >= 0x20 && character <= 0x7e && character != '"' && character != '\\'
                    ? character : '_');
        }
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + percentEncoded(fileName);
    }

    private static String percentEncoded(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The headers every download carries: size, name and MIME type, exposed to browsers. */
    static void describe(ODataResponse response, StoredFile file) {
        response.header("x-ms-file-size", Long.toString(file.size()))
                .header("x-ms-file-name", headerValue(file.fileName()))
                .header("mimetype", file.mimeType())
                .header("Content-Disposition", contentDisposition(file.fileName()))
                .header("Access-Control-Expose-Headers", EXPOSED);
    }

    /** Writes the bytes the writer produces as base64, between a JSON prefix and suffix, without buffering them. */
    static void writeBase64(OutputStream out, String jsonPrefix, ODataResponse.BodyWriter bytes, String jsonSuffix)
            throws java.io.IOException {
        out.write(jsonPrefix.getBytes(StandardCharsets.UTF_8));
        try (OutputStream encoder = java.util.Base64.getEncoder().wrap(new KeepOpen(out))) {
            bytes.writeTo(encoder);
        }
        out.write(jsonSuffix.getBytes(StandardCharsets.UTF_8));
    }

    /** The length of a body written by {@link #writeBase64} for {@code bytes} bytes, for its Content-Length. */
    static long base64BodyLength(String jsonPrefix, long bytes, String jsonSuffix) {
        return jsonPrefix.getBytes(StandardCharsets.UTF_8).length + (bytes + 2) / 3 * 4
                + jsonSuffix.getBytes(StandardCharsets.UTF_8).length;
    }

    /** A JSON string literal (with quotes) of the text. */
    static String jsonString(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var json = PayloadReader.JSON.getFactory().createGenerator(out)) {
            json.writeString(text);
        } catch (java.io.IOException impossible) {
            throw new java.io.UncheckedIOException(impossible);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Lets the base64 encoder flush its padding on close without closing the response. */
    private static final class KeepOpen extends FilterOutputStream {
        KeepOpen(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws java.io.IOException {
            out.write(bytes, offset, length);
        }

        @Override
        public void close() throws java.io.IOException {
            flush();
        }
    }
}
