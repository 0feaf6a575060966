package io.flowbin.pipeline;

import io.flowbin.data.Database;
import io.flowbin.data.RecordStore;
import io.flowbin.data.StoredRow;
import io.flowbin.data.Transaction;
import io.flowbin.error.DataverseException;
import io.flowbin.metadata.Catalog;
import io.flowbin.metadata.TableDefinition;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Runs a message's events through the stages: PreValidation (outside the transaction for the initial operation),
 * PreOperation, the platform's main operation, PostOperation, and for asynchronous steps a system job written in
 * the same transaction. Steps of a stage run in rank order; a failing synchronous step cancels the operation. The
 * depth of nested operations is tracked per thread and an operation that would run steps beyond {@link #MAX_DEPTH}
 * fails as an infinite loop. Thread-safe.
 */
public final class EventPipeline {
    /** The documented maximum depth of nested step-triggered operations. */
    public static final int MAX_DEPTH = 8;
    static final String ISV_ABORTED = "0x80040265";
    static final String ISV_UNEXPECTED = "0x80040224";
    static final String INFINITE_LOOP = "0x80044182";

    private static final ThreadLocal<Frame> CURRENT = new ThreadLocal<>();

    private final Database database;
    private final Catalog catalog;
    private final RecordStore store;
    private final Clock clock;
    private final @Nullable Registrations registrations;
    private final @Nullable StepHandlers handlers;
    private final @Nullable SystemJobs jobs;
    private final @Nullable RemoteContextJson json;

    private EventPipeline(Database database, Catalog catalog, RecordStore store, Clock clock,
            @Nullable Registrations registrations, @Nullable StepHandlers handlers, @Nullable SystemJobs jobs,
            @Nullable RemoteContextJson json) {
        this.json = json;
        this.database = database;
        this.catalog = catalog;
        this.store = store;
        this.clock = clock;
        this.registrations = registrations;
        this.handlers = handlers;
        this.jobs = jobs;
    }

    /** A pipeline that runs only the main operation: for tools and tests of the messages alone. */
    public static EventPipeline withoutSteps(Database database, Catalog catalog, RecordStore store, Clock clock) {
        return new EventPipeline(database, catalog, store, clock, null, null, null, null);
    }

    static EventPipeline of(Database database, Catalog catalog, RecordStore store, Clock clock,
            Registrations registrations, StepHandlers handlers, SystemJobs jobs, RemoteContextJson json) {
        return new EventPipeline(database, catalog, store, clock, registrations, handlers, jobs, json);
    }

    /**
     * Whether an enabled step fires on the message for the table: a lookup in the current registrations, without
     * a transaction or an allocation while they are fresh. Lets the hottest messages (Retrieve, RetrieveMultiple)
     * skip the pipeline when nothing listens.
     */
    public boolean hasSteps(String message, TableDefinition table) {
        return registrations != null && registrations.current(null).has(message, table.logicalName());
    }

    /** A stored row as steps see it: lookup ids become references to their table; no version, no empty columns. */
    public Entity entity(TableDefinition table, @Nullable UUID id, Map<String, @Nullable Object> stored) {
        return Rows.entity(catalog, table, id, stored);
    }

    /** The step running on this thread and the transaction it runs in, if any. */
    record Frame(ExecutionContext context, @Nullable Transaction tx) {}

    /** Runs the events around the main operation in a transaction of their own. */
    public <T> T execute(Identity identity, List<Event> events, MainOperation<T> main) {
        return execute(null, identity, events, main);
    }

    /**
     * Runs the events around the main operation; with a transaction, everything runs in it (PreValidation too, as
     * for an operation started by a step), without one the pipeline opens it after PreValidation.
     */
    public <T> T execute(@Nullable Transaction tx, Identity identity, List<Event> events, MainOperation<T> main) {
        Frame parent = CURRENT.get();
        int depth = parent == null ? 1 : parent.context().depth() + 1;
        UUID correlationId = parent == null ? UUID.randomUUID() : parent.context().correlationId();
        Registrations.Snapshot snapshot = registrations == null ? null : registrations.current(tx);
        List<Planned> planned = new ArrayList<>(events.size());
        boolean anySteps = false;
        boolean registrationWrite = false;
        for (Event event : events) {
            ExecutionContext.Operation operation = new ExecutionContext.Operation(event.message(),
                    event.table().logicalName(), event.primaryId(), event.inputParameters(),
                    identity.initiatingUserId(), identity.userId(), identity.businessUnitId(),
                    identity.organizationId(), correlationId, clock.instant(), depth);
            List<Step> steps = snapshot == null ? List.of() : firing(event, snapshot);
            anySteps |= !steps.isEmpty();
            registrationWrite |= RegistrationRules.TABLES.contains(event.table().logicalName());
            planned.add(new Planned(event, operation, steps));
        }
        ExecutionContext parentContext = parent == null ? null : parent.context();
        if (!anySteps) {
            boolean invalidates = registrationWrite;
            return tx == null
                    ? database.inTransaction(t -> mainOnly(t, planned, main, parentContext, invalidates))
                    : mainOnly(tx, planned, main, parentContext, invalidates);
        }
        if (depth > MAX_DEPTH) {
            throw new DataverseException(400, INFINITE_LOOP, "This workflow job was canceled because the workflow"
                    + " that started it included an infinite loop. Correct the workflow logic and try again.");
        }
        Run run = new Run(planned, parentContext, registrationWrite);
        if (tx == null) {
            run.stage(null, Step.PRE_VALIDATION);
            return database.inTransaction(t -> run.inside(t, main));
        }
        run.stage(tx, Step.PRE_VALIDATION);
        return run.inside(tx, main);
    }

    private <T> T mainOnly(Transaction tx, List<Planned> planned, MainOperation<T> main,
            @Nullable ExecutionContext parentContext, boolean invalidates) {
        List<ExecutionContext> contexts = new ArrayList<>(planned.size());
        for (Planned each : planned) {
            contexts.add(platformContext(each, parentContext));
        }
        if (invalidates) {
            RegistrationRules.check(tx, catalog, store, contexts);
            tx.afterCommit(this::registrationsChanged);
        }
        return main.run(tx, contexts);
    }

    private void registrationsChanged() {
        if (registrations != null) {
            registrations.invalidate();
        }
        if (jobs != null) {
            jobs.wake(); // a job set back to Ready
        }
    }

    private static ExecutionContext platformContext(Planned planned, @Nullable ExecutionContext parentContext) {
        return new ExecutionContext(planned.operation(), 30, Step.SYNCHRONOUS, planned.operation().callerId,
                Map.of(), Map.of(), null, null, parentContext, true);
    }

    private static List<Step> firing(Event event, Registrations.Snapshot snapshot) {
        List<Step> steps = snapshot.of(event.message(), event.table().logicalName());
        if (event.inputParameters().get("Relationship") instanceof Relationship
                && event.inputParameters().get("RelatedEntities") instanceof List<?> related) {
            return associating(event, steps, related, snapshot);
        }
        if (steps.isEmpty() || !event.message().equals("Update")) {
            return steps;
        }
        Object target = event.inputParameters().get("Target");
        if (!(target instanceof Entity entity)) {
            return steps;
        }
        List<Step> firing = new ArrayList<>(steps.size());
        for (Step step : steps) {
            if (step.firesOn(entity.attributes().keySet())) {
                firing.add(step);
            }
        }
        return firing;
    }

    /**
     * The steps of an Associate or Disassociate: those on the target's table and those on the tables of the related
     * rows, each once, since the link concerns both sides.
     */
    private static List<Step> associating(Event event, List<Step> steps, List<?> related,
            Registrations.Snapshot snapshot) {
        List<Step> firing = new ArrayList<>(steps);
        for (Object item : related) {
            if (item instanceof EntityReference reference
                    && !reference.logicalName().equals(event.table().logicalName())) {
                for (Step step : snapshot.of(event.message(), reference.logicalName())) {
                    if (!firing.contains(step)) {
                        firing.add(step);
                    }
                }
            }
        }
        firing.sort(Registrations.ORDER);
        return firing;
    }

    /** One event with its shared operation state and the steps that fire on it. */
    private record Planned(Event event, ExecutionContext.Operation operation, List<Step> steps) {}

    /** One run of the stages over a message's events; holds the images read for them. */
    private final class Run {
        private final List<Planned> planned;
        private final @Nullable ExecutionContext parentContext;
        private final boolean registrationWrite;
        private final Map<Planned, Entity> before = new HashMap<>();
        private final Map<Planned, Entity> after = new HashMap<>();

        Run(List<Planned> planned, @Nullable ExecutionContext parentContext, boolean registrationWrite) {
            this.planned = planned;
            this.parentContext = parentContext;
            this.registrationWrite = registrationWrite;
        }

        <T> T inside(Transaction tx, MainOperation<T> main) {
            for (Planned each : planned) {
                if (each.steps().stream().anyMatch(step -> step.images().stream().anyMatch(Step.Image::pre))) {
                    Entity row = row(tx, each);
                    if (row != null) {
                        before.put(each, row);
                    }
                }
            }
            stage(tx, Step.PRE_OPERATION);
            List<ExecutionContext> contexts = new ArrayList<>(planned.size());
            for (Planned each : planned) {
                contexts.add(platformContext(each, parentContext));
            }
            if (registrationWrite) {
                RegistrationRules.check(tx, catalog, store, contexts);
                tx.afterCommit(EventPipeline.this::registrationsChanged);
            }
            T result = main.run(tx, contexts);
            for (Planned each : planned) {
                // a Create's target already holds the primary name asynchronous steps report; other images read
                boolean wantsRow = each.steps().stream().anyMatch(step -> step.images().stream()
                        .anyMatch(Step.Image::post) || (step.mode() == Step.ASYNCHRONOUS
                                && !each.event().message().equals("Create")));
                if (wantsRow && !each.event().message().equals("Delete")) {
                    Entity row = row(tx, each);
                    if (row != null) {
                        after.put(each, row);
                    }
                }
            }
            stage(tx, Step.POST_OPERATION);
            enqueueAsynchronous(tx);
            return result;
        }

        void stage(@Nullable Transaction tx, int stage) {
            for (Planned each : planned) {
                for (Step step : each.steps()) {
                    if (step.stage() == stage && step.mode() == Step.SYNCHRONOUS) {
                        invoke(tx, each, step, context(each, step, tx != null));
                    }
                }
            }
        }

        private void enqueueAsynchronous(Transaction tx) {
            for (Planned each : planned) {
                for (Step step : each.steps()) {
                    if (step.mode() == Step.ASYNCHRONOUS && jobs != null) {
                        ExecutionContext context = context(each, step, false);
                        Entity row = after.get(each);
                        if (row == null && each.event().message().equals("Create")) {
                            row = context.target();
                        }
                        if (row != null && row.id() != null) {
                            TableDefinition table = each.event().table();
                            Map<String, @Nullable Object> name = new java.util.LinkedHashMap<>();
                            if (table.primaryNameAttribute() != null) {
                                name.put(table.primaryNameAttribute(), row.get(table.primaryNameAttribute()));
                            }
                            name.put(table.primaryIdAttribute(), row.id());
                            context.postEntityImages().put("AsynchronousStepPrimaryName",
                                    new Entity(table.logicalName(), row.id(), name));
                        }
                        jobs.enqueue(tx, step, context, Objects.requireNonNull(json).write(context, false));
                    }
                }
            }
        }

        private ExecutionContext context(Planned each, Step step, boolean inTransaction) {
            Map<String, Entity> pre = new java.util.LinkedHashMap<>();
            Map<String, Entity> post = new java.util.LinkedHashMap<>();
            for (Step.Image image : step.images()) {
                Entity beforeRow = before.get(each);
                if (image.pre() && beforeRow != null) {
                    pre.put(image.alias(), only(beforeRow, image));
                }
                Entity afterRow = after.get(each);
                if (image.post() && afterRow != null && step.stage() == Step.POST_OPERATION) {
                    post.put(image.alias(), only(afterRow, image));
                }
            }
            UUID user = step.impersonatingUserId() != null
                    ? step.impersonatingUserId() : each.operation().callerId;
            return new ExecutionContext(each.operation(), step.stage(), step.mode(), user, pre, post,
                    new EntityReference("sdkmessageprocessingstep", step.id()), step.configuration(), parentContext,
                    inTransaction);
        }

        private @Nullable Entity row(Transaction tx, Planned each) {
            UUID id = each.operation().primaryEntityId;
            if (id == null) {
                return null;
            }
            TableDefinition table = each.event().table();
            StoredRow row = store.select(tx, table, id, catalog.storedColumns(table), false);
            return row == null ? null : Rows.entity(catalog, table, id, row.values());
        }
    }

    private static Entity only(Entity row, Step.Image image) {
        if (image.attributes() == null) {
            return row.copy();
        }
        Map<String, @Nullable Object> values = new java.util.LinkedHashMap<>();
        for (String column : image.attributes()) {
            if (row.contains(column)) {
                values.put(column, row.get(column));
            }
        }
        return new Entity(row.logicalName(), row.id(), values);
    }

    private void invoke(@Nullable Transaction tx, Planned planned, Step step, ExecutionContext context) {
        StepHandlers stepHandlers = java.util.Objects.requireNonNull(handlers);
        Frame previous = CURRENT.get();
        CURRENT.set(new Frame(context, tx));
        try {
            stepHandlers.invoke(step, context, tx);
        } finally {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }

    /** Runs work as the step of a system job: operations it starts are nested under the job's context. */
    static <T> T nestedUnder(ExecutionContext context, java.util.function.Supplier<T> work) {
        Frame previous = CURRENT.get();
        CURRENT.set(new Frame(context, null));
        try {
            return work.get();
        } finally {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }
}
