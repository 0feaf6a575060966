package io.flowbin.odata;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowbin.data.query.ColumnRef;
import io.flowbin.data.query.Condition;
import io.flowbin.metadata.ColumnDefinition;
import io.flowbin.metadata.TableDefinition;
import io.flowbin.security.Caller;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.olingo.commons.api.edm.EdmPrimitiveTypeKind;
import org.apache.olingo.commons.api.edm.FullQualifiedName;
import org.apache.olingo.commons.api.edm.provider.CsdlFunction;
import org.apache.olingo.commons.api.edm.provider.CsdlParameter;
import org.apache.olingo.commons.api.edm.provider.CsdlReturnType;
import org.apache.olingo.server.api.uri.UriParameter;
import org.apache.olingo.server.api.uri.UriResourceFunction;
import org.jspecify.annotations.Nullable;

/**
 * Dataverse's query functions ({@code Microsoft.Dynamics.CRM.In}, {@code LastXDays}, {@code EqualUserId}…): their
 * CSDL declarations, published in {@code $metadata} so that the URI parser knows them, and their translation to
 * conditions through {@link NamedConditions}. Thread-safe.
 */
final class QueryFunctions {
    private enum Parameters { NAME, VALUE, TWO_VALUES, VALUES }

    private static final Map<String, Parameters> FUNCTIONS = new LinkedHashMap<>();

    static {
        for (String name : List.of("Today", "Yesterday", "Tomorrow", "Last7Days", "Next7Days", "LastWeek", "ThisWeek",
                "NextWeek", "LastMonth", "ThisMonth", "NextMonth", "LastYear", "ThisYear", "NextYear", "LastFiscalYear",
                "ThisFiscalYear", "NextFiscalYear", "LastFiscalPeriod", "ThisFiscalPeriod", "NextFiscalPeriod",
                "EqualUserId", "NotEqualUserId", "EqualBusinessId", "NotEqualBusinessId")) {
            FUNCTIONS.put(name, Parameters.NAME);
        }
        for (String name : List.of("LastXHours", "NextXHours", "LastXDays", "NextXDays", "LastXWeeks", "NextXWeeks",
                "LastXMonths", "NextXMonths", "LastXYears", "NextXYears", "LastXFiscalYears", "NextXFiscalYears",
                "LastXFiscalPeriods", "NextXFiscalPeriods", "OlderThanXMinutes", "OlderThanXHours", "OlderThanXDays",
                "OlderThanXWeeks", "OlderThanXMonths", "OlderThanXYears", "On", "OnOrAfter", "OnOrBefore",
                "InFiscalYear")) {
            FUNCTIONS.put(name, Parameters.VALUE);
        }
        for (String name : List.of("InFiscalPeriodAndYear", "InOrBeforeFiscalPeriodAndYear",
                "InOrAfterFiscalPeriodAndYear")) {
            FUNCTIONS.put(name, Parameters.TWO_VALUES);
        }
        for (String name : List.of("In", "NotIn", "Between", "NotBetween")) {
            FUNCTIONS.put(name, Parameters.VALUES);
        }
    }

    private final NamedConditions conditions;

    QueryFunctions(NamedConditions conditions) {
        this.conditions = conditions;
    }

    /** The CSDL functions, by qualified name. */
    static Map<FullQualifiedName, List<CsdlFunction>> definitions(String namespace) {
        Map<FullQualifiedName, List<CsdlFunction>> definitions = new LinkedHashMap<>();
        FUNCTIONS.forEach((name, parameters) -> {
            List<CsdlParameter> list = new ArrayList<>();
            list.add(parameter("PropertyName", EdmPrimitiveTypeKind.String, false));
            switch (parameters) {
                case NAME -> { }
                case VALUE -> list.add(parameter("PropertyValue", name.startsWith("On")
                        ? EdmPrimitiveTypeKind.String : EdmPrimitiveTypeKind.Int64, false));
                case TWO_VALUES -> {
                    list.add(parameter("PropertyValue1", EdmPrimitiveTypeKind.Int64, false));
                    list.add(parameter("PropertyValue2", EdmPrimitiveTypeKind.Int64, false));
                }
                case VALUES -> list.add(parameter("PropertyValues", EdmPrimitiveTypeKind.String, true));
            }
            definitions.put(new FullQualifiedName(namespace, name), List.of(new CsdlFunction()
                    .setName(name)
                    .setBound(false)
                    .setParameters(list)
                    .setReturnType(new CsdlReturnType()
                            .setType(EdmPrimitiveTypeKind.Boolean.getFullQualifiedName())
                            .setNullable(false))));
        });
        return definitions;
    }

