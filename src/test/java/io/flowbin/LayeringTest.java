package io.flowbin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layers of the style guide hold: a package uses only packages below it ({@code http} > {@code odata} >
 * {@code messages} > {@code pipeline}/{@code security}/{@code files} > {@code data} > {@code blob}... >
 * {@code metadata} > {@code error}); only the root package wires everything.
 */
class LayeringTest {
    private static final Map<String, Integer> LAYER = Map.ofEntries(
            Map.entry("http", 7),
            Map.entry("odata", 6),
            Map.entry("messages", 5),
            Map.entry("pipeline", 4),
            Map.entry("security", 4),
            Map.entry("files", 4),
            Map.entry("blob", 3),
            Map.entry("data", 3),
            Map.entry("config", 2),
            Map.entry("metadata", 1),
            Map.entry("error", 0));
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?io\\.flowbin\\.([a-z]+)\\.",
            Pattern.MULTILINE);

    @Test
    void packagesUseOnlyPackagesBelowThem() throws IOException {
        List<String> violations = new ArrayList<>();
        Path sources = Path.of("src/main/java/io/flowbin");
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".java")).toList()) {
                Path relative = sources.relativize(file);
                if (relative.getNameCount() < 2) {
                    continue; // the root package wires every layer
                }
                String own = relative.getName(0).toString();
                Integer ownLayer = LAYER.get(own);
                if (ownLayer == null) {
                    violations.add(own + " is not a known layer (" + relative + ")");
                    continue;
                }
                Matcher imports = IMPORT.matcher(Files.readString(file));
                while (imports.find()) {
                    String used = imports.group(1);
                    Integer usedLayer = LAYER.get(used);
                    boolean sameOrSibling = used.equals(own);
                    if (!sameOrSibling && (usedLayer == null || usedLayer >= ownLayer)) {
                        violations.add(relative + " uses " + used);
                    }
                }
            }
        }
        assertEquals(List.of(), violations);
    }
}
