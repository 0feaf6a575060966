package io.flowbin.odata;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowbin.error.DataverseException;
import io.flowbin.error.ErrorCodes;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.olingo.commons.api.edm.Edm;
import org.apache.olingo.commons.api.edm.EdmEnumType;
import org.apache.olingo.commons.api.edm.EdmPrimitiveType;
import org.apache.olingo.commons.api.edm.EdmPrimitiveTypeKind;
import org.apache.olingo.commons.api.edm.EdmStructuredType;
import org.apache.olingo.commons.api.edm.EdmType;
import org.apache.olingo.commons.api.edm.FullQualifiedName;
import org.apache.olingo.commons.core.edm.primitivetype.EdmPrimitiveTypeFactory;
import org.apache.olingo.server.api.ODataApplicationException;
import org.apache.olingo.server.api.uri.UriResource;
import org.apache.olingo.server.api.uri.UriResourceKind;
import org.apache.olingo.server.api.uri.queryoption.expression.BinaryOperatorKind;
import org.apache.olingo.server.api.uri.queryoption.expression.Expression;
import org.apache.olingo.server.api.uri.queryoption.expression.ExpressionVisitException;
import org.apache.olingo.server.api.uri.queryoption.expression.ExpressionVisitor;
import org.apache.olingo.server.api.uri.queryoption.expression.Literal;
import org.apache.olingo.server.api.uri.queryoption.expression.Member;
import org.apache.olingo.server.api.uri.queryoption.expression.MethodKind;
import org.apache.olingo.server.api.uri.queryoption.expression.UnaryOperatorKind;
import org.jspecify.annotations.Nullable;

/**
 * Evaluates a parsed {@code $filter} against one definition tree. Definitions are few and held in memory, so the
 * filter runs in memory too, with the comparison and logical operators Dataverse accepts on definitions; functions
 * and lambdas are refused. String comparisons ignore case. One instance per evaluated node; not thread-safe.
 */
final class MetadataFilter implements ExpressionVisitor<@Nullable Object> {
    private static final List<EdmPrimitiveTypeKind> NUMBERS = List.of(EdmPrimitiveTypeKind.Byte,
            EdmPrimitiveTypeKind.SByte, EdmPrimitiveTypeKind.Int16, EdmPrimitiveTypeKind.Int32,
            EdmPrimitiveTypeKind.Int64, EdmPrimitiveTypeKind.Decimal, EdmPrimitiveTypeKind.Double,
            EdmPrimitiveTypeKind.Single);

    private final Edm edm;
    private final JsonNode node;

    private MetadataFilter(Edm edm, JsonNode node) {
        this.edm = edm;
        this.node = node;
    }

    static boolean matches(Edm edm, Expression filter, JsonNode node) {
        try {
            return Boolean.TRUE.equals(filter.accept(new MetadataFilter(edm, node)));
        } catch (ExpressionVisitException | ODataApplicationException e) {
            throw new DataverseException(400, ErrorCodes.INVALID_QUERY, "The $filter could not be evaluated.", e);
        }
    }

    /** Whether the node's actual type (its {@code @odata.type}) is the given type or derives from it. */
    static boolean isOfType(Edm edm, JsonNode node, EdmType type) {
        String typeName = node.path(AttributeNodes.TYPE).asText("");
        if (typeName.isEmpty()) {
            return false;
        }
        FullQualifiedName name = new FullQualifiedName(typeName.substring(1));
        EdmStructuredType actual = edm.getEntityType(name);
        if (actual == null) {
            actual = edm.getComplexType(name);
        }
        return actual != null && actual.compatibleTo(type);
    }

    @Override
    public @Nullable Object visitMember(Member member) {
        if (member.getStartTypeFilter() != null && !isOfType(edm, node, member.getStartTypeFilter())) {
            return null;
        }
        JsonNode current = node;
        for (UriResource part : member.getResourcePath().getUriResourceParts()) {
            UriResourceKind kind = part.getKind();
            if (kind != UriResourceKind.primitiveProperty && kind != UriResourceKind.complexProperty
                    && kind != UriResourceKind.navigationProperty) {
                throw unsupported("The path segment '" + part.getSegmentValue() + "'");
            }
            current = current.path(part.getSegmentValue());
        }
        return valueOf(current);
    }

