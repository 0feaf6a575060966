package io.flowbin.pipeline;

/**
 * An in-process step handler, found with {@link java.util.ServiceLoader} and registered by its class name
 * ({@code plugintype.typename}). Implementations must be thread-safe: one instance serves every step and call.
 * Throw {@link InvalidPluginExecutionException} to cancel the operation with a message for the caller.
 */
public interface Plugin {
    void execute(ExecutionContext context, OrganizationService service);
}
