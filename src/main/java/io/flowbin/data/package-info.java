/**
 * Everything that speaks SQL: the dialects, the schema generated from the table definitions and its migration, the
 * connection pool with callback transactions, and the table that turns SQL errors into Dataverse errors.
 */
@NullMarked
package io.flowbin.data;

import org.jspecify.annotations.NullMarked;