    private static @Nullable Object valueOf(JsonNode value) {
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (value.isTextual()) {
            return value.textValue();
        }
        if (value.isNumber()) {
            return value.decimalValue();
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        return value;
    }

    @Override
    public @Nullable Object visitLiteral(Literal literal) {
        EdmType type = literal.getType();
        String text = literal.getText();
        if (type == null || text.equals("null")) {
            return null;
        }
        if (type.equals(primitive(EdmPrimitiveTypeKind.String))) {
            return text.substring(1, text.length() - 1).replace("''", "'");
        }
        if (type.equals(primitive(EdmPrimitiveTypeKind.Boolean))) {
            return Boolean.valueOf(text);
        }
        for (EdmPrimitiveTypeKind kind : NUMBERS) {
            if (type.equals(primitive(kind))) {
                try {
                    return new BigDecimal(text.replaceAll("[LlMmDdFf]$", ""));
                } catch (NumberFormatException e) {
                    throw unsupported("The number " + text);
                }
            }
        }
        return text;
    }

    private static EdmPrimitiveType primitive(EdmPrimitiveTypeKind kind) {
        return EdmPrimitiveTypeFactory.getInstance(kind);
    }

    @Override
    public @Nullable Object visitEnum(EdmEnumType type, List<String> enumValues) {
        List<String> names = new ArrayList<>();
        for (String value : enumValues) {
            names.add(memberName(type, value));
        }
        return String.join(",", names);
    }

    /** The member a literal names, by name or by value; the definitions carry member names. */
    private static String memberName(EdmEnumType type, String value) {
        if (type.getMember(value) != null) {
            return value;
        }
        for (String name : type.getMemberNames()) {
            if (type.getMember(name).getValue().equals(value)) {
                return name;
            }
        }
        throw new DataverseException(400, ErrorCodes.INVALID_QUERY, "The value '" + value
                + "' is not a member of the enum type '" + type.getFullQualifiedName().getFullQualifiedNameAsString()
                + "'.");
    }

    @Override
    public @Nullable Object visitBinaryOperator(BinaryOperatorKind operator, @Nullable Object left,
            @Nullable Object right) {
        return switch (operator) {
            case AND -> Boolean.TRUE.equals(left) && Boolean.TRUE.equals(right);
            case OR -> Boolean.TRUE.equals(left) || Boolean.TRUE.equals(right);
            case EQ, HAS -> same(left, right);
            case NE -> !same(left, right);
            case GT -> left != null && right != null && compare(left, right) > 0;
            case GE -> left != null && right != null && compare(left, right) >= 0;
            case LT -> left != null && right != null && compare(left, right) < 0;
            case LE -> left != null && right != null && compare(left, right) <= 0;
            default -> throw unsupported("The operator '" + operator + "'");
        };
    }

    @Override
    public @Nullable Object visitBinaryOperator(BinaryOperatorKind operator, @Nullable Object left,
            List<@Nullable Object> right) {
        if (operator != BinaryOperatorKind.IN) {
            throw unsupported("The operator '" + operator + "'");
        }
        return right.stream().anyMatch(candidate -> same(left, candidate));
    }

    private static boolean same(@Nullable Object left, @Nullable Object right) {
        if (left == null || right == null) {
            return left == right;
        }
        if (left instanceof BigDecimal number && right instanceof BigDecimal other) {
            return number.compareTo(other) == 0;
        }
        if (left instanceof String text && right instanceof String other) {
            return text.equalsIgnoreCase(other);
        }
        return left.equals(right);
    }

    private static int compare(Object left, Object right) {
        if (left instanceof BigDecimal number && right instanceof BigDecimal other) {
            return number.compareTo(other);
        }
        if (left instanceof String text && right instanceof String other) {
            return text.toLowerCase(Locale.ROOT).compareTo(other.toLowerCase(Locale.ROOT));
        }
        throw unsupported("Ordering comparison of these values");
    }

    @Override
    public @Nullable Object visitUnaryOperator(UnaryOperatorKind operator, @Nullable Object operand) {
        if (operator == UnaryOperatorKind.NOT) {
            return !Boolean.TRUE.equals(operand);
        }
        if (operator == UnaryOperatorKind.MINUS && operand instanceof BigDecimal number) {
            return number.negate();
        }
        throw unsupported("The operator '" + operator + "'");
    }

    @Override
    public @Nullable Object visitMethodCall(MethodKind method, List<@Nullable Object> parameters) {
        throw unsupported("The function '" + method.toString().toLowerCase(Locale.ROOT) + "'");
    }

    @Override
    public @Nullable Object visitLambdaExpression(String lambdaFunction, String lambdaVariable,
            Expression expression) {
        throw unsupported("The lambda operator '" + lambdaFunction + "'");
    }

    @Override
    public @Nullable Object visitLambdaReference(String variableName) {
        throw unsupported("The lambda variable '" + variableName + "'");
    }

    @Override
    public @Nullable Object visitAlias(String aliasName) {
        throw unsupported("The parameter alias '" + aliasName + "'");
    }

    @Override
    public @Nullable Object visitTypeLiteral(EdmType type) {
        throw unsupported("The type literal '" + type.getFullQualifiedName() + "'");
    }

    private static DataverseException unsupported(String what) {
        return new DataverseException(400, ErrorCodes.INVALID_QUERY,
                what + " is not supported in a $filter on definitions.");
    }
}
