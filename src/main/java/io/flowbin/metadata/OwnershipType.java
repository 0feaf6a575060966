package io.flowbin.metadata;

/** Dataverse {@code OwnershipTypes}: who owns the rows of a table. */
public enum OwnershipType {
    NONE("None"),
    USER_OWNED("UserOwned"),
    TEAM_OWNED("TeamOwned"),
    BUSINESS_OWNED("BusinessOwned"),
    ORGANIZATION_OWNED("OrganizationOwned"),
    BUSINESS_PARENTED("BusinessParented");

    private final String pageName;

    OwnershipType(String pageName) {
        this.pageName = pageName;
    }

    public String pageName() {
        return pageName;
    }

    public static OwnershipType fromPageName(String name) {
        for (OwnershipType type : values()) {
            if (type.pageName.equalsIgnoreCase(name)) {
                return type;
            }
        }
        throw new IllegalArgumentException("Unknown ownership type '" + name + "'");
    }
}
