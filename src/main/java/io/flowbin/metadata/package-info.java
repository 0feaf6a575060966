/**
 * Table, column, choice, relationship and message definitions as immutable records: the data that drives every
 * other layer. Definitions are imported from Dataverse table reference pages and shipped as JSON.
 */
@NullMarked
package io.flowbin.metadata;

import org.jspecify.annotations.NullMarked;
