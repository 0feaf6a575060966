package io.flowbin.pipeline;

import io.flowbin.data.Database;
import io.flowbin.data.RecordStore;
import io.flowbin.metadata.Catalog;
import java.time.Clock;
import java.time.Duration;

/**
 * The event machinery of one node: the pipeline the messages run through, the registrations it reads, the handlers
 * it calls, and the system job workers. Start it once the messages are {@link #connect connected}; closing it stops
 * the workers (jobs they held return to Ready when their lease ends) and the clients. Thread-safe.
 */
public final class EventSystem implements AutoCloseable {
    private final EventPipeline pipeline;
    private final StepHandlers handlers;
    private final SystemJobs jobs;
    private final JobDelivery delivery;
    private final Webhooks webhooks;
    private final QueuePublisher queues;
    private final Registrations registrations;

    /**
     * @param workers system job workers on this node (0: this node delivers no jobs)
     * @param webhookTimeout how long a webhook may take to answer
     * @param lease how long a claimed job may stay In Progress before another node takes it again
     * @param retention how long finished jobs are kept
     * @param organizationName the {@code OrganizationName} of contexts and the {@code x-ms-dynamics-organization}
     */
    public record Settings(int workers, Duration webhookTimeout, Duration lease, Duration retention,
            String organizationName) {}

    public EventSystem(Database database, Catalog catalog, RecordStore store, Clock clock, Settings settings) {
        PluginRegistry plugins = PluginRegistry.discover(Thread.currentThread().getContextClassLoader());
        MessageCatalog.seed(database, catalog, store, plugins);
        RemoteContextJson json = new RemoteContextJson(catalog, settings.organizationName());
        this.registrations = new Registrations(database, Duration.ofSeconds(5));
        this.webhooks = new Webhooks(settings.webhookTimeout(), Math.max(2, settings.workers()),
                settings.organizationName());
        this.queues = new QueuePublisher(Duration.ofSeconds(30));
        this.handlers = new StepHandlers(plugins, webhooks, json);
        this.jobs = new SystemJobs(database, catalog, clock, new SystemJobs.Settings(settings.workers(),
                settings.lease(), settings.retention(), Duration.ofSeconds(1), Duration.ofMinutes(5)));
        this.delivery = new JobDelivery(registrations, handlers, webhooks, queues);
        jobs.autoDelete(step -> {
            Step known = registrations.current(null).byId().get(step);
            return known != null && known.asyncAutoDelete();
        });
        this.pipeline = EventPipeline.of(database, catalog, store, clock, registrations, handlers, jobs, json);
    }

    public EventPipeline pipeline() {
        return pipeline;
    }

    /** Gives plug-ins the service they call back into the messages with. */
    public void connect(OrganizationService.Factory services) {
        handlers.connect(services);
    }

    /** Starts the system job workers. */
    public void start() {
        jobs.start(delivery);
    }

    @Override
    public void close() {
        try {
            jobs.close();
        } finally {
            webhooks.close();
            queues.close();
        }
    }
}
