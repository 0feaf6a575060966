package io.flowbin.bench;

import io.undertow.Undertow;
import io.undertow.server.handlers.resource.PathResourceManager;
import io.undertow.server.handlers.resource.ResourceHandler;
import java.nio.file.Path;

/**
 * The files of one folder served as static resources by Undertow's own resource handler on the server's HTTP stack:
 * the ceiling a file download can reach on this machine. Arguments: port, folder. Runs until stopped.
 */
final class StaticFileServer {
    private StaticFileServer() {}

    public static void main(String[] args) {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: StaticFileServer <port> <folder>");
        }
        Undertow server = Undertow.builder()
                .addHttpListener(Integer.parseInt(args[0]), "127.0.0.1")
                .setHandler(new ResourceHandler(new PathResourceManager(Path.of(args[1]))))
                .build();
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "static-stop"));
        System.out.println("static file server ready on 127.0.0.1:" + args[0] + " serving " + args[1]);
    }
}
