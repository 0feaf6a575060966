package io.flowbin.pipeline;

import io.flowbin.data.RecordStore;
import io.flowbin.data.StoredRow;
import io.flowbin.data.Transaction;
import io.flowbin.error.ErrorCodes;
import io.flowbin.metadata.Catalog;
import io.flowbin.metadata.ChoiceOption;
import io.flowbin.metadata.ColumnDefinition;
import io.flowbin.metadata.MessageDefinition;
import io.flowbin.metadata.TableDefinition;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The platform's own checks on writes to the registration tables and system jobs, run as part of the main
 * operation: steps only in stages 10, 20 and 40, asynchronous steps only in PostOperation, a message filter that
 * is an event of its table, images only where the message has them, endpoints this server can call, and only the
 * documented changes to system jobs. Stateless.
 */
final class RegistrationRules {
    static final Set<String> TABLES = Set.of("sdkmessage", "sdkmessagefilter", "sdkmessageprocessingstep",
            "sdkmessageprocessingstepimage", "serviceendpoint", "plugintype", "asyncoperation");
    private static final Set<String> IMAGE_MESSAGES = Set.of("Create", "Update", "Delete", "Assign", "SetState");
    private static final Set<Integer> CUSTOM_STAGES = Set.of(10, 20, 40);

    private RegistrationRules() {}

    static void check(Transaction tx, Catalog catalog, RecordStore store, List<ExecutionContext> contexts) {
        for (ExecutionContext context : contexts) {
            String table = context.primaryEntityName();
            String message = context.messageName();
            if (!TABLES.contains(table) || !(message.equals("Create") || message.equals("Update"))) {
                if (table.equals("asyncoperation") && message.equals("SetState")) {
                    asyncOperation(tx, catalog, store, context, contexts);
                }
                continue;
            }
            switch (table) {
                case "sdkmessage", "sdkmessagefilter" -> throw ErrorCodes.invalidArgument("The " + table
                        + " rows are maintained by the platform from the messages of each table; they cannot be"
                        + " created or changed.");
                case "sdkmessageprocessingstep" -> step(tx, catalog, merged(tx, catalog, store, context));
                case "sdkmessageprocessingstepimage" -> image(tx, catalog, merged(tx, catalog, store, context));
                case "serviceendpoint" -> endpoint(catalog, merged(tx, catalog, store, context));
                case "asyncoperation" -> asyncOperation(tx, catalog, store, context, contexts);
                default -> { }
            }
        }
    }

    /** The row as it will be: the stored columns overlaid with the target's. */
    private static Map<String, @Nullable Object> merged(Transaction tx, Catalog catalog, RecordStore store,
            ExecutionContext context) {
        Map<String, @Nullable Object> values = new LinkedHashMap<>();
        TableDefinition table = Objects.requireNonNull(catalog.table(context.primaryEntityName()));
        UUID id = context.primaryEntityId();
        if (context.messageName().equals("Update") && id != null) {
            StoredRow row = store.select(tx, table, id, catalog.storedColumns(table), false);
            if (row != null) {
                values.putAll(row.values());
            }
        }
        Entity target = context.target();
        if (target != null) {
            values.putAll(target.attributes());
        }
        return values;
    }

    private static void step(Transaction tx, Catalog catalog, Map<String, @Nullable Object> step) {
        UUID messageId = id(step.get("sdkmessageid"));
        if (messageId == null) {
            throw ErrorCodes.invalidArgument("A step needs its message: set sdkmessageid@odata.bind.");
        }
        String message = Lookups.messageName(tx, messageId);
        if (message == null) {
            throw ErrorCodes.invalidArgument("The sdkmessage " + messageId + " does not exist.");
        }
        int stage = number(step.get("stage"), 10);
        if (!CUSTOM_STAGES.contains(stage)) {
            TableDefinition steps = Objects.requireNonNull(catalog.table("sdkmessageprocessingstep"));
            ColumnDefinition column = Objects.requireNonNull(steps.column("stage"));
            ChoiceOption option = column.option(stage);
            throw ErrorCodes.invalidArgument("Stage " + stage + (option == null ? "" : " (" + option.label() + ")")
                    + " is not open to custom steps: register in stage 10 (PreValidation), 20 (PreOperation) or"
                    + " 40 (PostOperation).");
        }
        int mode = number(step.get("mode"), 0);
        if (mode == 1 && stage != 40) {
            throw ErrorCodes.invalidArgument("An asynchronous step (mode 1) must be registered in stage 40"
                    + " (PostOperation); this one is in stage " + stage + ".");
        }
        String table = null;
        UUID filterId = id(step.get("sdkmessagefilterid"));
        if (filterId != null) {
            Lookups.Filter filter = Lookups.filter(tx, filterId);
            if (filter == null) {
                throw ErrorCodes.invalidArgument("The sdkmessagefilter " + filterId + " does not exist.");
            }
            if (!filter.messageId().equals(messageId)) {
                throw ErrorCodes.invalidArgument("The sdkmessagefilter " + filterId + " belongs to another message"
                        + " than " + message + ".");
            }
            table = filter.table();
            if (!filter.customStepsAllowed() || !isEvent(catalog, table, message)) {
                throw ErrorCodes.invalidArgument("The message " + message + " is not an event of " + table
                        + ": custom steps cannot be registered on it.");
            }
        }
        for (String column : Registrations.columns(text(step.get("filteringattributes")))) {
            TableDefinition definition = table == null ? null : catalog.table(table);
            if (definition != null && definition.column(column) == null) {
                throw ErrorCodes.invalidArgument("The filtering attribute '" + column + "' is not a column of "
                        + table + ".");
            }
        }
        UUID handler = id(step.get("eventhandler"));
        if (handler == null) {
            throw ErrorCodes.invalidArgument("A step needs its event handler: bind eventhandler_plugintype or"
                    + " eventhandler_serviceendpoint.");
        }
        Integer contract = Lookups.endpointContract(tx, handler);
        if (contract == null && !Lookups.pluginTypeExists(tx, handler)) {
            throw ErrorCodes.invalidArgument("The event handler " + handler + " is neither a plugintype nor a"
                    + " serviceendpoint.");
        }
        if (contract != null && contract != Step.Endpoint.WEBHOOK && mode != 1) {
            throw ErrorCodes.invalidArgument("Only webhook endpoints take synchronous steps; a step on a queue"
                    + " endpoint must be asynchronous (mode 1).");
        }
    }

