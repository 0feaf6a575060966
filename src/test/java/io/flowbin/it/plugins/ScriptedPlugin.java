package io.flowbin.it.plugins;

import io.flowbin.pipeline.Entity;
import io.flowbin.pipeline.ExecutionContext;
import io.flowbin.pipeline.InvalidPluginExecutionException;
import io.flowbin.pipeline.OrganizationService;
import io.flowbin.pipeline.Plugin;
import io.flowbin.pipeline.PrincipalAccess;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.jspecify.annotations.Nullable;

/**
 * A plug-in whose step configuration says what it does, commands separated by {@code ;}: {@code set:col=value}
 * changes the target, {@code veto:message} cancels, {@code crash:message} throws an unexpected exception,
 * {@code touch-self} updates the step's own row, {@code create-session:name} creates a flow session,
 * {@code output-set:col=value} changes the returned entity (or every entity of a returned collection),
 * {@code output-drop:col=value} removes the returned entities with that value, {@code access-mask:n} changes the
 * rights of a {@code PrincipalAccess} parameter. Every call is
 * recorded (tagged with the first {@code tag:} command) for the tests to read. Thread-safe.
 */
public final class ScriptedPlugin implements Plugin {
    /** What a step saw, copied when it ran. */
    public record Call(String tag, String message, String table, @Nullable UUID primaryId, int stage, int mode,
            int depth, Map<String, @Nullable Object> inputs, Map<String, @Nullable Object> outputs,
            Map<String, Map<String, @Nullable Object>> preImages, Map<String, Map<String, @Nullable Object>> postImages,
            UUID userId, UUID initiatingUserId, UUID businessUnitId, UUID correlationId, boolean inTransaction,
            @Nullable UUID owningExtension) {}

    public static final ConcurrentLinkedQueue<Call> CALLS = new ConcurrentLinkedQueue<>();

    public static List<Call> calls(String tag) {
        List<Call> tagged = new ArrayList<>();
        for (Call call : CALLS) {
            if (call.tag().equals(tag)) {
                tagged.add(call);
            }
        }
        return tagged;
    }

    @Override
    public void execute(ExecutionContext context, OrganizationService service) {
        String script = Objects.requireNonNullElse(context.configuration(), "");
        String tag = "";
        for (String command : script.split(";")) {
            if (command.startsWith("tag:")) {
                tag = command.substring(4);
                break;
            }
        }
        CALLS.add(record(tag, context));
        for (String command : script.split(";")) {
            int colon = command.indexOf(':');
            String verb = colon < 0 ? command : command.substring(0, colon);
            String argument = colon < 0 ? "" : command.substring(colon + 1);
            switch (verb) {
                case "set" -> {
                    Entity target = Objects.requireNonNull(context.target());
                    int equals = argument.indexOf('=');
                    target.set(argument.substring(0, equals), argument.substring(equals + 1));
                }
                case "veto" -> throw new InvalidPluginExecutionException(argument);
                case "crash" -> throw new IllegalStateException(argument);
                case "touch-self" -> service.update(new Entity(context.primaryEntityName(),
                        context.primaryEntityId(), Map.of("metadata", "touched at depth " + context.depth())));
                case "create-session" -> service.create(new Entity("flowsession").set("name", argument));
                case "output-set" -> {
                    int equals = argument.indexOf('=');
                    for (Entity entity : returned(context)) {
                        entity.set(argument.substring(0, equals), argument.substring(equals + 1));
                    }
                }
                case "output-drop" -> {
                    int equals = argument.indexOf('=');
                    String column = argument.substring(0, equals);
                    String value = argument.substring(equals + 1);
                    if (context.outputParameters().get("BusinessEntityCollection") instanceof List<?> entities) {
                        entities.removeIf(item -> item instanceof Entity entity
                                && value.equals(entity.get(column)));
                    }
                }
                case "access-mask" -> {
                    PrincipalAccess asked = (PrincipalAccess) Objects.requireNonNull(
                            context.inputParameters().get("PrincipalAccess"));
                    context.inputParameters().put("PrincipalAccess",
                            new PrincipalAccess(asked.principal(), Integer.parseInt(argument)));
                }
                case "output" -> {
                    int equals = argument.indexOf('=');
                    context.outputParameters().put(argument.substring(0, equals), argument.substring(equals + 1));
                }
                default -> { }
            }
        }
    }

    private static List<Entity> returned(ExecutionContext context) {
        List<Entity> entities = new ArrayList<>();
        Object single = context.outputParameters().get("BusinessEntity");
        if (single instanceof Entity entity) {
            entities.add(entity);
        }
        if (context.outputParameters().get("BusinessEntityCollection") instanceof List<?> collection) {
            for (Object item : collection) {
                if (item instanceof Entity entity) {
                    entities.add(entity);
                }
            }
        }
        return entities;
    }

    private static Call record(String tag, ExecutionContext context) {
        return new Call(tag, context.messageName(), context.primaryEntityName(), context.primaryEntityId(),
                context.stage(), context.mode(), context.depth(), copy(context.inputParameters()),
                copy(context.outputParameters()), images(context.preEntityImages()),
                images(context.postEntityImages()), context.userId(), context.initiatingUserId(),
                context.businessUnitId(), context.correlationId(), context.isInTransaction(),
                context.owningExtension() == null ? null : context.owningExtension().id());
    }

    private static Map<String, @Nullable Object> copy(Map<String, @Nullable Object> values) {
        Map<String, @Nullable Object> copy = new LinkedHashMap<>();
        for (Map.Entry<String, @Nullable Object> entry : values.entrySet()) {
            Object value = entry.getValue();
            copy.put(entry.getKey(), value instanceof Entity entity ? new LinkedHashMap<>(entity.attributes())
                    : value instanceof List<?> list ? List.copyOf(list.stream().map(item -> item instanceof Entity e
                            ? (Object) new LinkedHashMap<>(e.attributes()) : item).toList())
                    : value);
        }
        return copy;
    }

    private static Map<String, Map<String, @Nullable Object>> images(Map<String, Entity> images) {
        Map<String, Map<String, @Nullable Object>> copy = new LinkedHashMap<>();
        images.forEach((alias, entity) -> copy.put(alias, new LinkedHashMap<>(entity.attributes())));
        return copy;
    }
}
