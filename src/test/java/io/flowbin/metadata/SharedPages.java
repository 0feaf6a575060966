package io.flowbin.metadata;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The shared reference folder the build points the tests at, and the model imported from it once. */
final class SharedPages {
    private static Model model;

    private SharedPages() {}

    static Path dir() {
        String configured = System.getProperty("flowbin.shared.dir");
        if (configured == null || configured.isBlank()) {
            fail("System property flowbin.shared.dir is not set; the build sets it to the shared reference folder");
        }
        Path dir = Path.of(configured);
        if (!Files.isDirectory(dir.resolve("seed")) || !Files.isDirectory(dir.resolve("reference"))) {
            fail("Shared reference folder " + dir.toAbsolutePath()
                    + " with seed/ and reference/ is missing; the metadata tests need the reference pages");
        }
        return dir;
    }

    static synchronized Model model() {
        if (model == null) {
            try {
                model = ReferencePageImporter.importSharedFolder(dir());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return model;
    }
}
