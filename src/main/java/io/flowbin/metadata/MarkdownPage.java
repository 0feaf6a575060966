package io.flowbin.metadata;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The few markdown shapes a reference page is made of: heading-delimited blocks, pipe tables and two-column
 * property tables. Stateless; thread-safe.
 */
final class MarkdownPage {
    private static final Pattern SEPARATOR_ROW = Pattern.compile("^\\|[\\s:|-]*-[\\s:|-]*$");
    private static final Pattern LINE_BREAK = Pattern.compile("<br\\s*/?>", Pattern.CASE_INSENSITIVE);
    private static final Pattern ANCHOR =
            Pattern.compile("<a\\s+name=\"[^\"]*\"\\s*>\\s*</a>", Pattern.CASE_INSENSITIVE);

    private MarkdownPage() {}

    /**
     * A heading and the lines up to the next heading of the same level.
     *
     * @param heading the heading text without the leading hashes, or null for the lines before the first heading
     * @param anchored whether the heading carries an {@code <a name>} anchor, as every column and relationship does
     */
    record Block(@Nullable String heading, boolean anchored, List<String> lines) {

        String title() {
            return heading == null ? "" : heading;
        }

        String lowerTitle() {
            return title().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * A pipe table.
     *
     * @param header the cells of the first row
     * @param rows the cells of the rows after the separator
     */
    record Table(List<String> header, List<List<String>> rows) {

        /** The rows of a two-column table as first cell to second cell, both cleaned; the first occurrence wins. */
        Map<String, String> properties() {
            Map<String, String> properties = new LinkedHashMap<>();
            for (List<String> row : rows) {
                if (!row.isEmpty()) {
                    properties.putIfAbsent(clean(row.get(0)), row.size() > 1 ? clean(row.get(1)) : "");
                }
            }
            return properties;
        }
    }

    /** Splits lines into blocks at headings of exactly this level (1 to 6 hashes). */
    static List<Block> blocks(List<String> lines, int level) {
        String marker = "#".repeat(level) + " ";
        List<Block> blocks = new ArrayList<>();
        String heading = null;
        List<String> current = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith(marker)) {
                if (heading != null || !current.isEmpty()) {
                    blocks.add(block(heading, current));
                }
                heading = line.substring(marker.length()).trim();
                current = new ArrayList<>();
            } else {
                current.add(line);
            }
        }
        if (heading != null || !current.isEmpty()) {
            blocks.add(block(heading, current));
        }
        return blocks;
    }

    private static Block block(@Nullable String heading, List<String> lines) {
        if (heading == null) {
            return new Block(null, false, List.copyOf(lines));
        }
        boolean anchored = ANCHOR.matcher(heading).find();
        String title = ANCHOR.matcher(heading).replaceAll("").trim();
        return new Block(title, anchored, List.copyOf(lines));
    }

    /** Every pipe table in the lines, in order. */
    static List<Table> tables(List<String> lines) {
        List<Table> tables = new ArrayList<>();
        List<String> header = null;
        List<List<String>> rows = new ArrayList<>();
        for (String raw : lines) {
            String line = raw.trim();
            if (!line.startsWith("|")) {
                if (header != null) {
                    tables.add(new Table(header, rows));
                    header = null;
                    rows = new ArrayList<>();
                }
                continue;
            }
            if (header == null) {
                header = cells(line);
            } else if (!SEPARATOR_ROW.matcher(line).matches()) {
                rows.add(cells(line));
            }
        }
        if (header != null) {
            tables.add(new Table(header, rows));
        }
        return tables;
    }

    /** The first table whose header starts with this cell (case-insensitive), or null. */
    static @Nullable Table firstTable(List<String> lines, String firstHeaderCell) {
        for (Table table : tables(lines)) {
            if (!table.header().isEmpty() && clean(table.header().get(0)).equalsIgnoreCase(firstHeaderCell)) {
                return table;
            }
        }
        return null;
    }

    private static List<String> cells(String line) {
        String inner = line.substring(1);
        if (inner.endsWith("|")) {
            inner = inner.substring(0, inner.length() - 1);
        }
        List<String> cells = new ArrayList<>();
        for (String cell : inner.split("\\|", -1)) {
            cells.add(cell.trim());
        }
        return cells;
    }

    /** The text without markdown emphasis and code marks, trimmed. */
    static String clean(String text) {
        return text.replace("**", "").replace("`", "").trim();
    }

    /** The parts of a cell that uses {@code <br />} as a line break, cleaned, blanks dropped. */
    static List<String> lineParts(String cell) {
        List<String> parts = new ArrayList<>();
        for (String part : LINE_BREAK.split(cell)) {
            String cleaned = clean(part);
            if (!cleaned.isEmpty()) {
                parts.add(cleaned);
            }
        }
        return parts;
    }

    /** The parts of a "Key: value" line-broken cell as a map; the first occurrence of a key wins. */
    static Map<String, String> keyedParts(String cell) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String part : lineParts(cell)) {
            int colon = part.indexOf(':');
            if (colon > 0) {
                values.putIfAbsent(part.substring(0, colon).trim(), part.substring(colon + 1).trim());
            }
        }
        return values;
    }
}
