package io.flowbin.odata;

import io.flowbin.data.query.ColumnRef;
import io.flowbin.data.query.Condition;
import io.flowbin.data.query.Condition.Comparator;
import io.flowbin.data.query.Literal;
import io.flowbin.data.query.Query;
import io.flowbin.error.DataverseException;
import io.flowbin.metadata.AttributeType;
import io.flowbin.metadata.Catalog;
import io.flowbin.metadata.ColumnDefinition;
import io.flowbin.metadata.NavigationProperty;
import io.flowbin.metadata.TableDefinition;
import io.flowbin.security.Caller;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.apache.olingo.commons.api.edm.EdmEnumType;
import org.apache.olingo.commons.api.edm.EdmPrimitiveTypeKind;
import org.apache.olingo.commons.api.edm.EdmType;
import org.apache.olingo.server.api.ODataApplicationException;
import org.apache.olingo.server.api.uri.UriResource;
import org.apache.olingo.server.api.uri.UriResourceFunction;
import org.apache.olingo.server.api.uri.UriResourceLambdaAll;
import org.apache.olingo.server.api.uri.UriResourceLambdaAny;
import org.apache.olingo.server.api.uri.UriResourceLambdaVariable;
import org.apache.olingo.server.api.uri.UriResourceNavigation;
import org.apache.olingo.server.api.uri.UriResourcePrimitiveProperty;
import org.apache.olingo.server.api.uri.queryoption.expression.BinaryOperatorKind;
import org.apache.olingo.server.api.uri.queryoption.expression.Expression;
import org.apache.olingo.server.api.uri.queryoption.expression.ExpressionVisitException;
import org.apache.olingo.server.api.uri.queryoption.expression.ExpressionVisitor;
import org.apache.olingo.server.api.uri.queryoption.expression.Member;
import org.apache.olingo.server.api.uri.queryoption.expression.MethodKind;
import org.apache.olingo.server.api.uri.queryoption.expression.UnaryOperatorKind;
import org.jspecify.annotations.Nullable;

/**
 * Translates a parsed {@code $filter} expression into a {@link Condition}: comparisons, {@code and}/{@code or}/{@code
 * not}, null tests, {@code contains}/{@code startswith}/{@code endswith}, lookups through {@code _x_value}, paths
 * through single-valued navigation properties, {@code any}/{@code all} on collection-valued ones, and Dataverse's
 * query functions. Anything else is a 400. One instance per expression; not thread-safe.
 *
 * <p>Design note: the visitor returns conditions for Boolean nodes and {@code Term}s or {@code Value}s for operands,
 * and turns a comparison into a condition once both sides are known, converting the literal to the column's type.
 * A property behind navigation properties becomes the comparison wrapped in one {@code EXISTS} per step, each with
 * its own alias, so any depth and any mix with lambda variables works.
 */
final class FilterTranslator implements ExpressionVisitor<Object> {
    /** Dataverse's limit on the conditions of one query. */
    static final int MAX_CONDITIONS = 500;

    /** A table in scope: the queried one, a lambda variable's or one reached through a navigation path. */
    private record Scope(TableDefinition table, String alias) {}

    /** A property, possibly behind single-valued navigation properties. */
    private record Term(Scope scope, List<NavigationProperty> path, String property) {}

    /** A literal or alias value as written; {@code text} null for {@code null}. */
    private record Value(@Nullable String text, @Nullable EdmType type) {}

    /** A query function's condition, which {@code not} must not wrap. */
    private record FunctionCall(Condition condition) {}

    private final Catalog catalog;
    private final QueryFunctions functions;
    private final Function<String, @Nullable String> aliases;
    private final Caller caller;
    private final Scope root;
    private final Map<String, Scope> variables = new HashMap<>();
    private final String aliasPrefix;
    private int aliasCount;
    private int conditions;

    FilterTranslator(Catalog catalog, QueryFunctions functions, TableDefinition table, String alias,
            String aliasPrefix, Function<String, @Nullable String> aliases, Caller caller) {
        this.catalog = catalog;
        this.functions = functions;
        this.aliases = aliases;
        this.caller = caller;
        this.root = new Scope(table, alias);
        this.aliasPrefix = aliasPrefix;
    }

    /** The condition of an expression on the queried table ({@link Query#ROOT}). */
    static Condition translate(Catalog catalog, QueryFunctions functions, TableDefinition table, Expression expression,
            Function<String, @Nullable String> aliases, Caller caller) {
        return new FilterTranslator(catalog, functions, table, Query.ROOT, "f", aliases, caller).condition(expression);
    }

    Condition condition(Expression expression) {
        try {
            return asCondition(expression.accept(this));
        } catch (ExpressionVisitException | ODataApplicationException e) {
            throw QueryErrors.invalid(String.valueOf(e.getMessage()));
        }
    }

