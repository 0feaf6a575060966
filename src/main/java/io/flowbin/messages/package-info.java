/**
 * One small handler per Dataverse message (Create, Retrieve, Update, Upsert, Delete, WhoAmI…), each taking a typed
 * request record. Handlers apply the metadata's rules (system columns, defaults, validation) and call the store.
 */
@NullMarked
package io.flowbin.messages;

import org.jspecify.annotations.NullMarked;
