package io.flowbin.pipeline;

import io.flowbin.data.Transaction;
import java.util.List;

/**
 * The platform's own work (stage 30) of a message, run by the pipeline between PreOperation and PostOperation. It
 * reads the request from the contexts (PreOperation steps may have changed them) and records its results in their
 * {@code OutputParameters} and primary ids.
 */
@FunctionalInterface
public interface MainOperation<T> {
    T run(Transaction tx, List<ExecutionContext> contexts);
}
