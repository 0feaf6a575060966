package io.flowbin.it;

import io.flowbin.testing.BlobKind;
import io.flowbin.testing.DatabaseKind;
import io.flowbin.testing.TestServer;
import io.flowbin.testing.WebApiClient;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * One server on one database for all tests of a contract class: started before the first test (then {@link #seed()}
 * adds the rows the tests share), checked after each test for leaked connections, stopped after the last.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ServerContract {
    TestServer server;
    WebApiClient api;

    abstract DatabaseKind kind();

    /** Server settings (FLOWBIN_... names) on top of the test defaults; none by default. */
    Map<String, String> settings() {
        return Map.of();
    }

    /** Creates the rows every test of the class uses; nothing by default. */
    void seed() {}

    @BeforeAll
    void startServer(@TempDir Path tempDir) {
        server = TestServer.start(kind(), BlobKind.FILE_SYSTEM, tempDir, settings());
        api = server.client();
        seed();
    }

    @AfterEach
    void noLeakedConnections() {
        server.assertNoLeakedConnections();
    }

    @AfterAll
    void stopServer() {
        server.close();
    }

    /** Creates a row and returns its id; fails the test unless the create answers 204 with OData-EntityId. */
    String create(String entitySet, String body) {
        return api.create(entitySet, body);
    }
}
