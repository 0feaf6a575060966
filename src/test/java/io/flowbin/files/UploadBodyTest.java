package io.flowbin.files;

import io.flowbin.testing.UnevenChannel;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** An upload's bytes pass through sliced, limited and hashed, read as a stream or as a channel. */
final class UploadBodyTest {
    private static final IllegalStateException TOO_LARGE = new IllegalStateException("too large");

    @Test
    void slicesEndWhereAskedAndTellWhenTheBodyEnded() throws IOException {
        byte[] bytes = random(250_000, 1);
        UploadBody body = new UploadBody(new ByteArrayInputStream(bytes), Long.MAX_VALUE, () -> TOO_LARGE, null);
        assertArrayEquals(java.util.Arrays.copyOfRange(bytes, 0, 100_000), body.slice(100_000).readAllBytes());
        assertFalse(body.sourceEnded());
        assertArrayEquals(java.util.Arrays.copyOfRange(bytes, 100_000, 200_000), body.slice(100_000).readAllBytes());
        assertArrayEquals(java.util.Arrays.copyOfRange(bytes, 200_000, 250_000), body.slice(100_000).readAllBytes());
        assertTrue(body.sourceEnded());
    }

    @Test
    void theByteBeyondTheLimitFailsWithTheGivenError() {
        UploadBody atLimit = new UploadBody(new ByteArrayInputStream(new byte[1000]), 1000, () -> TOO_LARGE, null);
        assertEquals(1000, readAll(atLimit).length);
        UploadBody overLimit = new UploadBody(new ByteArrayInputStream(new byte[1001]), 1000, () -> TOO_LARGE, null);
        assertSame(TOO_LARGE, assertThrows(IllegalStateException.class, overLimit::readAllBytes));
        UploadBody overAsChannel =
                new UploadBody(new UnevenChannel(new byte[1001], 7, 70_000), 1000, () -> TOO_LARGE, null);
        assertSame(TOO_LARGE, assertThrows(IllegalStateException.class, () -> drain(overAsChannel, 64)));
    }

    @Test
    void theDigestHoldsEveryBytePassedOnReadAsAStreamOrAsAChannel() throws Exception {
        byte[] bytes = random(3 * ParallelDigest.SEGMENT_BYTES * ParallelDigest.SEGMENTS + 12_345, 2);
        byte[] expected = MessageDigest.getInstance("SHA-256").digest(bytes);

        MessageDigest streamed = Checksums.sha256();
        UploadBody asStream = new UploadBody(new ByteArrayInputStream(bytes), bytes.length, () -> TOO_LARGE, streamed);
        assertArrayEquals(bytes, asStream.readAllBytes());
        asStream.finishDigest();
        assertArrayEquals(expected, streamed.digest());

        MessageDigest channeled = Checksums.sha256();
        UploadBody asChannel = new UploadBody(new UnevenChannel(bytes, 7, 70_000), bytes.length, () -> TOO_LARGE, channeled);
        assertArrayEquals(bytes, drain(asChannel, 256 * 1024));
        asChannel.finishDigest();
        assertArrayEquals(expected, channeled.digest());
    }

    @Test
    void aDigestFedInPiecesOfAnySizeEqualsTheDigestOfTheWhole() throws Exception {
        Random sizes = new Random(3);
        for (int length : new int[] {0, 10, ParallelDigest.SEGMENT_BYTES, 2_000_000}) {
            byte[] bytes = random(length, length);
            MessageDigest digest = Checksums.sha256();
            ParallelDigest parallel = new ParallelDigest(digest);
            int done = 0;
            while (done < length) {
                int piece = Math.min(length - done, 1 + sizes.nextInt(300_000));
                if (sizes.nextBoolean()) {
                    parallel.update(bytes, done, piece);
                } else {
                    ByteBuffer direct = ByteBuffer.allocateDirect(piece).put(bytes, done, piece).flip();
                    parallel.update(direct);
                }
                done += piece;
            }
            assertSame(digest, parallel.finish());
            assertSame(digest, parallel.finish(), "finishing again changes nothing");
            assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(bytes), digest.digest(), length + " bytes");
        }
    }

    private static byte[] readAll(UploadBody body) {
        try {
            return body.readAllBytes();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Reads the body through its channel, in buffers of this size, as the blob store does. */
    private static byte[] drain(UploadBody body, int bufferBytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocateDirect(bufferBytes);
        while (body.read(buffer.clear()) >= 0) {
            buffer.flip();
            byte[] chunk = new byte[buffer.remaining()];
            buffer.get(chunk);
            out.writeBytes(chunk);
        }
        return out.toByteArray();
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
