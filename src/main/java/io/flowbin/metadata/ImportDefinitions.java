package io.flowbin.metadata;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Command line entry that regenerates the shipped definitions from a shared reference folder:
 * {@code ImportDefinitions <shared-dir> <output-file>}. Exits with 2 on wrong usage, 1 when the pages cannot be read.
 */
public final class ImportDefinitions {

    private ImportDefinitions() {}

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("Usage: import-definitions <shared-dir> <output-file>");
            System.err.println("  shared-dir   folder with seed/ (the served table's page) and reference/*.md");
            System.err.println("  output-file  where to write the model JSON, e.g. "
                    + "src/main/resources/io/flowbin/metadata/model.json");
            System.exit(2);
        }
        Path sharedDir = Path.of(args[0]);
        Path output = Path.of(args[1]);
        try {
            Model model = ReferencePageImporter.importSharedFolder(sharedDir);
            Path parent = output.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(output, ModelJson.write(model), StandardCharsets.UTF_8);
            System.out.println("Wrote " + model.tables().size() + " tables and " + model.relationships().size()
                    + " relationships to " + output);
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("import-definitions failed: " + e.getMessage());
            System.exit(1);
        }
    }
}
