package io.flowbin.pipeline;

import io.flowbin.error.DataverseException;

/**
 * Delivers a claimed system job to its step's handler: the stored context to a webhook or queue as written, or, for
 * an in-process plug-in, the context read back, with the plug-in's operations nested under it. Thread-safe.
 */
final class JobDelivery implements SystemJobs.Delivery {
    static final int ISV_ABORTED = 0x80040265;
    static final int ISV_UNEXPECTED = 0x80040224;

    private final Registrations registrations;
    private final StepHandlers handlers;
    private final Webhooks webhooks;
    private final QueuePublisher queues;

    JobDelivery(Registrations registrations, StepHandlers handlers, Webhooks webhooks, QueuePublisher queues) {
        this.registrations = registrations;
        this.handlers = handlers;
        this.webhooks = webhooks;
        this.queues = queues;
    }

    @Override
    public void deliver(SystemJobs.Job job) {
        Step step = job.stepId() == null ? null : registrations.current(null).byId().get(job.stepId());
        if (step == null) {
            throw new SystemJobs.JobFailure(job.stepId() == null ? "The step of this job was deleted."
                    : "The step " + job.stepId() + " of this job is disabled or no longer registered.",
                    ISV_UNEXPECTED, false, null);
        }
        switch (step.handler()) {
            case Step.PluginHandler plugin -> runPlugin(plugin, step, job);
            case Step.EndpointHandler endpoint -> {
                RemoteContextJson.Envelope envelope = RemoteContextJson.envelope(job.data());
                try {
                    if (endpoint.endpoint().webhook()) {
                        webhooks.post(endpoint.endpoint(), envelope);
                    } else {
                        queues.publish(endpoint.endpoint(), envelope, job.id());
                    }
                } catch (DeliveryException e) {
                    // webhooks have their one documented extra attempt already; queues wait for the broker
                    boolean retriable = e.transientFailure() && !endpoint.endpoint().webhook();
                    throw new SystemJobs.JobFailure(e.getMessage(), ISV_ABORTED, retriable, e);
                }
            }
        }
    }

    private void runPlugin(Step.PluginHandler handler, Step step, SystemJobs.Job job) {
        ExecutionContext context = RemoteContextJson.read(job.data(), step.configuration());
        try {
            Plugin plugin = handlers.plugin(handler);
            EventPipeline.nestedUnder(context, () -> {
                plugin.execute(context, handlers.service(context, null));
                return null;
            });
        } catch (InvalidPluginExecutionException e) {
            throw new SystemJobs.JobFailure(e.getMessage(), ISV_ABORTED, false, e);
        } catch (DataverseException e) {
            throw new SystemJobs.JobFailure(e.getMessage(), code(e.code()), false, e);
        } catch (RuntimeException e) {
            throw new SystemJobs.JobFailure("Unexpected exception from plug-in (Execute): " + e.getClass().getName()
                    + ": " + e.getMessage(), ISV_UNEXPECTED, false, e);
        }
    }

    private static int code(String hex) {
        try {
            return Integer.parseUnsignedInt(hex.startsWith("0x") ? hex.substring(2) : hex, 16);
        } catch (NumberFormatException e) {
            return ISV_UNEXPECTED;
        }
    }
}