    static boolean isQueryFunction(String name) {
        return FUNCTIONS.containsKey(name);
    }

    private static CsdlParameter parameter(String name, EdmPrimitiveTypeKind type, boolean collection) {
        return new CsdlParameter().setName(name).setType(type.getFullQualifiedName()).setCollection(collection)
                .setNullable(false);
    }

    /**
     * The condition a function call puts on the rows of the table whose column it names.
     *
     * @param aliases the parameter aliases of the request ({@code @p1=…}), raw
     */
    Condition translate(UriResourceFunction call, TableDefinition table, String alias,
            Function<String, @Nullable String> aliases, Caller caller) {
        String name = call.getFunction().getName();
        Parameters parameters = FUNCTIONS.get(name);
        if (parameters == null) {
            throw QueryErrors.notSupported("The function '" + name + "'");
        }
        Map<String, String> arguments = new LinkedHashMap<>();
        for (UriParameter parameter : call.getParameters()) {
            String text = parameter.getText();
            if (text == null && parameter.getAlias() != null) {
                text = aliases.apply(parameter.getAlias());
            }
            if (text == null) {
                throw QueryErrors.invalid("The parameter '" + parameter.getName() + "' of function '" + name
                        + "' has no value.");
            }
            arguments.put(parameter.getName(), text);
        }
        String propertyName = unquote(required(arguments, "PropertyName", name));
        ColumnDefinition column = column(table, propertyName);
        List<String> values = switch (parameters) {
            case NAME -> List.of();
            case VALUE -> List.of(unquote(required(arguments, "PropertyValue", name)));
            case TWO_VALUES -> List.of(unquote(required(arguments, "PropertyValue1", name)),
                    unquote(required(arguments, "PropertyValue2", name)));
            case VALUES -> list(required(arguments, "PropertyValues", name), name);
        };
        return conditions.build(NamedConditions.normalize(name), new ColumnRef(alias, column,
                column.logicalName()), values, caller);
    }

    private static ColumnDefinition column(TableDefinition table, String propertyName) {
        String lookup = PropertyNames.lookupColumnOf(propertyName);
        ColumnDefinition column = table.column(lookup != null ? lookup : propertyName);
        if (column == null || column.type() == io.flowbin.metadata.AttributeType.VIRTUAL) {
            throw QueryErrors.unknownProperty(table, propertyName);
        }
        return column;
    }

    private static String required(Map<String, String> arguments, String parameter, String function) {
        String value = arguments.get(parameter);
        if (value == null) {
            throw QueryErrors.invalid("The function '" + function + "' needs the parameter '" + parameter + "'.");
        }
        return value;
    }

    /** A literal without its quotes ({@code 'a''b'} is {@code a'b}); other literals as they are. */
    static String unquote(String literal) {
        String text = literal.trim();
        if (text.length() >= 2 && text.startsWith("'") && text.endsWith("'")) {
            return text.substring(1, text.length() - 1).replace("''", "'");
        }
        if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
            return text.substring(1, text.length() - 1);
        }
        return text;
    }

    /** A {@code PropertyValues} array: JSON, {@code ["a","b"]}; single-quoted strings are accepted as well. */
    private static List<String> list(String text, String function) {
        String json = text.trim();
        try {
            JsonNode array;
            try {
                array = PayloadReader.JSON.readTree(json);
            } catch (IOException notJson) {
                array = PayloadReader.JSON.readTree(json.replace('\'', '"'));
            }
            if (array == null || !array.isArray()) {
                throw new IOException("not an array");
            }
            List<String> values = new ArrayList<>();
            for (JsonNode item : array) {
                if (!item.isValueNode() || item.isNull()) {
                    throw new IOException("not a value");
                }
                values.add(item.asText());
            }
            return values;
        } catch (IOException e) {
            throw QueryErrors.invalid("The parameter 'PropertyValues' of function '" + function
                    + "' must be a JSON array of strings, such as [\"a\",\"b\"]; it is " + text + ".");
        }
    }
}
