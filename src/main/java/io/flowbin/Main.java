package io.flowbin;

import io.flowbin.config.ConfigException;
import io.flowbin.config.ServerConfig;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/** Starts flowbin from the environment ({@code serve}) and stops it cleanly on SIGTERM or SIGINT. */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws InterruptedException {
        String command = args.length == 0 ? "serve" : args[0];
        if (command.equals("token")) {
            System.exit(token(args));
            return;
        }
        if (!command.equals("serve")) {
            System.err.println("Unknown command '" + command + "'. Usage: flowbin serve (see ./flowbin --help)");
            System.exit(2);
        }
        long started = System.nanoTime();
        ServerConfig config;
        try {
            config = ServerConfig.fromEnvironment(System.getenv());
        } catch (ConfigException e) {
            System.err.println("flowbin: " + e.getMessage());
            System.exit(2);
            return;
        }
        FlowbinServer server = FlowbinServer.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "flowbin-shutdown"));
        String root = "http://" + config.host() + ":" + server.port() + "/api/data/v9.2/";
        System.out.printf("flowbin ready in %d ms: %s%n", (System.nanoTime() - started) / 1_000_000, root);
        if (config.devMode()) {
            String token = server.mintAdminToken(Duration.ofDays(30));
            if (token != null) {
                System.out.println("Development administrator token (valid 30 days):");
                System.out.println(token);
                System.out.println("Try: curl -H \"Authorization: Bearer " + token + "\" " + root + "WhoAmI");
            }
        }
        stopped.await();
    }

    /**
     * {@code token <object id> [hours]}: prints a development token for the user whose
     * {@code azureactivedirectoryobjectid} is the object id, signed with the secret the server uses (FLOWBIN_JWT_SECRET
     * or the one kept in the data folder). With a key set (FLOWBIN_JWKS_URL) tokens come from the identity provider.
     */
    private static int token(String[] args) {
        ServerConfig config;
        try {
            config = ServerConfig.fromEnvironment(System.getenv());
            if (args.length < 2 || args.length > 3) {
                throw new IllegalArgumentException("usage: flowbin token <object id> [hours, default 8]");
            }
            if (config.jwksUrl() != null) {
                throw new ConfigException("FLOWBIN_JWKS_URL",
                        "FLOWBIN_JWKS_URL is set: tokens come from the identity provider");
            }
            java.util.UUID objectId = java.util.UUID.fromString(args[1]);
            long hours = args.length == 3 ? Long.parseLong(args[2]) : 8;
            io.flowbin.security.DevTokens tokens = config.jwtSecret() != null
                    ? io.flowbin.security.DevTokens.of(
                            config.jwtSecret().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    : io.flowbin.security.DevTokens.loadOrCreate(config.dataDir());
            System.out.println(tokens.mint(objectId, Duration.ofHours(hours)));
            return 0;
        } catch (ConfigException | IllegalArgumentException e) {
            System.err.println("flowbin: " + e.getMessage());
            return 2;
        }
    }
}
