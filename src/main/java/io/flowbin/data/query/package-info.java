/**
 * A neutral model of a read query (columns, condition tree, order, keyset cursor, joins, expansions, aggregation)
 * and its translation to parameterised SQL for a {@link io.flowbin.data.Dialect}. The protocol layers build the
 * model; nothing here knows OData or FetchXML.
 */
@NullMarked
package io.flowbin.data.query;

import org.jspecify.annotations.NullMarked;
