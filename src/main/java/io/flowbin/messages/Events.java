package io.flowbin.messages;

import io.flowbin.data.SqlErrors;
import io.flowbin.data.Transaction;
import io.flowbin.data.TransactionCallback;
import io.flowbin.metadata.TableDefinition;
import io.flowbin.pipeline.ColumnSet;
import io.flowbin.pipeline.Entity;
import io.flowbin.pipeline.Event;
import io.flowbin.pipeline.ExecutionContext;
import io.flowbin.pipeline.Identity;
import io.flowbin.pipeline.PrincipalAccess;
import io.flowbin.pipeline.Relationship;
import io.flowbin.security.Caller;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The events the messages raise and the translation of their values to and from what steps see: lookups as
 * {@link io.flowbin.pipeline.EntityReference}, the target as an {@link Entity}. A PATCH that sets the owner or the
 * state raises Assign and SetState beside Update; a single Create or Update also raises its multiple-record event
 * with one target, and a multiple-record message the single event per target. Stateless.
 */
final class Events {
    private Events() {}

    static Identity identity(Caller caller) {
        return new Identity(caller.userId(), caller.businessUnitId(), caller.organizationId(), caller.onBehalfOf());
    }

    static Entity entity(TableDefinition table, @Nullable UUID id, Map<String, @Nullable Object> values) {
        Map<String, @Nullable Object> attributes = new LinkedHashMap<>();
        for (Map.Entry<String, @Nullable Object> entry : values.entrySet()) {
            attributes.put(entry.getKey(), toStep(entry.getValue()));
        }
        return new Entity(table.logicalName(), id, attributes);
    }