    // ---- operators ------------------------------------------------------------------------------------------

    @Override
    public Object visitBinaryOperator(BinaryOperatorKind operator, Object left, Object right) {
        return switch (operator) {
            case AND -> Condition.and(asCondition(left), asCondition(right));
            case OR -> new Condition.Or(List.of(asCondition(left), asCondition(right)));
            case EQ -> compare(left, Comparator.EQ, right, "Equal");
            case NE -> compare(left, Comparator.NE, right, "NotEqual");
            case GT -> compare(left, Comparator.GT, right, "GreaterThan");
            case GE -> compare(left, Comparator.GE, right, "GreaterThanOrEqual");
            case LT -> compare(left, Comparator.LT, right, "LessThan");
            case LE -> compare(left, Comparator.LE, right, "LessThanOrEqual");
            default -> throw QueryErrors.notSupported("The operator '" + operator.toString().toLowerCase(Locale.ROOT)
                    + "' in $filter");
        };
    }

    @Override
    public Object visitBinaryOperator(BinaryOperatorKind operator, Object left, List<Object> right) {
        throw QueryErrors.notSupported("The operator 'in' (OData 4.01) in $filter; use Microsoft.Dynamics.CRM.In");
    }

    @Override
    public Object visitUnaryOperator(UnaryOperatorKind operator, Object operand) {
        if (operator != UnaryOperatorKind.NOT) {
            throw QueryErrors.notSupported("The operator '" + operator + "' in $filter");
        }
        if (operand instanceof FunctionCall) {
            throw QueryErrors.invalid("Not operator along with the Custom Named Condition operators is not allowed");
        }
        return new Condition.Not(asCondition(operand));
    }

    @Override
    public Object visitMethodCall(MethodKind method, List<Object> parameters) {
        if (method != MethodKind.CONTAINS && method != MethodKind.STARTSWITH && method != MethodKind.ENDSWITH) {
            throw QueryErrors.notSupported("The function '" + method + "' in $filter");
        }
        if (parameters.size() != 2 || !(parameters.get(0) instanceof Term term)
                || !(parameters.get(1) instanceof Value value) || value.text() == null || !isString(value)) {
            throw QueryErrors.invalid("The function '" + method + "' takes a string property and a string literal.");
        }
        String text = QueryFunctions.unquote(value.text());
        return wrap(term, column -> {
            if (!LiteralValues.isText(column.column().type())) {
                throw QueryErrors.invalid("The function '" + method + "' needs a string property; '"
                        + term.property() + "' is " + EdmTypes.kind(column.column()).getFullQualifiedName() + ".");
            }
            counted();
            return switch (method) {
                case CONTAINS -> Condition.Like.contains(column, text);
                case STARTSWITH -> Condition.Like.startsWith(column, text);
                default -> Condition.Like.endsWith(column, text);
            };
        });
    }

    // ---- operands -------------------------------------------------------------------------------------------

    @Override
    public Object visitLiteral(org.apache.olingo.server.api.uri.queryoption.expression.Literal literal) {
        String text = literal.getText();
        return new Value(text == null || text.equals("null") ? null : text, literal.getType());
    }

    @Override
    public Object visitAlias(String alias) {
        String text = aliases.apply(alias);
        // an alias without a value is null, as the OData rules say
        return new Value(text == null || text.equals("null") ? null : text, null);
    }

    @Override
    public Object visitMember(Member member) {
        List<UriResource> parts = member.getResourcePath().getUriResourceParts();
        Scope scope = root;
        int index = 0;
        if (!parts.isEmpty() && parts.get(0) instanceof UriResourceLambdaVariable variable) {
            scope = variables.get(variable.getVariableName());
            if (scope == null) {
                throw QueryErrors.invalid("The range variable '" + variable.getVariableName() + "' is not defined.");
            }
            index = 1;
        }
        if (index < parts.size() && parts.get(index) instanceof UriResourceFunction function) {
            if (!QueryFunctions.isQueryFunction(function.getFunction().getName()) || parts.size() > index + 1) {
                throw QueryErrors.notSupported("The function '" + function.getFunction().getName() + "' in $filter");
            }
            counted();
            return new FunctionCall(functions.translate(function, scope.table(), scope.alias(), aliases, caller));
        }
        List<NavigationProperty> path = new ArrayList<>();
        TableDefinition table = scope.table();
        for (; index < parts.size(); index++) {
            UriResource part = parts.get(index);
            if (part instanceof UriResourcePrimitiveProperty property && index == parts.size() - 1) {
                return new Term(scope, path, property.getProperty().getName());
            }
            if (!(part instanceof UriResourceNavigation navigation)) {
                break;
            }
            NavigationProperty nav = catalog.navigationProperties(table).get(navigation.getProperty().getName());
            if (nav == null) {
                throw QueryErrors.unknownProperty(table, navigation.getProperty().getName());
            }
            if (nav.collection()) {
                if (index + 1 < parts.size() && (parts.get(index + 1) instanceof UriResourceLambdaAny
                        || parts.get(index + 1) instanceof UriResourceLambdaAll) && index + 2 == parts.size()) {
                    TableDefinition ownerTable = table;
                    UriResource lambdaPart = parts.get(index + 1);
                    return wrap(new Term(scope, path, ""),
                            key -> lambda(new Scope(ownerTable, key.alias()), nav, lambdaPart));
                }
                throw QueryErrors.invalid("The collection-valued navigation property '" + nav.name()
                        + "' can only be filtered with any or all.");
            }
            path.add(nav);
            table = targetOf(nav);
        }
        throw QueryErrors.notSupported("The expression '" + member.getResourcePath().getUriResourceParts() + "'");
    }

