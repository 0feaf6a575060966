package io.flowbin.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A row as plug-ins see and change it: a table's logical name, an optional id, and column values by logical name
 * (lookups as {@link EntityReference}, choices as their integer value). Mutable; not thread-safe.
 */
public final class Entity {
    private final String logicalName;
    private @Nullable UUID id;
    private final Map<String, @Nullable Object> attributes;

    public Entity(String logicalName, @Nullable UUID id, Map<String, @Nullable Object> attributes) {
        this.logicalName = logicalName;
        this.id = id;
        this.attributes = new LinkedHashMap<>(attributes);
    }

    public Entity(String logicalName) {
        this(logicalName, null, Map.of());
    }

    public String logicalName() {
        return logicalName;
    }

    public @Nullable UUID id() {
        return id;
    }

    public void id(@Nullable UUID newId) {
        this.id = newId;
    }

    /** The live attribute map: changes made by a PreOperation step reach the main operation. */
    public Map<String, @Nullable Object> attributes() {
        return attributes;
    }

    public @Nullable Object get(String column) {
        return attributes.get(column);
    }

    public Entity set(String column, @Nullable Object value) {
        attributes.put(column, value);
        return this;
    }

    public boolean contains(String column) {
        return attributes.containsKey(column);
    }

    /** A copy whose attribute map is independent of this one. */
    public Entity copy() {
        return new Entity(logicalName, id, attributes);
    }

    @Override
    public String toString() {
        return logicalName + "(" + id + ")" + attributes;
    }
}
