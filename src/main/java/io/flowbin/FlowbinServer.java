package io.flowbin;

import io.flowbin.blob.BlobStore;
import io.flowbin.blob.BlobStores;
import io.flowbin.config.ServerConfig;
import io.flowbin.data.Database;
import io.flowbin.data.DatabaseSettings;
import io.flowbin.data.RecordStore;
import io.flowbin.files.FileColumns;
import io.flowbin.http.WebServer;
import io.flowbin.messages.MessageContext;
import io.flowbin.messages.PipelineServices;
import io.flowbin.metadata.Catalog;
import io.flowbin.metadata.ModelJson;
import io.flowbin.odata.ODataModel;
import io.flowbin.pipeline.EventSystem;
import io.flowbin.odata.ODataService;
import io.flowbin.security.CallerResolver;
import io.flowbin.security.RoleAccessGuard;
import io.flowbin.security.DevTokens;
import io.flowbin.security.OrganizationBootstrap;
import io.flowbin.security.TokenVerifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A running flowbin: database, catalog, Web API and HTTP server wired from one configuration. The only class that
 * knows every layer. Closing it stops the server gracefully and then closes the database.
 */
public final class FlowbinServer implements AutoCloseable {
    static final String ADMIN_OID_FILE = "admin-oid";
    /** The most users and teams whose resolved rights are kept in memory. */
    private static final int RIGHTS_CACHE_SIZE = 10_000;

    private final Database database;
    private final BlobStore blobs;
    private final FileColumns files;
    private final EventSystem events;
    private final WebServer web;
    private final TokenVerifier tokens;
    private final OrganizationBootstrap.Organization organization;
    private final UUID adminObjectId;
    private final @Nullable DevTokens devTokens;

    private FlowbinServer(Database database, BlobStore blobs, FileColumns files, EventSystem events, WebServer web,
            TokenVerifier tokens, OrganizationBootstrap.Organization organization, UUID adminObjectId,
            @Nullable DevTokens devTokens) {
        this.database = database;
        this.events = events;
        this.blobs = blobs;
        this.files = files;
        this.web = web;
        this.tokens = tokens;
        this.organization = organization;
        this.adminObjectId = adminObjectId;
        this.devTokens = devTokens;
    }

