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
}
