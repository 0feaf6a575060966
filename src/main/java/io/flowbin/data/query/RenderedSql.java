package io.flowbin.data.query;

import java.util.List;

/** A statement and the values of its parameters, in order. */
public record RenderedSql(String sql, List<Object> parameters) {
    public RenderedSql {
        parameters = List.copyOf(parameters);
    }
}
