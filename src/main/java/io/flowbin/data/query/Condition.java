package io.flowbin.data.query;

import io.flowbin.metadata.ColumnDefinition;
import io.flowbin.metadata.TableDefinition;
import java.util.ArrayList;
import java.util.List;

/**
 * A condition on the rows of a query. String comparisons are case-insensitive, as in Dataverse; null never equals
 * anything, so tests for empty values are {@link IsNull}.
 */
public sealed interface Condition {
    /** Always true: the condition of a query without a filter. */
    Condition TRUE = new Constant(true);

    /** Every one of the conditions holds; true when there are none. */
    record And(List<Condition> conditions) implements Condition {
        public And {
            conditions = List.copyOf(conditions);
        }
    }

    /** At least one of the conditions holds; false when there are none. */
    record Or(List<Condition> conditions) implements Condition {
        public Or {
            conditions = List.copyOf(conditions);
        }
    }

    record Not(Condition condition) implements Condition {}

    record Constant(boolean value) implements Condition {}

    /** The comparison operators; string operands compare case-insensitively. */
    enum Comparator {
        EQ("="), NE("<>"), GT(">"), GE(">="), LT("<"), LE("<=");

        private final String sql;

        Comparator(String sql) {
            this.sql = sql;
        }

        String sql() {
            return sql;
        }
    }

    /** {@code left op right}; when either side is null SQL's three-valued logic makes it false. */
    record Compare(Operand left, Comparator comparator, Operand right) implements Condition {}

    /** The column is empty (or, negated, has a value). */
    record IsNull(ColumnRef column, boolean negated) implements Condition {}

    /**
     * A case-insensitive LIKE with the wildcards {@code %} and {@code _}; a backslash escapes the next character.
     * Build patterns from client text with {@link #escape(String)}.
     */
    record Like(ColumnRef column, String pattern, boolean negated) implements Condition {
        public static Like contains(ColumnRef column, String text) {
            return new Like(column, "%" + escape(text) + "%", false);
        }

        public static Like startsWith(ColumnRef column, String text) {
            return new Like(column, escape(text) + "%", false);
        }

        public static Like endsWith(ColumnRef column, String text) {
            return new Like(column, "%" + escape(text), false);
        }

        /** The text as a LIKE pattern that matches only itself. */
        public static String escape(String text) {
            StringBuilder escaped = new StringBuilder(text.length() + 8);
            for (char c : text.toCharArray()) {
                if (c == '%' || c == '_' || c == '\\') {
                    escaped.append('\\');
                }
                escaped.append(c);
            }
            return escaped.toString();
        }
    }

    /** The operand equals one of the values (or, negated, none of them and is not empty). */
    record In(Operand operand, List<Literal> values, boolean negated) implements Condition {
        public In {
            values = List.copyOf(values);
        }
    }

    /** {@code low <= operand <= high} (or, negated, outside that range). */
    record Between(Operand operand, Literal low, Literal high, boolean negated) implements Condition {}

    /**
     * A row of another table is linked to this one and meets a condition: {@code EXISTS (SELECT 1 FROM table alias
     * WHERE alias.innerColumn = outer AND where)}. Serves navigation paths and lambda operators; {@code all} is
     * {@code NOT EXISTS} with the negated condition.
     */
    record Exists(TableDefinition table, String alias, ColumnDefinition innerColumn, ColumnRef outer, Condition where)
            implements Condition {}

    /**
     * The integer column has this bit set (a flags mask such as a share's access rights); an empty value has none.
     *
     * @param bit a single power of two, from the server's own constants, never client input
     */
    record HasBit(ColumnRef column, int bit) implements Condition {
        public HasBit {
            if (bit <= 0 || Integer.bitCount(bit) != 1) {
                throw new IllegalArgumentException("not a single bit: " + bit);
            }
        }
    }

    /** Every one of the conditions holds: nested ands flattened, TRUE dropped. */
    static Condition all(Condition... conditions) {
        return and(List.of(conditions));
    }

    /** All conditions, flattening nested ands and dropping TRUE. */
    static Condition and(List<Condition> conditions) {
        List<Condition> flat = new ArrayList<>();
        for (Condition condition : conditions) {
            if (condition instanceof And and) {
                flat.addAll(and.conditions());
            } else if (!TRUE.equals(condition)) {
                flat.add(condition);
            }
        }
        return flat.isEmpty() ? TRUE : flat.size() == 1 ? flat.get(0) : new And(flat);
    }

    static Condition and(Condition first, Condition second) {
        return and(List.of(first, second));
    }
}
