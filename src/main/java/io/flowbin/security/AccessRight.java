package io.flowbin.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The record-level rights of Dataverse's {@code AccessRights} flags, each with the privilege that grants it
 * ({@code prv<Verb><Table>}). The wire form of a mask is the member names joined by {@code ", "}.
 */
public enum AccessRight {
    READ(1, "ReadAccess", "Read"),
    WRITE(2, "WriteAccess", "Write"),
    APPEND(4, "AppendAccess", "Append"),
    APPEND_TO(16, "AppendToAccess", "AppendTo"),
    CREATE(32, "CreateAccess", "Create"),
    DELETE(65536, "DeleteAccess", "Delete"),
    SHARE(262144, "ShareAccess", "Share"),
    ASSIGN(524288, "AssignAccess", "Assign");

    /** Every right a share can carry: all but Create, which has no meaning on an existing row. */
    public static final int SHAREABLE = READ.bit | WRITE.bit | APPEND.bit | APPEND_TO.bit | DELETE.bit | SHARE.bit
            | ASSIGN.bit;

    private final int bit;
    private final String accessName;
    private final String verb;

    AccessRight(int bit, String accessName, String verb) {
        this.bit = bit;
        this.accessName = accessName;
        this.verb = verb;
    }

    public int bit() {
        return bit;
    }

    /** The verb of the privilege name: {@code prv + verb + table schema name}. */
    public String verb() {
        return verb;
    }

    /** The mask as Dataverse writes it: {@code "ReadAccess, WriteAccess"}, or {@code "None"}. */
    public static String names(int mask) {
        List<String> names = new ArrayList<>();
        for (AccessRight right : values()) {
            if ((mask & right.bit) != 0) {
                names.add(right.accessName);
            }
        }
        return names.isEmpty() ? "None" : String.join(", ", names);
    }

    /**
     * Parses a mask given as names separated by commas (with or without spaces) or as a number.
     *
     * @throws IllegalArgumentException when a name is unknown
     */
    public static int parse(String text) {
        String trimmed = text.trim();
        if (!trimmed.isEmpty() && trimmed.chars().allMatch(Character::isDigit)) {
            return Integer.parseInt(trimmed);
        }
        int mask = 0;
        for (String part : trimmed.split(",")) {
            String name = part.trim();
            if (name.isEmpty() || name.equalsIgnoreCase("None")) {
                continue;
            }
            AccessRight found = null;
            for (AccessRight right : values()) {
                if (right.accessName.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                    found = right;
                }
            }
            if (found == null) {
                throw new IllegalArgumentException("'" + name + "' is not an AccessRights value");
            }
            mask |= found.bit;
        }
        return mask;
    }
}
