package io.flowbin.metadata;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Imports Dataverse table reference pages (markdown) into a {@link Model}: one table per page, relationships merged
 * across pages and kept when both ends are loaded. The seed page, the served table's own page, wins wherever pages
 * disagree. Stateless; thread-safe.
 */
public final class ReferencePageImporter {

    private ReferencePageImporter() {}

    /**
     * Imports the seed page and the other pages; the other pages are read in file-name order, so the result does not
     * depend on the order of the list.
     *
     * @throws IllegalArgumentException when a page lacks the table facts every model needs
     */
    public static Model importPages(Path seedPage, List<Path> otherPages) throws IOException {
        List<PageFacts> pages = new ArrayList<>();
        pages.add(read(seedPage));
        List<Path> sorted = new ArrayList<>(otherPages);
        sorted.sort(Comparator.comparing((Path page) -> page.getFileName().toString()).thenComparing(Path::toString));
        for (Path page : sorted) {
            pages.add(read(page));
        }
        return ModelAssembler.assemble(pages);
    }

    /**
     * Imports a shared reference folder: the single page in {@code seed/} and every {@code reference/*.md} page
     * except the folder's {@code README.md}.
     */
    public static Model importSharedFolder(Path sharedDir) throws IOException {
        Path seedDir = sharedDir.resolve("seed");
        Path referenceDir = sharedDir.resolve("reference");
        if (!Files.isDirectory(seedDir) || !Files.isDirectory(referenceDir)) {
            throw new IllegalArgumentException(
                    "Shared folder " + sharedDir + " needs the subfolders seed/ and reference/");
        }
        List<Path> seeds = list(seedDir, path -> Files.isRegularFile(path));
        if (seeds.size() != 1) {
            throw new IllegalArgumentException("Expected exactly one seed page in " + seedDir + ", found " + seeds);
        }
        List<Path> pages = list(referenceDir, path -> Files.isRegularFile(path)
                && path.getFileName().toString().endsWith(".md")
                && !path.getFileName().toString().equalsIgnoreCase("README.md"));
        return importPages(seeds.get(0), pages);
    }

    private static List<Path> list(Path dir, java.util.function.Predicate<Path> filter) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(filter).sorted().toList();
        }
    }

    private static PageFacts read(Path page) throws IOException {
        List<String> lines = Files.readAllLines(page, StandardCharsets.UTF_8);
        return PageParser.parse(lines, page.getFileName().toString());
    }
}
