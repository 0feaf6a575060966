package io.flowbin.metadata;

/** Dataverse {@code AttributeRequiredLevel}. Only {@link #SYSTEM_REQUIRED} is enforced by the Web API. */
public enum RequiredLevel {
    NONE("None"),
    SYSTEM_REQUIRED("SystemRequired"),
    APPLICATION_REQUIRED("ApplicationRequired"),
    RECOMMENDED("Recommended");

    private final String pageName;

    RequiredLevel(String pageName) {
        this.pageName = pageName;
    }

    public String pageName() {
        return pageName;
    }

    public static RequiredLevel fromPageName(String name) {
        for (RequiredLevel level : values()) {
            if (level.pageName.equalsIgnoreCase(name)) {
                return level;
            }
        }
        throw new IllegalArgumentException("Unknown required level '" + name + "'");
    }
}
