package io.flowbin.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ServerConfigTest {
    private static final String SECRET = "0123456789abcdef0123456789abcdef";
    private static final String JWKS = "https://login.example.com/keys";

    @Test
    void emptyEnvironmentGivesTheDocumentedDefaults() {
        ServerConfig config = ServerConfig.fromEnvironment(Map.of());

        assertEquals("127.0.0.1", config.host());
        assertEquals(8080, config.port());
        assertEquals(Path.of("flowbin-data").toAbsolutePath().normalize(), config.dataDir());
        assertNull(config.dbUrl());
        assertNull(config.dbUser());
        assertNull(config.dbPassword());
        assertNull(config.blobUrl());
        assertEquals("flowbin", config.blobContainer());
        assertNull(config.jwtSecret());
        assertNull(config.jwksUrl());
        assertNull(config.jwtIssuer());
        assertNull(config.jwtAudience());
        assertNull(config.adminOid());
        assertEquals(16 * 1024 * 1024, config.maxRequestBytes());
        assertEquals(32, config.workerThreads());
        assertEquals(16, config.dbPoolSize());
        assertFalse(config.dev());
        assertTrue(config.devMode(), "no secret and no key set means dev mode");
    }

    @Test
    void blankValuesCountAsUnset() {
        ServerConfig config = ServerConfig.fromEnvironment(
                Map.of("FLOWBIN_PORT", "", "FLOWBIN_DB_URL", " ", "FLOWBIN_JWT_SECRET", "", "FLOWBIN_DEV", ""));

        assertEquals(8080, config.port());
        assertNull(config.dbUrl());
        assertNull(config.jwtSecret());
        assertFalse(config.dev());
    }

    @Test
    void everySettingIsRead() {
        UUID admin = UUID.fromString("3f2504e0-4f89-11d3-9a0c-0305e82c3301");
        var environment = new HashMap<String, String>();
        environment.put("FLOWBIN_HOST", "0.0.0.0");
        environment.put("FLOWBIN_PORT", "9090");
        environment.put("FLOWBIN_DATA_DIR", "/var/lib/flowbin");
        environment.put("FLOWBIN_DB_URL", "jdbc:postgresql://127.0.0.1:5432/flowbin");
        environment.put("FLOWBIN_DB_USER", "flowbin");
        environment.put("FLOWBIN_DB_PASSWORD", "pw");
        environment.put("FLOWBIN_BLOB_URL", "UseDevelopmentStorage=true");
        environment.put("FLOWBIN_BLOB_CONTAINER", "sessions-2");
        environment.put("FLOWBIN_JWKS_URL", JWKS);
        environment.put("FLOWBIN_JWT_ISSUER", "https://login.example.com/tenant/v2.0");
        environment.put("FLOWBIN_JWT_AUDIENCE", "api://flowbin");
        environment.put("FLOWBIN_ADMIN_OID", admin.toString().toUpperCase());
        environment.put("FLOWBIN_MAX_REQUEST_BYTES", "1048576");
        environment.put("FLOWBIN_WORKER_THREADS", "8");
        environment.put("FLOWBIN_DB_POOL_SIZE", "4");
        environment.put("FLOWBIN_DEV", "false");

        ServerConfig config = ServerConfig.fromEnvironment(environment);

        assertEquals("0.0.0.0", config.host());
        assertEquals(9090, config.port());
        assertEquals(Path.of("/var/lib/flowbin"), config.dataDir());
        assertEquals("jdbc:postgresql://127.0.0.1:5432/flowbin", config.dbUrl());
        assertEquals("flowbin", config.dbUser());
        assertEquals("pw", config.dbPassword());
        assertEquals("UseDevelopmentStorage=true", config.blobUrl());
        assertEquals("sessions-2", config.blobContainer());
        assertEquals(URI.create(JWKS), config.jwksUrl());
        assertEquals("https://login.example.com/tenant/v2.0", config.jwtIssuer());
        assertEquals("api://flowbin", config.jwtAudience());
        assertEquals(admin, config.adminOid());
        assertEquals(1048576, config.maxRequestBytes());
        assertEquals(8, config.workerThreads());
        assertEquals(4, config.dbPoolSize());
        assertFalse(config.devMode(), "a key set means production mode");
    }

    @Test
    void secretAloneIsNotDevModeUnlessAskedFor() {
        assertFalse(ServerConfig.fromEnvironment(Map.of("FLOWBIN_JWT_SECRET", SECRET)).devMode());
        assertTrue(ServerConfig.fromEnvironment(Map.of("FLOWBIN_JWT_SECRET", SECRET, "FLOWBIN_DEV", "TRUE"))
                .devMode());
    }

    @Test
    void nonNumericPortIsRejectedWithTheSettingsName() {
        var error = assertThrows(
                ConfigException.class, () -> ServerConfig.fromEnvironment(Map.of("FLOWBIN_PORT", "abc")));

        assertEquals("FLOWBIN_PORT", error.setting());
        assertEquals("FLOWBIN_PORT must be a number from 1 to 65535, was 'abc'", error.getMessage());
    }

    static Stream<Arguments> invalidSettings() {
        return Stream.of(
                Arguments.of("FLOWBIN_HOST", Map.of("FLOWBIN_HOST", "local host")),
                Arguments.of("FLOWBIN_PORT", Map.of("FLOWBIN_PORT", "0")),
                Arguments.of("FLOWBIN_PORT", Map.of("FLOWBIN_PORT", "65536")),
                Arguments.of("FLOWBIN_PORT", Map.of("FLOWBIN_PORT", "99999999999999999999")),
                Arguments.of("FLOWBIN_DATA_DIR", Map.of("FLOWBIN_DATA_DIR", "bad\u0000dir")),
                Arguments.of("FLOWBIN_DB_URL", Map.of("FLOWBIN_DB_URL", "jdbc:mysql://localhost/flowbin")),
                Arguments.of("FLOWBIN_DB_URL", Map.of("FLOWBIN_DB_URL", "postgresql://localhost/flowbin")),
                Arguments.of("FLOWBIN_BLOB_URL", Map.of("FLOWBIN_BLOB_URL", "http://127.0.0.1:10000")),
                Arguments.of("FLOWBIN_BLOB_URL", Map.of("FLOWBIN_BLOB_URL", "AccountKey=abc;Protocol=http")),
                Arguments.of("FLOWBIN_BLOB_CONTAINER", Map.of("FLOWBIN_BLOB_CONTAINER", "Flow_Bin")),
                Arguments.of("FLOWBIN_BLOB_CONTAINER", Map.of("FLOWBIN_BLOB_CONTAINER", "ab")),
                Arguments.of("FLOWBIN_BLOB_CONTAINER", Map.of("FLOWBIN_BLOB_CONTAINER", "flow--bin")),
                Arguments.of("FLOWBIN_JWT_SECRET", Map.of("FLOWBIN_JWT_SECRET", "too-short")),
                Arguments.of("FLOWBIN_JWKS_URL", Map.of(
                        "FLOWBIN_JWKS_URL", "ftp://keys.example.com/keys",
                        "FLOWBIN_JWT_ISSUER", "i",
                        "FLOWBIN_JWT_AUDIENCE", "a")),
                Arguments.of("FLOWBIN_JWKS_URL", Map.of(
                        "FLOWBIN_JWKS_URL", "not a url", "FLOWBIN_JWT_ISSUER", "i", "FLOWBIN_JWT_AUDIENCE", "a")),
                Arguments.of("FLOWBIN_JWKS_URL", Map.of(
                        "FLOWBIN_JWKS_URL", JWKS,
                        "FLOWBIN_JWT_ISSUER", "i",
                        "FLOWBIN_JWT_AUDIENCE", "a",
                        "FLOWBIN_JWT_SECRET", SECRET)),
                Arguments.of("FLOWBIN_JWT_ISSUER", Map.of("FLOWBIN_JWKS_URL", JWKS, "FLOWBIN_JWT_AUDIENCE", "a")),
                Arguments.of("FLOWBIN_JWT_AUDIENCE", Map.of("FLOWBIN_JWKS_URL", JWKS, "FLOWBIN_JWT_ISSUER", "i")),
                Arguments.of("FLOWBIN_ADMIN_OID", Map.of("FLOWBIN_ADMIN_OID", "admin")),
                Arguments.of("FLOWBIN_ADMIN_OID", Map.of("FLOWBIN_ADMIN_OID", "1-2-3-4-5")),
                Arguments.of("FLOWBIN_MAX_REQUEST_BYTES", Map.of("FLOWBIN_MAX_REQUEST_BYTES", "16MiB")),
                Arguments.of("FLOWBIN_MAX_REQUEST_BYTES", Map.of("FLOWBIN_MAX_REQUEST_BYTES", "100")),
                Arguments.of("FLOWBIN_WORKER_THREADS", Map.of("FLOWBIN_WORKER_THREADS", "0")),
                Arguments.of("FLOWBIN_WORKER_THREADS", Map.of("FLOWBIN_WORKER_THREADS", "-4")),
                Arguments.of("FLOWBIN_DB_POOL_SIZE", Map.of("FLOWBIN_DB_POOL_SIZE", "many")),
                Arguments.of("FLOWBIN_DEV", Map.of("FLOWBIN_DEV", "yes")),
                Arguments.of("FLOWBIN_DEV", Map.of(
                        "FLOWBIN_DEV", "true",
                        "FLOWBIN_JWKS_URL", JWKS,
                        "FLOWBIN_JWT_ISSUER", "i",
                        "FLOWBIN_JWT_AUDIENCE", "a")));
    }

    @ParameterizedTest(name = "{0} in {1}")
    @MethodSource("invalidSettings")
    void invalidValueIsRejectedWithTheSettingsName(String setting, Map<String, String> environment) {
        var error = assertThrows(ConfigException.class, () -> ServerConfig.fromEnvironment(environment));

        assertEquals(setting, error.setting());
        assertTrue(error.getMessage().startsWith(setting + " "), error.getMessage());
    }

    @Test
    void rejectionsDoNotRepeatSecrets() {
        var shortSecret = assertThrows(
                ConfigException.class,
                () -> ServerConfig.fromEnvironment(Map.of("FLOWBIN_JWT_SECRET", "hunter2-hunter2")));
        var badBlob = assertThrows(
                ConfigException.class,
                () -> ServerConfig.fromEnvironment(Map.of("FLOWBIN_BLOB_URL", "AccountKey=s3cr3t")));
        var badDb = assertThrows(
                ConfigException.class,
                () -> ServerConfig.fromEnvironment(Map.of("FLOWBIN_DB_URL", "jdbc:mysql://h/db?password=s3cr3t")));

        assertEquals("FLOWBIN_JWT_SECRET must be at least 32 bytes long, was 15", shortSecret.getMessage());
        assertFalse(badBlob.getMessage().contains("s3cr3t"), badBlob.getMessage());
        assertFalse(badDb.getMessage().contains("s3cr3t"), badDb.getMessage());
    }

    @Test
    void toStringHidesSecrets() {
        ServerConfig config = ServerConfig.fromEnvironment(Map.of(
                "FLOWBIN_JWT_SECRET", SECRET,
                "FLOWBIN_DB_URL", "jdbc:postgresql://h/db?user=u&password=s3cr3t",
                "FLOWBIN_DB_PASSWORD", "s3cr3t",
                "FLOWBIN_BLOB_URL", "AccountName=a;AccountKey=s3cr3t;BlobEndpoint=http://127.0.0.1:10000/a"));

        String text = config.toString();

        assertFalse(text.contains("s3cr3t"), text);
        assertFalse(text.contains(SECRET), text);
        assertTrue(text.contains("AccountName=a"), text);
    }

    @Test
    void helpListsEverySettingWithItsDefault() {
        String help = ServerConfig.describeSettings();

        for (Setting setting : Setting.values()) {
            assertTrue(help.contains(setting.key + " [" + setting.defaultText + "]"), setting.key);
        }
        assertTrue(help.contains("FLOWBIN_PORT [8080]"));
        assertTrue(help.contains("FLOWBIN_BLOB_CONTAINER [flowbin]"));
    }

    @Test
    void misspeltSettingNamesAreReported() {
        List<String> unknown = ServerConfig.unrecognisedNames(
                Map.of("FLOWBIN_PROT", "9090", "FLOWBIN_PORT", "9090", "PATH", "/bin", "FLOWBIN_DATADIR", "x"));

        assertEquals(List.of("FLOWBIN_DATADIR", "FLOWBIN_PROT"), unknown);
    }
}
