package io.flowbin.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowbin.metadata.AttributeType;
import io.flowbin.metadata.Catalog;
import io.flowbin.metadata.ColumnDefinition;
import io.flowbin.metadata.TableDefinition;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The indexes of the schema: derived from column kinds, plus the composite ones declared beside the table
 * definitions ({@value #DECLARED_RESOURCE}). Stateless and thread-safe.
 *
 * <p>Derived: every reference column (lookups are filtered and joined on); the primary name (on a database with
 * expression indexes in its case-folded form, once for ordering and once for case-insensitive equality and {@code
 * startswith}); and the system time stamps {@code createdon}/{@code modifiedon} (DateTime columns no client may set), newest
 * first with the primary key as tie-breaker. Terms repeat the null ordering the query writer emits (empty values
 * lowest), so that both databases read rows in index order instead of sorting them.
 *
 * <p>Tables declared lean beside the indexes (the system job table) give up their foreign keys and the derived
 * indexes they do not keep, in a later migration ({@link V3__Lean_tables}); the plan itself stays what the first
 * schema version made, as that version's fingerprint is computed from it.
 */
final class IndexPlan {
    static final String DECLARED_RESOURCE = "/io/flowbin/metadata/indexes.json";

    private IndexPlan() {}

    /** One index. */
    record Index(String name, String table, List<String> terms) {}

    static List<Index> indexes(Catalog catalog, Dialect dialect) {
        Map<String, Index> indexes = new LinkedHashMap<>();
        for (TableDefinition table : catalog.tables()) {
            for (ColumnDefinition column : SchemaNames.indexedColumns(catalog, table)) {
                add(indexes, new Index(SchemaNames.index(table.logicalName(), column.logicalName()),
                        table.logicalName(), List.of(dialect.quote(column.logicalName()))));
            }
            ColumnDefinition name = table.primaryNameAttribute() == null ? null
                    : stored(catalog, table, table.primaryNameAttribute());
            if (name != null) {
                String quoted = dialect.quote(name.logicalName());
                String folded = dialect.caseInsensitiveIndexTerm(quoted);
                if (folded == null) {
                    add(indexes, single(dialect, table, name, false));
                } else {
                    // one index orders by the case-folded name, the other serves equality and prefix matches
                    add(indexes, new Index(SchemaNames.index(table.logicalName(), name.logicalName()),
                            table.logicalName(), List.of(dialect.caseFolded(quoted) + " ASC NULLS FIRST")));
                    add(indexes, new Index(SchemaNames.index(table.logicalName(), name.logicalName() + "_folded"),
                            table.logicalName(), List.of(folded)));
                }
            }
            for (ColumnDefinition column : catalog.storedColumns(table)) {
                if (column.type() == AttributeType.DATETIME && !column.validForCreate() && !column.validForUpdate()) {
                    add(indexes, composite(catalog, dialect, table, List.of(
                            new Term(column.logicalName(), true), new Term(table.primaryIdAttribute(), true))));
                }
            }
        }
        for (Declared declared : declared()) {
            TableDefinition table = catalog.table(declared.table());
            if (table != null) {
                add(indexes, composite(catalog, dialect, table, declared.terms()));
            }
        }
        indexes.values().removeIf(index -> index.terms().isEmpty());
        return List.copyOf(indexes.values());
    }

    /**
     * A table declared lean: it keeps no foreign keys and, of the derived indexes, only those on the columns named;
     * its declared composite indexes stay.
     */
    record LeanTable(String table, Set<String> keepIndexesOn) {}

    static List<LeanTable> leanTables() {
        List<LeanTable> lean = new ArrayList<>();
        for (JsonNode table : declarations().path("leanTables")) {
            Set<String> keep = new java.util.LinkedHashSet<>();
            table.path("keepIndexesOn").forEach(column -> keep.add(column.asText()));
            lean.add(new LeanTable(table.path("table").asText(), keep));
        }
        return lean;
    }

    /** The indexes the first schema version made on lean tables that they do not keep. */
    static List<Index> droppedFromLeanTables(Catalog catalog, Dialect dialect) {
        Set<String> declaredNames = new java.util.HashSet<>();
        for (Declared declared : declared()) {
            TableDefinition table = catalog.table(declared.table());
            Index index = table == null ? null : composite(catalog, dialect, table, declared.terms());
            if (index != null) {
                declaredNames.add(index.name());
            }
        }
        List<Index> dropped = new ArrayList<>();
        for (LeanTable lean : leanTables()) {
            Set<String> kept = new java.util.HashSet<>();
            for (String column : lean.keepIndexesOn()) {
                kept.add(SchemaNames.index(lean.table(), column));
            }
            for (Index index : indexes(catalog, dialect)) {
                if (index.table().equals(lean.table()) && !declaredNames.contains(index.name())
                        && !kept.contains(index.name())) {
                    dropped.add(index);
                }
            }
        }
        return dropped;
    }

    private static void add(Map<String, Index> indexes, @Nullable Index index) {
        if (index != null) {
            indexes.putIfAbsent(index.name(), index);
        }
    }

    private record Term(String column, boolean descending) {}

    private record Declared(String table, List<Term> terms) {}

    private static Index single(Dialect dialect, TableDefinition table, ColumnDefinition column, boolean descending) {
        return new Index(SchemaNames.index(table.logicalName(), column.logicalName()), table.logicalName(),
                List.of(term(dialect, table, column.logicalName(), descending)));
    }

    /** The index over these columns, or null when the table does not store one of them. */
    private static @Nullable Index composite(Catalog catalog, Dialect dialect, TableDefinition table,
            List<Term> terms) {
        List<String> sql = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Term term : terms) {
            if (stored(catalog, table, term.column()) == null) {
                return null;
            }
            sql.add(term(dialect, table, term.column(), term.descending()));
            names.add(term.column());
        }
        return new Index(SchemaNames.index(table.logicalName(), String.join("_", names)), table.logicalName(), sql);
    }

    /** A term as the query writer orders by it: the key without a null ordering, other columns empty-lowest. */
    private static String term(Dialect dialect, TableDefinition table, String column, boolean descending) {
        String quoted = dialect.quote(column);
        if (column.equals(table.primaryIdAttribute())) {
            return descending ? quoted + " DESC" : quoted;
        }
        return quoted + (descending ? " DESC NULLS LAST" : " ASC NULLS FIRST");
    }

    private static @Nullable ColumnDefinition stored(Catalog catalog, TableDefinition table, String name) {
        for (ColumnDefinition column : catalog.storedColumns(table)) {
            if (column.logicalName().equals(name)) {
                return column;
            }
        }
        return null;
    }

    private static List<Declared> declared() {
        List<Declared> declared = new ArrayList<>();
        for (JsonNode index : declarations().path("indexes")) {
            List<Term> terms = new ArrayList<>();
            for (JsonNode column : index.path("columns")) {
                terms.add(new Term(column.path("name").asText(), column.path("descending").asBoolean(false)));
            }
            declared.add(new Declared(index.path("table").asText(), terms));
        }
        return declared;
    }

    private static JsonNode declarations() {
        return Declarations.ROOT;
    }

    /** The declarations, read once (the plan is computed for every migration check at start-up). */
    private static final class Declarations {
        static final JsonNode ROOT = read();
    }

    private static JsonNode read() {
        try (InputStream in = IndexPlan.class.getResourceAsStream(DECLARED_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("The index declarations " + DECLARED_RESOURCE + " are missing");
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("The index declarations " + DECLARED_RESOURCE + " cannot be read", e);
        }
    }
}
