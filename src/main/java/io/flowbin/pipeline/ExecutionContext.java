package io.flowbin.pipeline;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The execution context a step receives, with the members of Dataverse's {@code IPluginExecutionContext}. The
 * parameter collections are live: a PreOperation step that changes {@code Target} changes what the main operation
 * writes, and a PostOperation step may change {@code OutputParameters}. Not thread-safe; one per step call.
 */
public final class ExecutionContext {
    private final Operation operation;
    private final int stage;
    private final int mode;
    private final UUID userId;
    private final Map<String, Entity> preEntityImages;
    private final Map<String, Entity> postEntityImages;
    private final @Nullable EntityReference owningExtension;
    private final @Nullable String configuration;
    private final @Nullable ExecutionContext parentContext;
    private final boolean inTransaction;

    ExecutionContext(Operation operation, int stage, int mode, UUID userId, Map<String, Entity> preEntityImages,
            Map<String, Entity> postEntityImages, @Nullable EntityReference owningExtension,
            @Nullable String configuration, @Nullable ExecutionContext parentContext, boolean inTransaction) {
        this.inTransaction = inTransaction;
        this.operation = operation;
        this.stage = stage;
        this.mode = mode;
        this.userId = userId;
        this.preEntityImages = preEntityImages;
        this.postEntityImages = postEntityImages;
        this.owningExtension = owningExtension;
        this.configuration = configuration;
        this.parentContext = parentContext;
    }

    /** What all steps of one message call share: the request, the response, the identities and the tracking ids. */
    static final class Operation {
        final String messageName;
        final String primaryEntityName;
        @Nullable UUID primaryEntityId;
        final Map<String, @Nullable Object> inputParameters;
        final Map<String, @Nullable Object> outputParameters = new LinkedHashMap<>();
        final Map<String, @Nullable Object> sharedVariables = new LinkedHashMap<>();
        final UUID initiatingUserId;
        final UUID callerId;
        final UUID businessUnitId;
        final UUID organizationId;
        final UUID correlationId;
        final UUID operationId;
        final Instant operationCreatedOn;
        final int depth;

        Operation(String messageName, String primaryEntityName, @Nullable UUID primaryEntityId,
                Map<String, @Nullable Object> inputParameters, UUID initiatingUserId, UUID callerId,
                UUID businessUnitId, UUID organizationId, UUID correlationId, Instant operationCreatedOn, int depth) {
            this.messageName = messageName;
            this.primaryEntityName = primaryEntityName;
            this.primaryEntityId = primaryEntityId;
            this.inputParameters = inputParameters;
            this.initiatingUserId = initiatingUserId;
            this.callerId = callerId;
            this.businessUnitId = businessUnitId;
            this.organizationId = organizationId;
            this.correlationId = correlationId;
            this.operationId = UUID.randomUUID();
            this.operationCreatedOn = operationCreatedOn;
            this.depth = depth;
        }
    }

    Operation operation() {
        return operation;
    }

    public String messageName() {
        return operation.messageName;
    }

    public String primaryEntityName() {
        return operation.primaryEntityName;
    }

    public @Nullable UUID primaryEntityId() {
        return operation.primaryEntityId;
    }

    /** Set by the main operation once the row's id is known (Create). */
    public void primaryEntityId(UUID id) {
        operation.primaryEntityId = id;
    }

    public String secondaryEntityName() {
        return "none";
    }

    /** 10 PreValidation, 20 PreOperation, 40 PostOperation. */
    public int stage() {
        return stage;
    }

    /** 0 synchronous, 1 asynchronous. */
    public int mode() {
        return mode;
    }

    public int depth() {
        return operation.depth;
    }

    public Map<String, @Nullable Object> inputParameters() {
        return operation.inputParameters;
    }

    public Map<String, @Nullable Object> outputParameters() {
        return operation.outputParameters;
    }

    public Map<String, @Nullable Object> sharedVariables() {
        return operation.sharedVariables;
    }

    public Map<String, Entity> preEntityImages() {
        return preEntityImages;
    }

    public Map<String, Entity> postEntityImages() {
        return postEntityImages;
    }

    /** The user the step runs as: the step's impersonating user, else the caller. */
    public UUID userId() {
        return userId;
    }

    public UUID initiatingUserId() {
        return operation.initiatingUserId;
    }

    public UUID businessUnitId() {
        return operation.businessUnitId;
    }

    public UUID organizationId() {
        return operation.organizationId;
    }

    public UUID correlationId() {
        return operation.correlationId;
    }

    public UUID operationId() {
        return operation.operationId;
    }

    public Instant operationCreatedOn() {
        return operation.operationCreatedOn;
    }

    /** Whether the step runs inside the operation's database transaction. */
    public boolean isInTransaction() {
        return inTransaction;
    }

    /** The {@code sdkmessageprocessingstep} that fired, or null for the platform's own context. */
    public @Nullable EntityReference owningExtension() {
        return owningExtension;
    }

    /** The step's unsecure configuration text. */
    public @Nullable String configuration() {
        return configuration;
    }

    public @Nullable ExecutionContext parentContext() {
        return parentContext;
    }

    /** The {@code Target} input parameter as an entity, when it is one. */
    public @Nullable Entity target() {
        return operation.inputParameters.get("Target") instanceof Entity entity ? entity : null;
    }
}