    @Override
    public Object visitLambdaExpression(String lambdaFunction, String lambdaVariable, Expression expression) {
        throw QueryErrors.notSupported("A lambda expression outside a navigation path");
    }

    @Override
    public Object visitTypeLiteral(EdmType type) {
        throw QueryErrors.notSupported("A type literal in $filter");
    }

    @Override
    public Object visitLambdaReference(String variableName) {
        throw QueryErrors.notSupported("The bare range variable '" + variableName + "' in $filter");
    }

    @Override
    public Object visitEnum(EdmEnumType type, List<String> enumValues) {
        throw QueryErrors.notSupported("An enumeration literal in $filter");
    }

    // ---- building -------------------------------------------------------------------------------------------

    private Condition lambda(Scope owner, NavigationProperty nav, UriResource lambdaPart) {
        TableDefinition child = targetOf(nav);
        ColumnDefinition childLookup = Objects.requireNonNull(child.column(nav.column()),
                () -> "no column " + nav.column() + " on " + child.logicalName());
        ColumnDefinition key = Objects.requireNonNull(owner.table().column(owner.table().primaryIdAttribute()));
        String alias = nextAlias();
        String variable;
        Expression expression;
        boolean all;
        if (lambdaPart instanceof UriResourceLambdaAny any) {
            variable = any.getLambdaVariable();
            expression = any.getExpression();
            all = false;
        } else {
            UriResourceLambdaAll every = (UriResourceLambdaAll) lambdaPart;
            variable = every.getLambdaVariable();
            expression = every.getExpression();
            all = true;
        }
        Condition inner = Condition.TRUE;
        if (expression != null) {
            Scope previous = variables.put(variable, new Scope(child, alias));
            try {
                inner = asCondition(expression.accept(this));
            } catch (ExpressionVisitException | ODataApplicationException e) {
                throw QueryErrors.invalid(String.valueOf(e.getMessage()));
            } finally {
                if (previous == null) {
                    variables.remove(variable);
                } else {
                    variables.put(variable, previous);
                }
            }
        }
        counted();
        ColumnRef outer = new ColumnRef(owner.alias(), key, key.logicalName());
        if (all) {
            // every related row meets the condition: no related row fails it
            return new Condition.Not(new Condition.Exists(child, alias, childLookup, outer, new Condition.Not(inner)));
        }
        return new Condition.Exists(child, alias, childLookup, outer, inner);
    }

    /**
     * The condition a leaf puts on a term's column, behind {@code EXISTS} for each single-valued navigation
     * property on the way (an owner, which may be a user or a team, tries each).
     */
    private Condition wrap(Term term, Function<ColumnRef, Condition> leaf) {
        return wrap(term.scope(), term.path(), term.property(), leaf);
    }

    private Condition wrap(Scope scope, List<NavigationProperty> path, String property,
            Function<ColumnRef, Condition> leaf) {
        if (path.isEmpty()) {
            return leaf.apply(columnOf(scope, property));
        }
        NavigationProperty nav = path.get(0);
        ColumnDefinition lookup = Objects.requireNonNull(scope.table().column(nav.column()));
        List<Condition> alternatives = new ArrayList<>();
        for (String target : nav.targets()) {
            TableDefinition table = Objects.requireNonNull(catalog.table(target));
            String alias = nextAlias();
            Condition inner = wrap(new Scope(table, alias), path.subList(1, path.size()), property, leaf);
            alternatives.add(new Condition.Exists(table, alias,
                    Objects.requireNonNull(table.column(table.primaryIdAttribute())),
                    new ColumnRef(scope.alias(), lookup, lookup.logicalName()), inner));
        }
        return alternatives.size() == 1 ? alternatives.get(0) : new Condition.Or(alternatives);
    }