    private static boolean isEvent(Catalog catalog, String table, String message) {
        TableDefinition definition = catalog.table(table);
        if (definition == null) {
            return false;
        }
        for (MessageDefinition candidate : definition.messages()) {
            if (candidate.name().equals(message)) {
                return candidate.isEvent();
            }
        }
        return false;
    }

    private static void image(Transaction tx, Catalog catalog, Map<String, @Nullable Object> image) {
        UUID stepId = id(image.get("sdkmessageprocessingstepid"));
        Lookups.StepFacts step = stepId == null ? null : Lookups.step(tx, stepId);
        if (step == null) {
            throw ErrorCodes.invalidArgument("An image needs an existing step: set"
                    + " sdkmessageprocessingstepid@odata.bind.");
        }
        if (!IMAGE_MESSAGES.contains(step.message())) {
            throw ErrorCodes.invalidArgument("The message " + step.message() + " has no entity images; images can"
                    + " be registered on Create, Update, Delete, Assign and SetState steps.");
        }
        int type = number(image.get("imagetype"), 0);
        boolean pre = type == 0 || type == 2;
        boolean post = type == 1 || type == 2;
        if (pre && step.message().equals("Create")) {
            throw ErrorCodes.invalidArgument("A Create step has no pre-image: the row does not exist before the"
                    + " operation.");
        }
        if (post && step.message().equals("Delete")) {
            throw ErrorCodes.invalidArgument("A Delete step has no post-image: the row no longer exists after the"
                    + " operation.");
        }
        if (post && step.stage() != 40) {
            throw ErrorCodes.invalidArgument("Post-images are available only to steps in stage 40"
                    + " (PostOperation); this step is in stage " + step.stage() + ".");
        }
        String property = text(image.get("messagepropertyname"));
        Set<String> allowed = switch (step.message()) {
            case "Create" -> Set.of("Target", "Id");
            case "SetState" -> Set.of("EntityMoniker");
            default -> Set.of("Target");
        };
        if (property == null || !allowed.contains(property)) {
            throw ErrorCodes.invalidArgument("The image's messagepropertyname must be one of " + allowed + " for"
                    + " the message " + step.message() + ", was '" + property + "'.");
        }
        TableDefinition table = step.table() == null ? null : catalog.table(step.table());
        for (String column : Registrations.columns(text(image.get("attributes")))) {
            if (table != null && table.column(column) == null) {
                throw ErrorCodes.invalidArgument("The image attribute '" + column + "' is not a column of "
                        + table.logicalName() + ".");
            }
        }
    }

