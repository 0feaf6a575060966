package io.flowbin.files;

import io.flowbin.metadata.ColumnDefinition;
import io.flowbin.metadata.TableDefinition;
import java.net.URLConnection;
import org.jspecify.annotations.Nullable;

/** Checks the file names clients send and derives a MIME type from them. Stateless. */
final class FileNames {
    static final String OCTET_STREAM = "application/octet-stream";
    private static final int FALLBACK_MAX_LENGTH = 255;

    private FileNames() {}

    /**
     * The name, when it is one a file may have: not blank, not {@code .} or {@code ..}, without path separators or
     * control characters, and no longer than the name columns hold.
     */
    static String check(@Nullable String name, FileTarget target, @Nullable TableDefinition attachments) {
        if (name == null || name.isBlank()) {
            throw FileErrors.invalid("The file name is missing: send it in the x-ms-file-name header or query"
                    + " parameter.");
        }
        int max = Math.min(maxLength(target.table().column(target.nameColumn())),
                attachments == null ? FALLBACK_MAX_LENGTH : maxLength(attachments.column("filename")));
        if (name.length() > max) {
            throw FileErrors.invalid("The file name is " + name.length() + " characters long; at most " + max
                    + " are allowed.");
        }
        if (name.equals(".") || name.equals("..")) {
            throw FileErrors.invalid("The file name '" + name + "' is not valid.");
        }
        for (int i = 0; i < name.length(); i++) {
            char character = name.charAt(i);
            if (character == '/' || character == '\\') {
                throw FileErrors.invalid("The file name '" + name + "' contains a path separator.");
            }
            if (Character.isISOControl(character)) {
                throw FileErrors.invalid("The file name contains the control character U+"
                        + String.format("%04X", (int) character) + ".");
            }
        }
        return name;
    }

    private static int maxLength(@Nullable ColumnDefinition column) {
        return column == null || column.maxLength() == null ? FALLBACK_MAX_LENGTH : column.maxLength();
    }

    /** The MIME type the name's extension stands for, by the platform's table; else application/octet-stream. */
    static String mimeType(String name) {
        String type = URLConnection.getFileNameMap().getContentTypeFor(name);
        return type == null ? OCTET_STREAM : type;
    }
}
