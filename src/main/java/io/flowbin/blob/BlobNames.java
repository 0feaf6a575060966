package io.flowbin.blob;

import java.util.regex.Pattern;

/** Blob names the stores accept: generated ids of letters, digits, '-' and '_', never a client's text. Stateless. */
final class BlobNames {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,127}");

    private BlobNames() {}

    static String check(String blobName) {
        if (!NAME.matcher(blobName).matches()) {
            throw new IllegalArgumentException("Not a generated blob name: '" + blobName + "'");
        }
        return blobName;
    }
}
