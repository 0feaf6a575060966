package io.flowbin.metadata;

/** What an operation on the referenced row does to referencing rows, per Dataverse {@code CascadeConfiguration}. */
public record CascadeConfiguration(
        CascadeType assign,
        CascadeType delete,
        CascadeType archive,
        CascadeType merge,
        CascadeType reparent,
        CascadeType rollupView,
        CascadeType share,
        CascadeType unshare) {

    /** Dataverse {@code CascadeType}. */
    public enum CascadeType {
        NO_CASCADE("NoCascade"),
        CASCADE("Cascade"),
        ACTIVE("Active"),
        USER_OWNED("UserOwned"),
        REMOVE_LINK("RemoveLink"),
        RESTRICT("Restrict");

        private final String pageName;

        CascadeType(String pageName) {
            this.pageName = pageName;
        }

        public String pageName() {
            return pageName;
        }

        public static CascadeType fromPageName(String name) {
            for (CascadeType type : values()) {
                if (type.pageName.equalsIgnoreCase(name)) {
                    return type;
                }
            }
            throw new IllegalArgumentException("Unknown cascade type '" + name + "'");
        }
    }

    public static CascadeConfiguration noCascade() {
        CascadeType none = CascadeType.NO_CASCADE;
        return new CascadeConfiguration(none, none, none, none, none, none, none, none);
    }
}
