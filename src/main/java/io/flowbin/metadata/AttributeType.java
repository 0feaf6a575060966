package io.flowbin.metadata;

/** The Dataverse attribute types the reference pages use, named as in {@code AttributeTypeCode}. */
public enum AttributeType {
    UNIQUEIDENTIFIER("Uniqueidentifier"),
    STRING("String"),
    MEMO("Memo"),
    INTEGER("Integer"),
    BIGINT("BigInt"),
    DECIMAL("Decimal"),
    DOUBLE("Double"),
    MONEY("Money"),
    BOOLEAN("Boolean"),
    DATETIME("DateTime"),
    PICKLIST("Picklist"),
    STATE("State"),
    STATUS("Status"),
    LOOKUP("Lookup"),
    OWNER("Owner"),
    CUSTOMER("Customer"),
    ENTITYNAME("EntityName"),
    FILE("File"),
    IMAGE("Image"),
    MANAGEDPROPERTY("ManagedProperty"),
    VIRTUAL("Virtual");

    private final String pageName;

    AttributeType(String pageName) {
        this.pageName = pageName;
    }

    /** The name as written in a reference page's {@code Type} row and in {@code AttributeType} metadata. */
    public String pageName() {
        return pageName;
    }

    /** Lookup-like types whose value is a reference to a row of another table. */
    public boolean isReference() {
        return this == LOOKUP || this == OWNER || this == CUSTOMER;
    }

    /** Choice-like types whose values come from an option set. */
    public boolean isChoice() {
        return this == PICKLIST || this == STATE || this == STATUS;
    }

    public static AttributeType fromPageName(String name) {
        for (AttributeType type : values()) {
            if (type.pageName.equalsIgnoreCase(name)) {
                return type;
            }
        }
        throw new IllegalArgumentException("Unknown attribute type '" + name + "'");
    }
}
