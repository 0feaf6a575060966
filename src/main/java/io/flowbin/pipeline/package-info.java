/**
 * The event execution pipeline: steps registered on a message run in stages 10 (PreValidation), 20 (PreOperation)
 * and 40 (PostOperation) around the platform's main operation (30), synchronously in the transaction or
 * asynchronously afterwards through system jobs. Handlers are in-process plug-ins, webhooks and queue endpoints.
 */
@NullMarked
package io.flowbin.pipeline;

import org.jspecify.annotations.NullMarked;