    private ColumnRef columnOf(Scope scope, String property) {
        if (property.isEmpty()) {
            ColumnDefinition key = Objects.requireNonNull(scope.table().column(scope.table().primaryIdAttribute()));
            return new ColumnRef(scope.alias(), key, key.logicalName());
        }
        String lookup = PropertyNames.lookupColumnOf(property);
        ColumnDefinition column = scope.table().column(lookup != null ? lookup : property);
        if (column == null || column.type() == AttributeType.VIRTUAL
                || !catalog.storedColumns(scope.table()).contains(column)) {
            throw QueryErrors.unknownProperty(scope.table(), property);
        }
        return new ColumnRef(scope.alias(), column, column.logicalName());
    }

    private Condition compare(Object left, Comparator comparator, Object right, String kind) {
        if (left instanceof Value && right instanceof Term) {
            return compare(right, mirror(comparator), left, kind);
        }
        if (!(left instanceof Term term)) {
            throw QueryErrors.invalid("A comparison needs a property on one side.");
        }
        if (right instanceof Value value) {
            return wrap(term, column -> {
                counted();
                if (value.text() == null) {
                    return switch (comparator) {
                        case EQ -> new Condition.IsNull(column, false);
                        case NE -> new Condition.IsNull(column, true);
                        default -> new Condition.Constant(false);
                    };
                }
                return new Condition.Compare(column, comparator, new Literal(valueFor(column.column(), value, kind)));
            });
        }
        if (right instanceof Term other && other.path().isEmpty()) {
            ColumnRef otherColumn = columnOf(other.scope(), other.property());
            return wrap(term, column -> {
                counted();
                if (EdmTypes.kind(column.column()) != EdmTypes.kind(otherColumn.column())) {
                    throw incompatible(EdmTypes.kind(column.column()).getFullQualifiedName().toString(),
                            EdmTypes.kind(otherColumn.column()).getFullQualifiedName().toString(), kind);
                }
                return new Condition.Compare(column, comparator, otherColumn);
            });
        }
        throw QueryErrors.notSupported("A comparison between two navigation paths");
    }

    private static Comparator mirror(Comparator comparator) {
        return switch (comparator) {
            case GT -> Comparator.LT;
            case GE -> Comparator.LE;
            case LT -> Comparator.GT;
            case LE -> Comparator.GE;
            default -> comparator;
        };
    }

    private Object valueFor(ColumnDefinition column, Value value, String kind) {
        String text = Objects.requireNonNull(value.text());
        String columnType = EdmTypes.kind(column).getFullQualifiedName().toString();
        boolean quoted = text.startsWith("'");
        if (LiteralValues.isText(column.type()) != quoted) {
            throw incompatible(columnType, quoted ? "Edm.String" : literalType(value), kind);
        }
        Object parsed = LiteralValues.tryParse(column, quoted ? QueryFunctions.unquote(text) : text);
        if (parsed == null) {
            throw incompatible(columnType, literalType(value), kind);
        }
        return parsed;
    }

    private static String literalType(Value value) {
        return value.type() == null ? "Edm.Untyped" : value.type().getFullQualifiedName().toString();
    }

    private static DataverseException incompatible(String left, String right, String kind) {
        return QueryErrors.invalid("A binary operator with incompatible types was detected. Found operand types '"
                + left + "' and '" + right + "' for operator kind '" + kind + "'.");
    }

    private static boolean isString(Value value) {
        return value.text() != null && value.text().startsWith("'")
                && (value.type() == null || value.type().getFullQualifiedName()
                        .equals(EdmPrimitiveTypeKind.String.getFullQualifiedName()));
    }

    private Condition asCondition(Object result) {
        return switch (result) {
            case Condition condition -> condition;
            case FunctionCall call -> call.condition();
            case Term term -> wrap(term, column -> {
                if (column.column().type() != AttributeType.BOOLEAN) {
                    throw QueryErrors.invalid("The property '" + term.property() + "' is not a Boolean condition.");
                }
                counted();
                return new Condition.Compare(column, Comparator.EQ, new Literal(true));
            });
            case Value value when "true".equals(value.text()) -> Condition.TRUE;
            case Value value when "false".equals(value.text()) -> new Condition.Constant(false);
            default -> throw QueryErrors.invalid("The $filter expression is not a Boolean condition.");
        };
    }

    /** The table a navigation property leads to; for an owner (user or team) the first, as both share the path. */
    private TableDefinition targetOf(NavigationProperty nav) {
        return Objects.requireNonNull(catalog.table(nav.targets().get(0)));
    }

    private String nextAlias() {
        return aliasPrefix + (++aliasCount);
    }

    private void counted() {
        if (++conditions > MAX_CONDITIONS) {
            throw new DataverseException(400, QueryErrors.TOO_MANY_CONDITIONS, "The query has more than "
                    + MAX_CONDITIONS + " conditions; reduce the number of conditions.");
        }
    }
}