    /** The columns of a target as the messages take them. */
    static Map<String, @Nullable Object> values(Entity target) {
        Map<String, @Nullable Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, @Nullable Object> entry : target.attributes().entrySet()) {
            values.put(entry.getKey(), fromStep(entry.getValue()));
        }
        return values;
    }

    private static @Nullable Object toStep(@Nullable Object value) {
        return value instanceof EntityReference reference
                ? new io.flowbin.pipeline.EntityReference(reference.table(), reference.id()) : value;
    }

    private static @Nullable Object fromStep(@Nullable Object value) {
        return value instanceof io.flowbin.pipeline.EntityReference reference
                ? new EntityReference(reference.logicalName(), reference.id()) : value;
    }

    private static boolean has(TableDefinition table, String message) {
        return table.messages().stream().anyMatch(definition -> definition.name().equals(message));
    }

    static List<Event> create(TableDefinition table, Map<String, @Nullable Object> values) {
        Object sent = values.get(table.primaryIdAttribute());
        UUID id = sent instanceof UUID given ? given : null;
        Entity target = entity(table, id, values);
        Map<String, @Nullable Object> single = new LinkedHashMap<>();
        single.put("Target", target);
        Map<String, @Nullable Object> multiple = new LinkedHashMap<>();
        multiple.put("Targets", new ArrayList<>(List.of(target)));
        return List.of(new Event("Create", table, id, single), new Event("CreateMultiple", table, id, multiple));
    }

    /** After the main operation of a Create: the id in the contexts' outputs and the target. */
    static void created(List<ExecutionContext> contexts, UUID id) {
        for (ExecutionContext context : contexts) {
            context.primaryEntityId(id);
            if (context.messageName().equals("CreateMultiple")) {
                context.outputParameters().put("Ids", List.of(id));
            } else {
                context.outputParameters().put("id", id);
            }
            Entity target = context.target();
            if (target != null) {
                target.id(id);
            }
        }
    }

    static List<Event> createMultiple(TableDefinition table, List<Map<String, @Nullable Object>> targets) {
        List<Event> events = new ArrayList<>(targets.size() + 1);
        List<Object> entities = new ArrayList<>(targets.size());
        Map<String, @Nullable Object> multiple = new LinkedHashMap<>();
        multiple.put("Targets", entities);
        events.add(new Event("CreateMultiple", table, null, multiple));
        for (Map<String, @Nullable Object> values : targets) {
            Object sent = values.get(table.primaryIdAttribute());
            Entity target = entity(table, sent instanceof UUID given ? given : null, values);
            entities.add(target);
            Map<String, @Nullable Object> single = new LinkedHashMap<>();
            single.put("Target", target);
            events.add(new Event("Create", table, target.id(), single));
        }
        return events;
    }

    /** The targets of a multiple-record event as the messages take them, in order. */
    static List<Map<String, @Nullable Object>> targets(ExecutionContext multiple) {
        List<Map<String, @Nullable Object>> values = new ArrayList<>();
        if (multiple.inputParameters().get("Targets") instanceof List<?> entities) {
            for (Object entity : entities) {
                if (entity instanceof Entity target) {
                    values.add(values(target));
                }
            }
        }
        return values;
    }

    static void createdMultiple(List<ExecutionContext> contexts, List<UUID> ids) {
        contexts.get(0).outputParameters().put("Ids", List.copyOf(ids));
        for (int i = 1; i < contexts.size() && i - 1 < ids.size(); i++) {
            ExecutionContext context = contexts.get(i);
            UUID id = ids.get(i - 1);
            context.primaryEntityId(id);
            context.outputParameters().put("id", id);
            Entity target = context.target();
            if (target != null) {
                target.id(id);
            }
        }
    }

    static List<Event> updateMultiple(TableDefinition table, List<Map<String, @Nullable Object>> targets) {
        List<Event> events = new ArrayList<>(targets.size() + 1);
        List<Object> entities = new ArrayList<>(targets.size());
        Map<String, @Nullable Object> multiple = new LinkedHashMap<>();
        multiple.put("Targets", entities);
        events.add(new Event("UpdateMultiple", table, null, multiple));
        for (Map<String, @Nullable Object> values : targets) {
            Object key = values.get(table.primaryIdAttribute());
            Entity target = entity(table, key instanceof UUID id ? id : null, values);
            entities.add(target);
            Map<String, @Nullable Object> single = new LinkedHashMap<>();
            single.put("Target", target);
            events.add(new Event("Update", table, target.id(), single));
        }
        return events;
    }

    /**
     * The events of a PATCH of an existing row: Assign for {@code ownerid}, SetState for {@code statecode} and
     * {@code statuscode} (when the table has those messages), and Update (with UpdateMultiple) for the other
     * columns, or for all when nothing else is raised.
     */
    static List<Event> patch(TableDefinition table, UUID id, Map<String, @Nullable Object> values) {
        List<Event> events = new ArrayList<>(3);
        Map<String, @Nullable Object> rest = new LinkedHashMap<>(values);
        io.flowbin.pipeline.EntityReference row = new io.flowbin.pipeline.EntityReference(table.logicalName(), id);
        if (values.get("ownerid") instanceof EntityReference owner && has(table, "Assign")) {
            rest.remove("ownerid");
            Map<String, @Nullable Object> inputs = new LinkedHashMap<>();
            inputs.put("Target", row);
            inputs.put("Assignee", toStep(owner));
            events.add(new Event("Assign", table, id, inputs));
        }
        if ((values.containsKey("statecode") || values.containsKey("statuscode")) && has(table, "SetState")) {
            Map<String, @Nullable Object> inputs = new LinkedHashMap<>();
            inputs.put("EntityMoniker", row);
            inputs.put("State", rest.remove("statecode"));
            inputs.put("Status", rest.remove("statuscode"));
            events.add(new Event("SetState", table, id, inputs));
        }
        rest.remove(table.primaryIdAttribute());
        if (!rest.isEmpty() || events.isEmpty()) {
            Entity target = entity(table, id, rest);
            Map<String, @Nullable Object> single = new LinkedHashMap<>();
            single.put("Target", target);
            events.add(new Event("Update", table, id, single));
            Map<String, @Nullable Object> multiple = new LinkedHashMap<>();
            multiple.put("Targets", new ArrayList<>(List.of(target)));
            events.add(new Event("UpdateMultiple", table, id, multiple));
        }
        return events;
    }

    /** The columns a PATCH writes after its PreOperation steps: the Update target, the assignee, the state. */
    static Map<String, @Nullable Object> patchValues(List<ExecutionContext> contexts) {
        Map<String, @Nullable Object> values = new LinkedHashMap<>();
        for (ExecutionContext context : contexts) {
            switch (context.messageName()) {
                case "Assign" -> values.put("ownerid", fromStep(context.inputParameters().get("Assignee")));
                case "SetState" -> {
                    if (context.inputParameters().get("State") != null) {
                        values.put("statecode", context.inputParameters().get("State"));
                    }
                    if (context.inputParameters().get("Status") != null) {
                        values.put("statuscode", context.inputParameters().get("Status"));
                    }
                }
                case "Update" -> {
                    Entity target = context.target();
                    if (target != null) {
                        values.putAll(values(target));
                    }
                }
                default -> { }
            }
        }
        return values;
    }

    static List<Event> delete(TableDefinition table, UUID id) {
        Map<String, @Nullable Object> inputs = new LinkedHashMap<>();
        inputs.put("Target", new io.flowbin.pipeline.EntityReference(table.logicalName(), id));
        return List.of(new Event("Delete", table, id, inputs));
    }

    static io.flowbin.pipeline.EntityReference reference(EntityReference reference) {
        return new io.flowbin.pipeline.EntityReference(reference.table(), reference.id());
    }

    private static Map<String, @Nullable Object> target(TableDefinition table, UUID id) {
        Map<String, @Nullable Object> inputs = new LinkedHashMap<>();
        inputs.put("Target", new io.flowbin.pipeline.EntityReference(table.logicalName(), id));
        return inputs;
    }

    static List<Event> retrieve(TableDefinition table, UUID id, List<String> columns) {
        Map<String, @Nullable Object> inputs = target(table, id);
        inputs.put("ColumnSet", new ColumnSet(false, columns));
        return List.of(new Event("Retrieve", table, id, inputs));
    }

    static List<Event> retrieveMultiple(TableDefinition table, Object query) {
        Map<String, @Nullable Object> inputs = new LinkedHashMap<>();
        inputs.put("Query", query);
        return List.of(new Event("RetrieveMultiple", table, null, inputs));
    }

    /** Associate or Disassociate: the target, the relationship's schema name and the rows on the other side. */
    static List<Event> associate(boolean associate, TableDefinition table, UUID id, String relationship,
            List<EntityReference> related) {
        Map<String, @Nullable Object> inputs = target(table, id);
        inputs.put("Relationship", new Relationship(relationship, null));
        List<Object> references = new ArrayList<>(related.size());
        for (EntityReference reference : related) {
            references.add(reference(reference));
        }
        inputs.put("RelatedEntities", references);
        return List.of(new Event(associate ? "Associate" : "Disassociate", table, id, inputs));
    }

    /** GrantAccess or ModifyAccess: the target and the principal with the rights asked for. */
    static List<Event> share(String message, TableDefinition table, UUID id, EntityReference principal, int mask) {
        Map<String, @Nullable Object> inputs = target(table, id);
        inputs.put("PrincipalAccess", new PrincipalAccess(reference(principal), mask));
        return List.of(new Event(message, table, id, inputs));
    }

    static List<Event> revoke(TableDefinition table, UUID id, EntityReference revokee) {
        Map<String, @Nullable Object> inputs = target(table, id);
        inputs.put("Revokee", reference(revokee));
        return List.of(new Event("RevokeAccess", table, id, inputs));
    }

    static List<Event> principalAccess(TableDefinition table, UUID id, EntityReference principal) {
        Map<String, @Nullable Object> inputs = target(table, id);
        inputs.put("Principal", reference(principal));
        return List.of(new Event("RetrievePrincipalAccess", table, id, inputs));
    }

    static List<Event> sharedPrincipals(TableDefinition table, UUID id) {
        return List.of(new Event("RetrieveSharedPrincipalsAndAccess", table, id, target(table, id)));
    }

    /** Runs SQL work of a main operation, translating its SQL errors. */
    static <T> T sql(Transaction tx, TransactionCallback<T> work) {
        try {
            return work.inTransaction(tx);
        } catch (SQLException e) {
            throw SqlErrors.toDataverse(SqlErrors.classify(tx.dialect(), e));
        }
    }
}