    private static void endpoint(Catalog catalog, Map<String, @Nullable Object> endpoint) {
        int contract = number(endpoint.get("contract"), 1);
        if (contract == Step.Endpoint.WEBHOOK) {
            String url = text(endpoint.get("url"));
            URI uri;
            try {
                uri = url == null ? null : URI.create(url);
            } catch (IllegalArgumentException e) {
                uri = null;
            }
            if (uri == null || uri.getHost() == null
                    || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw ErrorCodes.invalidArgument("A webhook endpoint needs an absolute http or https url, was '"
                        + url + "'.");
            }
            int authType = number(endpoint.get("authtype"), 0);
            if (authType != 4 && authType != 5 && authType != 6) {
                throw ErrorCodes.invalidArgument("A webhook endpoint authenticates with authtype 4 (WebhookKey), 5"
                        + " (HttpHeader) or 6 (HttpQueryString), was " + authType + ".");
            }
            String value = text(endpoint.get("authvalue"));
            if (value == null || value.isBlank()) {
                throw ErrorCodes.invalidArgument("A webhook endpoint needs its authvalue.");
            }
            if (authType != 4) {
                Map<String, String> pairs;
                try {
                    pairs = Webhooks.pairs(value);
                } catch (IllegalArgumentException e) {
                    throw ErrorCodes.invalidArgument(e.getMessage());
                }
                if (pairs.isEmpty()) {
                    throw ErrorCodes.invalidArgument("The authvalue holds no name and value: write"
                            + " <settings><setting name=\"Key\" value=\"Value\" /></settings>.");
                }
            }
            return;
        }
        if (contract == 2 || contract == 6) {
            String address = text(endpoint.get("namespaceaddress"));
            if (address == null || !(address.startsWith("amqp://") || address.startsWith("amqps://"))) {
                throw ErrorCodes.invalidArgument("A queue endpoint of this server is a RabbitMQ queue: its"
                        + " namespaceaddress must be an amqp:// or amqps:// address, was '" + address + "'.");
            }
            if (text(endpoint.get("path")) == null) {
                throw ErrorCodes.invalidArgument("A queue endpoint needs the queue name in path.");
            }
            return;
        }
        TableDefinition endpoints = Objects.requireNonNull(catalog.table("serviceendpoint"));
        ChoiceOption option = Objects.requireNonNull(endpoints.column("contract")).option(contract);
        throw ErrorCodes.invalidArgument("Contract " + contract + (option == null ? "" : " (" + option.label() + ")")
                + " is not supported by this server: endpoints are webhooks (8) or RabbitMQ queues (2 or 6).");
    }

    private static void asyncOperation(Transaction tx, Catalog catalog, RecordStore store, ExecutionContext context,
            List<ExecutionContext> all) {
        if (context.messageName().equals("Create")) {
            throw ErrorCodes.invalidArgument("System jobs are created by the platform; a client cannot create"
                    + " them.");
        }
        Map<String, @Nullable Object> changes = new LinkedHashMap<>();
        for (ExecutionContext each : all) {
            Entity target = each.target();
            if (target != null) {
                changes.putAll(target.attributes());
            }
            if (each.messageName().equals("SetState")) {
                changes.put("statecode", each.inputParameters().get("State"));
                changes.put("statuscode", each.inputParameters().get("Status"));
            }
        }
        for (String column : changes.keySet()) {
            if (!Set.of("statecode", "statuscode", "postponeuntil", "asyncoperationid").contains(column)) {
                throw ErrorCodes.invalidArgument("Only statecode, statuscode and postponeuntil of a system job can"
                        + " be changed; '" + column + "' cannot.");
            }
        }
        if (!changes.containsKey("statecode") && !changes.containsKey("statuscode")) {
            return;
        }
        TableDefinition jobs = Objects.requireNonNull(catalog.table("asyncoperation"));
        UUID id = Objects.requireNonNull(context.primaryEntityId());
        StoredRow row = store.select(tx, jobs, id, List.of(Objects.requireNonNull(jobs.column("statecode")),
                Objects.requireNonNull(jobs.column("statuscode"))), false);
        if (row == null) {
            return; // the main operation reports the missing row
        }
        int fromState = number(row.value("statecode"), 0);
        int fromStatus = number(row.value("statuscode"), 0);
        int toState = number(changes.get("statecode"), fromState);
        int toStatus = number(changes.get("statuscode"), -1);
        boolean allowed = switch (toState) {
            case 3 -> fromState != 3 && (toStatus == 32 || toStatus == -1);
            case 0 -> fromState == 1 || (fromState == 3 && (fromStatus == 31 || fromStatus == 32));
            case 1 -> fromState == 2 || fromState == 0;
            default -> false;
        };
        if (!allowed) {
            throw new io.flowbin.error.DataverseException(400, "0x80048408", "The system job cannot move from"
                    + " statecode " + fromState + " (statuscode " + fromStatus + ") to statecode " + toState
                    + (toStatus < 0 ? "" : " (statuscode " + toStatus + ")") + ": a job can be cancelled (3/32)"
                    + " unless completed, resumed or retried (0) when suspended, failed or cancelled, and paused"
                    + " (1) when waiting or in progress.");
        }
    }

    static @Nullable UUID id(@Nullable Object value) {
        return switch (value) {
            case UUID id -> id;
            case EntityReference reference -> reference.id();
            case null, default -> null;
        };
    }

    private static int number(@Nullable Object value, int otherwise) {
        return value instanceof Number number ? number.intValue() : otherwise;
    }

    private static @Nullable String text(@Nullable Object value) {
        return value instanceof String text && !text.isBlank() ? text : null;
    }
}
