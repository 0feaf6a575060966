package io.flowbin.pipeline;

import io.flowbin.data.Transaction;
import io.flowbin.error.DataverseException;
import org.jspecify.annotations.Nullable;

/**
 * Calls a step's handler synchronously and turns its failure into the caller's error: a plug-in's
 * {@link InvalidPluginExecutionException} or an endpoint's refusal as IsvAborted (400, 0x80040265) with its message,
 * any other exception as IsvUnExpected. Errors of operations the step started pass through unchanged. Thread-safe.
 */
final class StepHandlers {
    private final PluginRegistry plugins;
    private final Webhooks webhooks;
    private final RemoteContextJson json;
    private volatile OrganizationService.@Nullable Factory services;

    StepHandlers(PluginRegistry plugins, Webhooks webhooks, RemoteContextJson json) {
        this.plugins = plugins;
        this.webhooks = webhooks;
        this.json = json;
    }

    void connect(OrganizationService.Factory factory) {
        this.services = factory;
    }

    void invoke(Step step, ExecutionContext context, @Nullable Transaction tx) {
        try {
            switch (step.handler()) {
                case Step.PluginHandler handler -> plugin(handler).execute(context, service(context, tx));
                case Step.EndpointHandler handler -> {
                    if (!handler.endpoint().webhook()) {
                        throw new DeliveryException("The endpoint " + handler.endpoint().name()
                                + " takes asynchronous steps only.", false, null);
                    }
                    webhooks.post(handler.endpoint(), json.envelope(context));
                }
            }
        } catch (DataverseException e) {
            throw e;
        } catch (InvalidPluginExecutionException e) {
            throw new DataverseException(400, EventPipeline.ISV_ABORTED, String.valueOf(e.getMessage()), e);
        } catch (DeliveryException e) {
            throw new DataverseException(400, EventPipeline.ISV_ABORTED, String.valueOf(e.getMessage()), e);
        } catch (RuntimeException e) {
            throw new DataverseException(400, EventPipeline.ISV_UNEXPECTED, "Unexpected exception from plug-in"
                    + " (Execute): " + e.getClass().getName() + ": " + e.getMessage(), e);
        }
    }

    Plugin plugin(Step.PluginHandler handler) {
        Plugin plugin = plugins.plugin(handler.typeName());
        if (plugin == null) {
            throw new IllegalStateException("The plug-in type " + handler.typeName() + " is not on the class path");
        }
        return plugin;
    }

    OrganizationService service(ExecutionContext context, @Nullable Transaction tx) {
        OrganizationService.Factory factory = services;
        if (factory == null) {
            throw new IllegalStateException("The pipeline is not connected to the messages");
        }
        return factory.forUser(tx, context.userId(), context.businessUnitId(), context.organizationId());
    }
}
