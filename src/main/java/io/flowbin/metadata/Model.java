package io.flowbin.metadata;

import java.util.List;

/** All loaded tables and the relationships between them, as imported. Immutable. */
public record Model(List<TableDefinition> tables, List<RelationshipDefinition> relationships) {

    public Model {
        tables = List.copyOf(tables);
        relationships = List.copyOf(relationships);
    }
}
