package io.flowbin.config;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Every server setting, read once from the environment ({@link #fromEnvironment}) and checked as a whole: an invalid
 * value throws a {@link ConfigException} naming the setting, so the server stops before it opens a port. Immutable
 * and thread-safe; {@link #toString()} hides secrets.
 *
 * @param host address to listen on
 * @param port TCP port, 1 to 65535
 * @param dataDir absolute folder for the embedded database, local blobs and the generated dev secret
 * @param dbUrl JDBC URL ({@code jdbc:h2:} or {@code jdbc:postgresql:}); {@code null} means an embedded H2 file
 *     database in {@code dataDir}
 * @param dbUser database user when not in the URL
 * @param dbPassword database password when not in the URL
 * @param blobUrl Azure Storage connection string; {@code null} means a file store in {@code dataDir}
 * @param blobContainer blob container name
 * @param jwtSecret HS256 secret whose UTF-8 bytes (at least 32) are the key
 * @param jwksUrl JSON Web Key Set of the RS256 token issuer
 * @param jwtIssuer required {@code iss} claim, when set
 * @param jwtAudience value the {@code aud} claim must contain, when set
 * @param adminOid object id of the administrator; {@code null} means one the server keeps in {@code dataDir}
 * @param maxRequestBytes largest JSON or {@code $batch} request body
 * @param workerThreads threads that run requests
 * @param dbPoolSize largest number of open database connections
 * @param dev whether {@code FLOWBIN_DEV} asks for dev mode; see {@link #devMode()}
 * @param eventWorkers threads of this node that deliver system jobs
 * @param eventWebhookTimeoutSeconds how long a webhook may take to answer
 * @param eventJobLeaseSeconds how long a claimed system job may stay In Progress before it is taken again
 * @param eventJobRetentionSeconds how long finished system jobs are kept
 * @param uploadTimeoutSeconds how long an upload in progress lives without a request
 */
public record ServerConfig(
        String host,
        int port,
        Path dataDir,
        @Nullable String dbUrl,
        @Nullable String dbUser,
        @Nullable String dbPassword,
        @Nullable String blobUrl,
        String blobContainer,
        @Nullable String jwtSecret,
        @Nullable URI jwksUrl,
        @Nullable String jwtIssuer,
        @Nullable String jwtAudience,
        @Nullable UUID adminOid,
        int maxRequestBytes,
        int workerThreads,
        int dbPoolSize,
        boolean dev,
        int eventWorkers,
        int eventWebhookTimeoutSeconds,
        int eventJobLeaseSeconds,
        int eventJobRetentionSeconds,
        int uploadTimeoutSeconds) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final String DEFAULT_DATA_DIR = "./flowbin-data";
    public static final String DEFAULT_BLOB_CONTAINER = "flowbin";
    public static final int DEFAULT_MAX_REQUEST_BYTES = 16 * 1024 * 1024;
    public static final int DEFAULT_WORKER_THREADS = 32;
    public static final int DEFAULT_DB_POOL_SIZE = 16;
    public static final int DEFAULT_EVENT_WORKERS = 4;
    public static final int DEFAULT_EVENT_WEBHOOK_TIMEOUT = 60;
    public static final int DEFAULT_EVENT_JOB_LEASE = 300;
    public static final int DEFAULT_EVENT_JOB_RETENTION = 7 * 24 * 3600;
    public static final int DEFAULT_UPLOAD_TIMEOUT = 15 * 60;
    /** Shortest HS256 secret: RFC 7518 asks for a key at least as long as the 256-bit hash. */
    public static final int MIN_JWT_SECRET_BYTES = 32;

    private static final String PREFIX = "FLOWBIN_";
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._:%\\[\\]-]+");
    // Azure's container naming rule
    private static final Pattern CONTAINER = Pattern.compile("(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*");
    private static final Pattern SECRET_IN_TEXT =
            Pattern.compile("(?i)(password|accountkey|sharedaccesssignature|sig)=[^;&]*");

    public ServerConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        if (!HOST.matcher(host).matches()) {
            throw invalid(Setting.HOST, "must be a host name or IP address, was '" + host + "'");
        }
        if (port < 1 || port > 65535) {
            throw EnvironmentReader.outOfRange(Setting.PORT, 1, 65535, Integer.toString(port));
        }
        if (dbUrl != null && !(dbUrl.startsWith("jdbc:h2:") || dbUrl.startsWith("jdbc:postgresql:"))) {
            throw invalid(Setting.DB_URL, "must start with jdbc:h2: or jdbc:postgresql:, was '" + redact(dbUrl) + "'");
        }
        if (blobUrl != null) {
            checkConnectionString(blobUrl);
        }
        if (!CONTAINER.matcher(blobContainer).matches()) {
            throw invalid(
                    Setting.BLOB_CONTAINER,
                    "must be 3 to 63 lower-case letters, digits and single inner hyphens, was '" + blobContainer + "'");
        }
        if (jwtSecret != null && jwtSecret.getBytes(StandardCharsets.UTF_8).length < MIN_JWT_SECRET_BYTES) {
            throw invalid(
                    Setting.JWT_SECRET,
                    "must be at least " + MIN_JWT_SECRET_BYTES + " bytes long, was "
                            + jwtSecret.getBytes(StandardCharsets.UTF_8).length);
        }
        if (jwksUrl != null) {
            if (jwtSecret != null) {
                throw invalid(
                        Setting.JWKS_URL,
                        "cannot be combined with FLOWBIN_JWT_SECRET: set the secret for HS256 tokens or the key set"
                                + " URL for RS256 tokens, not both");
            }
            if (jwtIssuer == null) {
                throw invalid(Setting.JWT_ISSUER, "must be set when FLOWBIN_JWKS_URL is set");
            }
            if (jwtAudience == null) {
                throw invalid(Setting.JWT_AUDIENCE, "must be set when FLOWBIN_JWKS_URL is set");
            }
            if (dev) {
                throw invalid(
                        Setting.DEV,
                        "cannot be true together with FLOWBIN_JWKS_URL: dev mode signs its own HS256 tokens");
            }
        }
        checkRange(Setting.MAX_REQUEST_BYTES, maxRequestBytes, 1024, Integer.MAX_VALUE);
        checkRange(Setting.WORKER_THREADS, workerThreads, 1, 1024);
        checkRange(Setting.DB_POOL_SIZE, dbPoolSize, 1, 1024);
        checkRange(Setting.EVENT_WORKERS, eventWorkers, 0, 256);
        checkRange(Setting.EVENT_WEBHOOK_TIMEOUT, eventWebhookTimeoutSeconds, 1, 600);
        checkRange(Setting.EVENT_JOB_LEASE, eventJobLeaseSeconds, 5, 86_400);
        checkRange(Setting.EVENT_JOB_RETENTION, eventJobRetentionSeconds, 60, 315_360_000);
        checkRange(Setting.UPLOAD_TIMEOUT, uploadTimeoutSeconds, 5, 86_400);
    }

    /** Reads the settings from environment variables such as {@link System#getenv()}; unset ones take defaults. */
    public static ServerConfig fromEnvironment(Map<String, String> environment) {
        EnvironmentReader reader = new EnvironmentReader(environment);
        return new ServerConfig(
                reader.text(Setting.HOST, DEFAULT_HOST).strip(),
                reader.integer(Setting.PORT, DEFAULT_PORT, 1, 65535),
                reader.path(Setting.DATA_DIR, DEFAULT_DATA_DIR),
                strip(reader.text(Setting.DB_URL)),
                reader.text(Setting.DB_USER),
                reader.text(Setting.DB_PASSWORD),
                strip(reader.text(Setting.BLOB_URL)),
                reader.text(Setting.BLOB_CONTAINER, DEFAULT_BLOB_CONTAINER).strip(),
                reader.text(Setting.JWT_SECRET),
                reader.httpUrl(Setting.JWKS_URL),
                strip(reader.text(Setting.JWT_ISSUER)),
                strip(reader.text(Setting.JWT_AUDIENCE)),
                reader.guid(Setting.ADMIN_OID),
                reader.integer(Setting.MAX_REQUEST_BYTES, DEFAULT_MAX_REQUEST_BYTES, 1024, Integer.MAX_VALUE),
                reader.integer(Setting.WORKER_THREADS, DEFAULT_WORKER_THREADS, 1, 1024),
                reader.integer(Setting.DB_POOL_SIZE, DEFAULT_DB_POOL_SIZE, 1, 1024),
                reader.bool(Setting.DEV, false),
                reader.integer(Setting.EVENT_WORKERS, DEFAULT_EVENT_WORKERS, 0, 256),
                reader.integer(Setting.EVENT_WEBHOOK_TIMEOUT, DEFAULT_EVENT_WEBHOOK_TIMEOUT, 1, 600),
                reader.integer(Setting.EVENT_JOB_LEASE, DEFAULT_EVENT_JOB_LEASE, 5, 86_400),
                reader.integer(Setting.EVENT_JOB_RETENTION, DEFAULT_EVENT_JOB_RETENTION, 60, 315_360_000),
                reader.integer(Setting.UPLOAD_TIMEOUT, DEFAULT_UPLOAD_TIMEOUT, 5, 86_400));
    }

    /**
     * Whether the server runs in dev mode: asked for with {@code FLOWBIN_DEV=true}, or implied when no way to verify
     * tokens is configured. Dev mode signs HS256 tokens with {@code FLOWBIN_JWT_SECRET} or a generated secret kept in
     * the data dir, and prints an administrator token at start.
     */
    public boolean devMode() {
        return dev || (jwtSecret == null && jwksUrl == null);
    }

    /** The help text: every setting with its default, one block per setting. */
    public static String describeSettings() {
        StringBuilder text = new StringBuilder("Settings (environment variables, defaults in brackets):\n");
        for (Setting setting : Setting.values()) {
            text.append("  ").append(setting.key).append(" [").append(setting.defaultText).append("]\n");
            text.append("      ").append(setting.description).append('\n');
        }
        return text.toString();
    }

    /** Names that start with {@code FLOWBIN_} but are no setting, such as a misspelt {@code FLOWBIN_PROT}, sorted. */
    public static List<String> unrecognisedNames(Map<String, String> environment) {
        Set<String> known = EnumSet.allOf(Setting.class).stream().map(s -> s.key).collect(Collectors.toSet());
        List<String> unknown = new ArrayList<>();
        for (String name : environment.keySet()) {
            if (name.startsWith(PREFIX) && !known.contains(name)) {
                unknown.add(name);
            }
        }
        unknown.sort(null);
        return List.copyOf(unknown);
    }

    @Override
    public String toString() {
        return "ServerConfig[host=" + host + ", port=" + port + ", dataDir=" + dataDir
                + ", dbUrl=" + (dbUrl == null ? null : redact(dbUrl)) + ", dbUser=" + dbUser
                + ", dbPassword=" + (dbPassword == null ? null : "****")
                + ", blobUrl=" + (blobUrl == null ? null : redact(blobUrl)) + ", blobContainer=" + blobContainer
                + ", jwtSecret=" + (jwtSecret == null ? null : "****") + ", jwksUrl=" + jwksUrl
                + ", jwtIssuer=" + jwtIssuer + ", jwtAudience=" + jwtAudience + ", adminOid=" + adminOid
                + ", maxRequestBytes=" + maxRequestBytes + ", workerThreads=" + workerThreads
                + ", dbPoolSize=" + dbPoolSize + ", dev=" + dev + "]";
    }

    private static void checkConnectionString(String connectionString) {
        // the value is never echoed: it usually carries an account key
        String expected = "must be an Azure Storage connection string: Key=Value pairs separated by ';' that include"
                + " UseDevelopmentStorage, BlobEndpoint or AccountName";
        boolean names = false;
        for (String pair : connectionString.split(";")) {
            if (pair.isBlank()) {
                continue;
            }
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                throw invalid(Setting.BLOB_URL, expected);
            }
            String key = pair.substring(0, equals).strip().toLowerCase(Locale.ROOT);
            names |= key.equals("usedevelopmentstorage") || key.equals("blobendpoint") || key.equals("accountname");
        }
        if (!names) {
            throw invalid(Setting.BLOB_URL, expected);
        }
    }

    private static void checkRange(Setting setting, int value, int min, int max) {
        if (value < min || value > max) {
            throw EnvironmentReader.outOfRange(setting, min, max, Integer.toString(value));
        }
    }

    private static ConfigException invalid(Setting setting, String problem) {
        return new ConfigException(setting.key, setting.key + " " + problem);
    }

    private static String redact(String text) {
        return SECRET_IN_TEXT.matcher(text).replaceAll("$1=****");
    }

    private static @Nullable String strip(@Nullable String value) {
        return value == null ? null : value.strip();
    }
}
