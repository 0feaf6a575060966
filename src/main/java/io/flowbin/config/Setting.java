package io.flowbin.config;

/**
 * Every setting's name, default and help text, kept together so that the help output and the parser cannot drift
 * apart. Immutable.
 */
enum Setting {
    HOST("FLOWBIN_HOST", "127.0.0.1", "Address to listen on; 0.0.0.0 listens on every interface."),
    PORT("FLOWBIN_PORT", "8080", "TCP port to listen on, 1 to 65535."),
    DATA_DIR("FLOWBIN_DATA_DIR", "./flowbin-data",
            "Folder for the embedded database, the local blob store and the generated dev secret."),
    DB_URL("FLOWBIN_DB_URL", "an embedded H2 file database in the data dir",
            "JDBC URL of the database: jdbc:postgresql://host:port/db selects PostgreSQL, jdbc:h2:... another H2."),
    DB_USER("FLOWBIN_DB_USER", "none", "Database user, when not given in FLOWBIN_DB_URL."),
    DB_PASSWORD("FLOWBIN_DB_PASSWORD", "none", "Database password, when not given in FLOWBIN_DB_URL."),
    BLOB_URL("FLOWBIN_BLOB_URL", "a file store in the data dir",
            "Azure Blob Storage connection string (Key=Value;... such as Azurite's UseDevelopmentStorage=true)."),
    BLOB_CONTAINER("FLOWBIN_BLOB_CONTAINER", "flowbin",
            "Blob container for file and image columns: 3 to 63 lower-case letters, digits and single hyphens."),
    JWT_SECRET("FLOWBIN_JWT_SECRET", "none",
            "Shared secret (at least 32 bytes as UTF-8) for HS256 bearer tokens; for development and tests."),
    JWKS_URL("FLOWBIN_JWKS_URL", "none",
            "http(s) URL of the JSON Web Key Set for RS256 bearer tokens (Entra ID style); needs issuer and audience."),
    JWT_ISSUER("FLOWBIN_JWT_ISSUER", "none", "Required value of the tokens' iss claim; checked when set."),
    JWT_AUDIENCE("FLOWBIN_JWT_AUDIENCE", "none", "Value the tokens' aud claim must contain; checked when set."),
    ADMIN_OID("FLOWBIN_ADMIN_OID", "a GUID the server picks once and keeps in the data dir",
            "Object id (GUID) of the systemuser that holds the System Administrator role."),
    MAX_REQUEST_BYTES("FLOWBIN_MAX_REQUEST_BYTES", "16777216 (16 MiB)",
            "Largest JSON or $batch request body in bytes, 1024 to 2147483647; 16 MiB holds a 4 MiB file block"
                    + " encoded as base64 with room to spare."),
    WORKER_THREADS("FLOWBIN_WORKER_THREADS", "32",
            "Requests served at once (each may wait on the database), 1 to 1024: a worker pool of this many threads,"
                    + " and on Java 24 or newer as many virtual threads for requests on one row (retrieve, create,"
                    + " update, upsert, delete) with a body of at most 64 KiB."),
    DB_POOL_SIZE("FLOWBIN_DB_POOL_SIZE", "16", "Largest number of open database connections, 1 to 1024."),
    EVENT_WORKERS("FLOWBIN_EVENT_WORKERS", "4",
            "Threads of this node that deliver system jobs (asynchronous steps), 0 to 256; 0 leaves delivery to other"
                    + " nodes on the same database."),
    EVENT_WEBHOOK_TIMEOUT("FLOWBIN_EVENT_WEBHOOK_TIMEOUT", "60",
            "Seconds a webhook may take to answer before the call counts as failed, 1 to 600 (Dataverse: 60)."),
    EVENT_JOB_LEASE("FLOWBIN_EVENT_JOB_LEASE", "300",
            "Seconds a system job may stay In Progress before any node takes it again (its node stopped), 5 to"
                    + " 86400; keep it above twice the webhook timeout."),
    EVENT_JOB_RETENTION("FLOWBIN_EVENT_JOB_RETENTION", "604800 (7 days)",
            "Seconds finished system jobs (succeeded, failed, cancelled) are kept before they are removed, 60 to"
                    + " 315360000."),
    UPLOAD_TIMEOUT("FLOWBIN_UPLOAD_TIMEOUT", "900 (15 minutes)",
            "Seconds an upload in chunks or blocks (or a single-request upload whose node stopped) lives without a"
                    + " request before it ends and its staged blocks are deleted, 5 to 86400."),
    DEV("FLOWBIN_DEV", "false",
            "true or false. Dev mode (also on when neither FLOWBIN_JWT_SECRET nor FLOWBIN_JWKS_URL is set) signs"
                    + " HS256 tokens with FLOWBIN_JWT_SECRET or a secret kept in <data dir>/jwt-secret and prints an"
                    + " admin bearer token at start.");

    final String key;
    final String defaultText;
    final String description;

    Setting(String key, String defaultText, String description) {
        this.key = key;
        this.defaultText = defaultText;
        this.description = description;
    }
}
