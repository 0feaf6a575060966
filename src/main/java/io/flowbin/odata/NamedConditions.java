package io.flowbin.odata;

import io.flowbin.data.query.ColumnRef;
import io.flowbin.data.query.Condition;
import io.flowbin.data.query.Condition.Comparator;
import io.flowbin.data.query.Literal;
import io.flowbin.metadata.AttributeType;
import io.flowbin.metadata.ColumnDefinition;
import io.flowbin.security.Caller;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Dataverse's condition operators by name, shared by the Web API query functions ({@code
 * Microsoft.Dynamics.CRM.LastXDays(PropertyName='createdon',PropertyValue=7)}) and FetchXML conditions ({@code
 * operator="last-x-days"}): comparisons, patterns, lists, ranges, the relative date operators and the caller's ids.
 * Thread-safe.
 *
 * <p>Dates are evaluated in UTC, the time zone values are stored in; weeks start on Sunday; the fiscal year is the
 * calendar year in quarters (Dataverse's default fiscal settings).
 */
final class NamedConditions {
    /** FetchXML spellings whose letters differ from the Web API function names. */
    private static final Map<String, String> SYNONYMS = Map.ofEntries(
            Map.entry("neq", "ne"),
            Map.entry("equserid", "equaluserid"),
            Map.entry("neuserid", "notequaluserid"),
            Map.entry("eqbusinessid", "equalbusinessid"),
            Map.entry("nebusinessid", "notequalbusinessid"),
            Map.entry("lastsevendays", "last7days"),
            Map.entry("nextsevendays", "next7days"),
            Map.entry("notbeginwith", "notbeginswith"),
            Map.entry("notendwith", "notendswith"));

    private final Clock clock;

    NamedConditions(Clock clock) {
        this.clock = clock;
    }

    /** The operator's canonical name: lower case without dashes, FetchXML synonyms resolved. */
    static String normalize(String operator) {
        String name = operator.toLowerCase(Locale.ROOT).replace("-", "");
        return SYNONYMS.getOrDefault(name, name);
    }

    /**
     * The condition an operator puts on a column.
     *
     * @param operator a name as {@link #normalize(String)} gives it
     * @param values the operator's values as text
     * @throws io.flowbin.error.DataverseException 400 for an unknown operator, one that does not apply to the
     *     column's type, or values of the wrong number or type
     */
    Condition build(String operator, ColumnRef column, List<String> values, Caller caller) {
        ColumnDefinition definition = column.column();
        switch (operator) {
            case "eq", "ne", "gt", "ge", "lt", "le" -> {
                Object value = value(definition, single(operator, values));
                return new Condition.Compare(column, comparator(operator), new Literal(value));
            }
            case "null" -> {
                count(operator, values, 0);
                return new Condition.IsNull(column, false);
            }
            case "notnull" -> {
                count(operator, values, 0);
                return new Condition.IsNull(column, true);
            }
            case "like", "notlike" -> {
                text(operator, definition);
                // FetchXML patterns keep % and _ as wildcards; only the escape character is escaped
                String pattern = single(operator, values).replace("\\", "\\\\");
                return new Condition.Like(column, pattern, operator.equals("notlike"));
            }
            case "beginswith", "notbeginswith", "endswith", "notendswith", "contains", "doesnotcontain" -> {
                text(operator, definition);
                String escaped = Condition.Like.escape(single(operator, values));
                String pattern = operator.contains("begin") ? escaped + "%"
                        : operator.contains("end") ? "%" + escaped : "%" + escaped + "%";
                return new Condition.Like(column, pattern, operator.startsWith("not")
                        || operator.equals("doesnotcontain"));
            }
            case "in", "notin" -> {
                if (values.isEmpty()) {
                    throw QueryErrors.invalid("The operator '" + operator + "' needs at least one value.");
                }
                List<Literal> literals = new ArrayList<>();
                for (String text : values) {
                    literals.add(new Literal(value(definition, text)));
                }
                return new Condition.In(column, literals, operator.equals("notin"));
            }
            case "between", "notbetween" -> {
                count(operator, values, 2);
                return new Condition.Between(column, new Literal(value(definition, values.get(0))),
                        new Literal(value(definition, values.get(1))), operator.equals("notbetween"));
            }
            case "equaluserid", "notequaluserid", "equalbusinessid", "notequalbusinessid" -> {
                count(operator, values, 0);
                if (!definition.type().isReference() && definition.type() != AttributeType.UNIQUEIDENTIFIER) {
                    throw notApplicable(operator, definition);
                }
                Object id = operator.contains("user") ? caller.userId() : caller.businessUnitId();
                return new Condition.Compare(column, operator.startsWith("not") ? Comparator.NE : Comparator.EQ,
                        new Literal(id));
            }
            default -> {
                return dates(operator, column, values);
            }
        }
    }

    private Condition dates(String operator, ColumnRef column, List<String> values) {
        if (!isDateOperator(operator)) {
            throw QueryErrors.notSupported("The condition operator '" + operator + "'");
        }
        if (column.column().type() != AttributeType.DATETIME) {
            throw notApplicable(operator, column.column());
        }
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        LocalDate today = now.toLocalDate();
        LocalDate weekStart = today.with(TemporalAdjusters.previousOrSame(DayOfWeek.SUNDAY));
        LocalDate monthStart = today.withDayOfMonth(1);
        LocalDate yearStart = today.withDayOfYear(1);
        LocalDate quarterStart = LocalDate.of(today.getYear(), (today.getMonthValue() - 1) / 3 * 3 + 1, 1);
        return switch (operator) {
            case "today" -> day(column, values, operator, today, 1);
            case "yesterday" -> day(column, values, operator, today.minusDays(1), 1);
            case "tomorrow" -> day(column, values, operator, today.plusDays(1), 1);
            case "last7days" -> since(column, values, operator, start(today.minusDays(7)), now);
            case "next7days" -> range(column, values, operator, 0, now, start(today.plusDays(8)));
            case "thisweek" -> day(column, values, operator, weekStart, 7);
            case "lastweek" -> day(column, values, operator, weekStart.minusWeeks(1), 7);
            case "nextweek" -> day(column, values, operator, weekStart.plusWeeks(1), 7);
            case "thismonth" -> months(column, values, operator, monthStart, 1);
            case "lastmonth" -> months(column, values, operator, monthStart.minusMonths(1), 1);
            case "nextmonth" -> months(column, values, operator, monthStart.plusMonths(1), 1);
            case "thisyear", "thisfiscalyear" -> months(column, values, operator, yearStart, 12);
            case "lastyear", "lastfiscalyear" -> months(column, values, operator, yearStart.minusYears(1), 12);
            case "nextyear", "nextfiscalyear" -> months(column, values, operator, yearStart.plusYears(1), 12);
            case "thisfiscalperiod" -> months(column, values, operator, quarterStart, 3);
            case "lastfiscalperiod" -> months(column, values, operator, quarterStart.minusMonths(3), 3);
            case "nextfiscalperiod" -> months(column, values, operator, quarterStart.plusMonths(3), 3);
            case "lastxhours" -> range(column, values, operator, 1, now.minusHours(number(operator, values)), now);
            case "nextxhours" -> range(column, values, operator, 1, now, now.plusHours(number(operator, values)));
            case "lastxdays" -> since(column, values, operator,
                    start(today.minusDays(number(operator, values))), now);
            case "nextxdays" -> range(column, values, operator, 1, now,
                    start(today.plusDays(number(operator, values) + 1L)));
            case "lastxweeks" -> since(column, values, operator,
                    start(today.minusWeeks(number(operator, values))), now);
            case "nextxweeks" -> range(column, values, operator, 1, now,
                    start(today.plusDays(1).plusWeeks(number(operator, values))));
            case "lastxmonths" -> since(column, values, operator,
                    start(today.minusMonths(number(operator, values))), now);
            case "nextxmonths" -> range(column, values, operator, 1, now,
                    start(today.plusDays(1).plusMonths(number(operator, values))));
            case "lastxyears" -> since(column, values, operator,
                    start(today.minusYears(number(operator, values))), now);
            case "nextxyears" -> range(column, values, operator, 1, now,
                    start(today.plusDays(1).plusYears(number(operator, values))));
            case "lastxfiscalyears" -> range(column, values, operator, 1,
                    start(yearStart.minusYears(number(operator, values))), start(yearStart));
            case "nextxfiscalyears" -> range(column, values, operator, 1, start(yearStart.plusYears(1)),
                    start(yearStart.plusYears(1L + number(operator, values))));
            case "lastxfiscalperiods" -> range(column, values, operator, 1,
                    start(quarterStart.minusMonths(3L * number(operator, values))), start(quarterStart));
            case "nextxfiscalperiods" -> range(column, values, operator, 1, start(quarterStart.plusMonths(3)),
                    start(quarterStart.plusMonths(3L + 3L * number(operator, values))));
            case "olderthanxminutes" -> before(column, now.minusMinutes(number(operator, values)));
            case "olderthanxhours" -> before(column, now.minusHours(number(operator, values)));
            case "olderthanxdays" -> before(column, now.minusDays(number(operator, values)));
            case "olderthanxweeks" -> before(column, now.minusWeeks(number(operator, values)));
            case "olderthanxmonths" -> before(column, now.minusMonths(number(operator, values)));
            case "olderthanxyears" -> before(column, now.minusYears(number(operator, values)));
            case "on" -> day(column, List.of(), operator, date(operator, values), 1);
            case "onorafter" -> new Condition.Compare(column, Comparator.GE,
                    new Literal(start(date(operator, values))));
            case "onorbefore" -> before(column, start(date(operator, values).plusDays(1)));
            case "infiscalyear" -> months(column, List.of(), operator,
                    LocalDate.of(number(operator, values), 1, 1), 12);
            case "infiscalperiodandyear" -> months(column, List.of(), operator, period(operator, values), 3);
            case "inorbeforefiscalperiodandyear" -> before(column, start(period(operator, values).plusMonths(3)));
            case "inorafterfiscalperiodandyear" -> new Condition.Compare(column, Comparator.GE,
                    new Literal(start(period(operator, values))));
            default -> throw QueryErrors.notSupported("The condition operator '" + operator + "'");
        };
    }

    private static boolean isDateOperator(String operator) {
        return operator.startsWith("last") || operator.startsWith("next") || operator.startsWith("this")
                || operator.startsWith("olderthan") || operator.startsWith("on") || operator.startsWith("infiscal")
                || operator.startsWith("inor") || operator.equals("today") || operator.equals("yesterday")
                || operator.equals("tomorrow");
    }

    private static OffsetDateTime start(LocalDate date) {
        return date.atStartOfDay().atOffset(ZoneOffset.UTC);
    }

    private static Condition day(ColumnRef column, List<String> values, String operator, LocalDate first, int days) {
        count(operator, values, 0);
        return between(column, start(first), start(first.plusDays(days)));
    }

    private static Condition months(ColumnRef column, List<String> values, String operator, LocalDate first,
            int months) {
        count(operator, values, 0);
        return between(column, start(first), start(first.plusMonths(months)));
    }

    /** From {@code from} up to and including now. */
    private static Condition since(ColumnRef column, List<String> values, String operator, OffsetDateTime from,
            OffsetDateTime now) {
        count(operator, values, operator.equals("last7days") ? 0 : 1);
        return new Condition.And(List.of(
                new Condition.Compare(column, Comparator.GE, new Literal(from)),
                new Condition.Compare(column, Comparator.LE, new Literal(now))));
    }

    private static Condition range(ColumnRef column, List<String> values, String operator, int expected,
            OffsetDateTime from, OffsetDateTime until) {
        count(operator, values, expected);
        return between(column, from, until);
    }

    /** {@code from <= column < until}. */
    private static Condition between(ColumnRef column, OffsetDateTime from, OffsetDateTime until) {
        return new Condition.And(List.of(
                new Condition.Compare(column, Comparator.GE, new Literal(from)),
                new Condition.Compare(column, Comparator.LT, new Literal(until))));
    }

    private static Condition before(ColumnRef column, OffsetDateTime until) {
        return new Condition.Compare(column, Comparator.LT, new Literal(until));
    }

    private static int number(String operator, List<String> values) {
        String text = single(operator, values);
        try {
            int number = Integer.parseInt(text.trim());
            if (number < 0 || number > 100_000) {
                throw QueryErrors.invalid("The value " + number + " of operator '" + operator
                        + "' is out of range (0 to 100000).");
            }
            return number;
        } catch (NumberFormatException e) {
            throw QueryErrors.invalid("The value '" + text + "' of operator '" + operator + "' is not a whole number.");
        }
    }

    private static LocalDate date(String operator, List<String> values) {
        String text = single(operator, values);
        try {
            return LiteralValues.parseDateTime(text.trim()).toLocalDate();
        } catch (RuntimeException e) {
            throw QueryErrors.invalid("The value '" + text + "' of operator '" + operator + "' is not a date.");
        }
    }

    /** The first day of fiscal period (quarter) {@code values[0]} of year {@code values[1]}. */
    private static LocalDate period(String operator, List<String> values) {
        count(operator, values, 2);
        int quarter = number(operator, values.subList(0, 1));
        int year = number(operator, values.subList(1, 2));
        if (quarter < 1 || quarter > 4 || year < 1) {
            throw QueryErrors.invalid("The fiscal period " + quarter + " of year " + year + " does not exist.");
        }
        return LocalDate.of(year, 1, 1).plus(3L * (quarter - 1), ChronoUnit.MONTHS);
    }

    private static Object value(ColumnDefinition column, String text) {
        try {
            return LiteralValues.parse(column, text);
        } catch (IllegalArgumentException e) {
            throw QueryErrors.invalid("The value '" + text + "' is not valid for column '" + column.logicalName()
                    + "' of type " + column.type().pageName() + ".");
        }
    }

    private static void text(String operator, ColumnDefinition column) {
        if (!LiteralValues.isText(column.type())) {
            throw notApplicable(operator, column);
        }
    }

    private static String single(String operator, List<String> values) {
        count(operator, values, 1);
        return values.get(0);
    }

    private static void count(String operator, List<String> values, int expected) {
        if (values.size() != expected) {
            throw QueryErrors.invalid("The operator '" + operator + "' takes " + expected + " value(s), not "
                    + values.size() + ".");
        }
    }

    private static Comparator comparator(String operator) {
        return Comparator.valueOf(operator.toUpperCase(Locale.ROOT));
    }

    private static io.flowbin.error.DataverseException notApplicable(String operator, ColumnDefinition column) {
        return QueryErrors.invalid("The condition operator '" + operator + "' is not valid for column '"
                + column.logicalName() + "' of type " + column.type().pageName() + ".");
    }
}