    public static FlowbinServer start(ServerConfig config) {
        Catalog catalog = new Catalog(ModelJson.servedModel());
        createDirectories(config.dataDir());
        DatabaseSettings settings = config.dbUrl() == null
                ? DatabaseSettings.embedded(config.dataDir()).withMaxPoolSize(config.dbPoolSize())
                : new DatabaseSettings(config.dbUrl(), config.dbUser(), config.dbPassword(), config.dbPoolSize());
        Database database = Database.open(settings, catalog);
        BlobStore blobs = null;
        FileColumns files = null;
        EventSystem events = null;
        try {
            RecordStore store = new RecordStore(catalog, database.dialect());
            // FLOWBIN_BLOB_URL selects Azure Blob Storage; without it, files live under the data folder
            blobs = BlobStores.open(config.blobUrl(), config.blobContainer(), config.dataDir());
            files = new FileColumns(catalog, database, store, blobs, Clock.systemUTC(),
                    Duration.ofSeconds(config.uploadTimeoutSeconds()));
            files.start();
            DevTokens devTokens = null;
            TokenVerifier tokens;
            if (config.jwksUrl() != null) {
                tokens = TokenVerifier.keySet(toUrl(config), config.jwtIssuer(), config.jwtAudience());
            } else if (config.jwtSecret() != null) {
                devTokens = DevTokens.of(config.jwtSecret().getBytes(StandardCharsets.UTF_8));
                tokens = TokenVerifier.sharedSecret(devTokens.secret(), config.jwtIssuer(), config.jwtAudience());
            } else {
                devTokens = DevTokens.loadOrCreate(config.dataDir());
                tokens = TokenVerifier.sharedSecret(devTokens.secret(), null, null);
            }
            UUID adminObjectId = config.adminOid() != null ? config.adminOid() : adminObjectId(config.dataDir());
            OrganizationBootstrap.Organization organization =
                    OrganizationBootstrap.ensure(database, catalog, store, adminObjectId);
            RoleAccessGuard guard = new RoleAccessGuard(catalog, database, RIGHTS_CACHE_SIZE);
            events = new EventSystem(database, catalog, store, Clock.systemUTC(), new EventSystem.Settings(
                    config.eventWorkers(), Duration.ofSeconds(config.eventWebhookTimeoutSeconds()),
                    Duration.ofSeconds(config.eventJobLeaseSeconds()),
                    Duration.ofSeconds(config.eventJobRetentionSeconds()), config.host()));
            MessageContext context = new MessageContext(catalog, database, store, Clock.systemUTC(), files, guard,
                    events.pipeline());
            events.connect(new PipelineServices(context));
            events.start();
            ODataService service = new ODataService(catalog, new ODataModel(catalog), context, files);
            CallerResolver callers = new CallerResolver(database, organization.organizationId(), guard);
            guard.onChange(callers::invalidateAll);
            WebServer web = new WebServer(config.host(), config.port(), config.workerThreads(),
                    config.maxRequestBytes(), tokens, callers, service, database::isReachable);
            web.start();
            return new FlowbinServer(database, blobs, files, events, web, tokens, organization, adminObjectId,
                    devTokens);
        } catch (RuntimeException e) {
            if (events != null) {
                events.close();
            }
            if (files != null) {
                files.close();
            }
            if (blobs != null) {
                blobs.close();
            }
            database.close();
            throw e;
        }
    }

    private static java.net.URL toUrl(ServerConfig config) {
        try {
            return java.util.Objects.requireNonNull(config.jwksUrl()).toURL();
        } catch (java.net.MalformedURLException e) {
            throw new IllegalArgumentException("FLOWBIN_JWKS_URL is not a URL: " + config.jwksUrl(), e);
        }
    }

    /** Without FLOWBIN_ADMIN_OID the administrator's object id is made once and kept in the data folder. */
    private static UUID adminObjectId(Path dataDir) {
        Path file = dataDir.resolve(ADMIN_OID_FILE);
        try {
            if (Files.exists(file)) {
                return UUID.fromString(Files.readString(file, StandardCharsets.UTF_8).trim());
            }
            UUID created = UUID.randomUUID();
            Files.writeString(file, created.toString(), StandardCharsets.UTF_8);
            return created;
        } catch (IOException e) {
            throw new UncheckedIOException("The administrator id file " + file + " cannot be read or written", e);
        }
    }

    private static void createDirectories(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("FLOWBIN_DATA_DIR " + dataDir + " cannot be created", e);
        }
    }

    public int port() {
        return web.port();
    }

    public UUID adminObjectId() {
        return adminObjectId;
    }

    public OrganizationBootstrap.Organization organization() {
        return organization;
    }

    /** A token for the administrator, when the server verifies tokens with a shared secret; otherwise null. */
    public @Nullable String mintAdminToken(Duration lifetime) {
        return devTokens == null ? null : devTokens.mint(adminObjectId, lifetime);
    }

    /** A token for any object id, when the server verifies tokens with a shared secret; otherwise null. */
    public @Nullable String mintToken(UUID objectId, Duration lifetime) {
        return devTokens == null ? null : devTokens.mint(objectId, lifetime);
    }

    public Database database() {
        return database;
    }

    /** Where file columns keep their bytes. */
    public BlobStore blobs() {
        return blobs;
    }

    public FileColumns files() {
        return files;
    }

    @Override
    public void close() {
        try {
            web.stop(10_000);
        } finally {
            events.close();
            tokens.close();
            files.close();
            blobs.close();
            database.close();
        }
    }
}
