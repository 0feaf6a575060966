package io.flowbin.blob;

import java.util.Base64;
import java.util.HexFormat;

/** Checks block ids as the blob service does: base64 whose decoded value is 1 to 64 bytes. Stateless. */
final class BlockIds {
    static final int MAX_DECODED_BYTES = 64;

    private BlockIds() {}

    /** The decoded block id. */
    static byte[] decode(String blockId) {
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(blockId);
        } catch (IllegalArgumentException notBase64) {
            throw new BlobStoreException("The block id '" + blockId + "' is not base64", notBase64);
        }
        if (decoded.length == 0 || decoded.length > MAX_DECODED_BYTES) {
            throw new BlobStoreException("The block id '" + blockId + "' decodes to " + decoded.length
                    + " bytes; 1 to " + MAX_DECODED_BYTES + " are allowed");
        }
        return decoded;
    }

    static String toHex(String blockId) {
        return HexFormat.of().formatHex(decode(blockId));
    }

    static String fromHex(String hex) {
        return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
    }
}
