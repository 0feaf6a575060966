package io.flowbin.odata;

import io.flowbin.data.query.ColumnRef;
import io.flowbin.data.query.Order;
import io.flowbin.metadata.AttributeType;
import io.flowbin.metadata.Catalog;
import io.flowbin.metadata.ColumnDefinition;
import io.flowbin.metadata.TableDefinition;
import java.util.ArrayList;
import java.util.List;
import org.apache.olingo.server.api.uri.UriResource;
import org.apache.olingo.server.api.uri.UriResourcePrimitiveProperty;
import org.apache.olingo.server.api.uri.queryoption.OrderByItem;
import org.apache.olingo.server.api.uri.queryoption.OrderByOption;
import org.apache.olingo.server.api.uri.queryoption.expression.Member;
import org.jspecify.annotations.Nullable;

/** Translates {@code $orderby} into sort keys on the queried table's columns. Stateless. */
final class Ordering {
    private Ordering() {}

    static List<Order> of(Catalog catalog, TableDefinition table, @Nullable OrderByOption option) {
        if (option == null) {
            return List.of();
        }
        List<Order> order = new ArrayList<>();
        for (OrderByItem item : option.getOrders()) {
            if (!(item.getExpression() instanceof Member member)) {
                throw QueryErrors.notSupported("Ordering by an expression");
            }
            List<UriResource> parts = member.getResourcePath().getUriResourceParts();
            if (parts.size() != 1 || !(parts.get(0) instanceof UriResourcePrimitiveProperty property)) {
                throw QueryErrors.notSupported("Ordering by a navigation path");
            }
            ColumnRef column = ColumnRef.root(column(catalog, table, property.getProperty().getName()));
            if (order.stream().noneMatch(existing -> existing.column().equals(column))) {
                order.add(new Order(column, item.isDescending()));
            }
        }
        return order;
    }

    static ColumnDefinition column(Catalog catalog, TableDefinition table, String property) {
        String lookup = PropertyNames.lookupColumnOf(property);
        ColumnDefinition column = table.column(lookup != null ? lookup : property);
        if (column == null || column.type() == AttributeType.VIRTUAL
                || !catalog.storedColumns(table).contains(column)) {
            throw QueryErrors.unknownProperty(table, property);
        }
        return column;
    }

    /** The columns with the sort keys' columns appended: a page's cookie needs the values of every key. */
    static List<ColumnRef> withOrderColumns(List<ColumnRef> columns, List<Order> order) {
        List<ColumnRef> all = new ArrayList<>(columns);
        for (Order key : order) {
            if (!all.contains(key.column())) {
                all.add(key.column());
            }
        }
        return all;
    }
}
