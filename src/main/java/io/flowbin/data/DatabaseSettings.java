package io.flowbin.data;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Where the database is and how many connections the server may hold to it.
 *
 * @param jdbcUrl a {@code jdbc:h2:} or {@code jdbc:postgresql:} URL (setting {@code FLOWBIN_DB_URL})
 * @param user the user name, or null when the URL carries it (setting {@code FLOWBIN_DB_USER})
 * @param password the password, or null when the URL carries it or none is needed (setting {@code FLOWBIN_DB_PASSWORD})
 * @param maxPoolSize the most connections open at once, at least 1; {@value #DEFAULT_MAX_POOL_SIZE} by default
 */
public record DatabaseSettings(String jdbcUrl, @Nullable String user, @Nullable String password, int maxPoolSize) {
    public static final int DEFAULT_MAX_POOL_SIZE = 16;

    /**
     * @throws IllegalArgumentException for a URL of another database (naming {@code FLOWBIN_DB_URL}) or a pool size
     *     below 1
     */
    public DatabaseSettings {
        Dialect.fromJdbcUrl(jdbcUrl);
        if (maxPoolSize < 1) {
            throw new IllegalArgumentException("The database pool size must be at least 1, but is " + maxPoolSize);
        }
    }

    /**
     * The embedded default: an H2 file database {@code <dataDir>/db/flowbin}, kept open until the server closes it,
     * with a lock timeout long enough for many concurrent writers of the same rows.
     *
     * @throws IllegalArgumentException for a data folder whose path contains a semicolon, which ends a URL part
     */
    public static DatabaseSettings embedded(Path dataDir) {
        String path = dataDir.toAbsolutePath().normalize().resolve("db").resolve("flowbin").toString()
                .replace('\\', '/');
        if (path.contains(";")) {
            throw new IllegalArgumentException("FLOWBIN_DATA_DIR must not contain ';', but is '" + dataDir + "'");
        }
        // DB_CLOSE_ON_EXIT=FALSE: the server closes the pool itself on shutdown, after in-flight requests finish;
        // CACHE_SIZE (KB) stays at H2's 16 MB default so that the embedded default runs in a 256 MB heap
        String url = "jdbc:h2:file:" + path + ";DB_CLOSE_ON_EXIT=FALSE;DEFAULT_LOCK_TIMEOUT=10000;CACHE_SIZE=16384";
        return new DatabaseSettings(url, null, null, DEFAULT_MAX_POOL_SIZE);
    }

    /** These settings with another pool size. */
    public DatabaseSettings withMaxPoolSize(int size) {
        return new DatabaseSettings(jdbcUrl, user, password, size);
    }

    /** The URL with any password in it masked, for messages and logs. */
    public String redactedUrl() {
        return jdbcUrl.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    @Override
    public String toString() {
        return "DatabaseSettings[jdbcUrl=" + redactedUrl() + ", user=" + user
                + ", password=" + (password == null ? "null" : "***") + ", maxPoolSize=" + maxPoolSize + "]";
    }
}
