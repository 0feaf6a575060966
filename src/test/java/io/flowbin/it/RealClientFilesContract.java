package io.flowbin.it;

import io.flowbin.testing.BlobKind;
import io.flowbin.testing.DatabaseKind;
import io.flowbin.testing.NodeClient;
import io.flowbin.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real npm client {@code dynamics-web-api} uploads a 10 MB random file with {@code uploadFile} (chunked) and
 * downloads it with {@code downloadFile}, byte for byte (script {@code src/test/node/files.mjs}).
 */
abstract class RealClientFilesContract {
    abstract DatabaseKind kind();

    abstract BlobKind blobs();

    @Test
    void dynamicsWebApiUploadsAndDownloadsATenMegabyteFile(@TempDir Path tempDir) {
        try (TestServer server = TestServer.start(kind(), blobs(), tempDir)) {
            NodeClient.run(server, "files.mjs", Duration.ofSeconds(180));
            server.assertNoLeakedConnections();
        }
    }
}
