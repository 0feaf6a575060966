package io.flowbin.bench;

import io.flowbin.pipeline.Entity;
import io.flowbin.pipeline.ExecutionContext;
import io.flowbin.pipeline.OrganizationService;
import io.flowbin.pipeline.Plugin;

/**
 * The plug-in of the event benchmark's synchronous scenario: sets one column of the target, as a PreOperation step
 * typically does, and keeps nothing (the tests' scripted plug-in records every call, which a benchmark of hundreds
 * of thousands of calls would pay for in memory). Thread-safe.
 */
public final class StampPlugin implements Plugin {
    @Override
    public void execute(ExecutionContext context, OrganizationService service) {
        Entity target = context.target();
        if (target != null) {
            target.set("metadata", "stamped");
        }
    }
}
