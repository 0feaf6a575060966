package io.flowbin.odata;

import io.flowbin.metadata.ColumnDefinition;

/** How Dataverse names a column on the wire: lookups are the computed {@code _<name>_value} property. */
public final class PropertyNames {
    private PropertyNames() {}

    public static String of(ColumnDefinition column) {
        return column.type().isReference() ? lookupValue(column.logicalName()) : column.logicalName();
    }

    public static String lookupValue(String lookupColumn) {
        return "_" + lookupColumn + "_value";
    }

    /** The lookup column a {@code _x_value} property names, or null when the name is not of that form. */
    public static @org.jspecify.annotations.Nullable String lookupColumnOf(String propertyName) {
        if (propertyName.length() > 7 && propertyName.startsWith("_") && propertyName.endsWith("_value")) {
            return propertyName.substring(1, propertyName.length() - 6);
        }
        return null;
    }
}
