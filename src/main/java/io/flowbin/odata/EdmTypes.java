package io.flowbin.odata;

import io.flowbin.metadata.AttributeType;
import io.flowbin.metadata.ColumnDefinition;
import org.apache.olingo.commons.api.edm.EdmPrimitiveTypeKind;
import org.apache.olingo.commons.api.edm.FullQualifiedName;

/** The Edm primitive type of each attribute type, as Dataverse publishes it. */
final class EdmTypes {
    private EdmTypes() {}

    static EdmPrimitiveTypeKind kind(ColumnDefinition column) {
        return kind(column.type());
    }

    static EdmPrimitiveTypeKind kind(AttributeType type) {
        return switch (type) {
            // a file or image column's value is the id of its fileattachment row, not the bytes
            case UNIQUEIDENTIFIER, LOOKUP, OWNER, CUSTOMER, FILE, IMAGE -> EdmPrimitiveTypeKind.Guid;
            case STRING, MEMO, ENTITYNAME, VIRTUAL -> EdmPrimitiveTypeKind.String;
            case INTEGER, PICKLIST, STATE, STATUS -> EdmPrimitiveTypeKind.Int32;
            case BIGINT -> EdmPrimitiveTypeKind.Int64;
            case DECIMAL, MONEY -> EdmPrimitiveTypeKind.Decimal;
            case DOUBLE -> EdmPrimitiveTypeKind.Double;
            case BOOLEAN, MANAGEDPROPERTY -> EdmPrimitiveTypeKind.Boolean;
            case DATETIME -> EdmPrimitiveTypeKind.DateTimeOffset;
        };
    }

    static FullQualifiedName name(ColumnDefinition column) {
        return kind(column).getFullQualifiedName();
    }
}
