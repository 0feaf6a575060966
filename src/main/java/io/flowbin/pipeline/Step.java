package io.flowbin.pipeline;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One enabled {@code sdkmessageprocessingstep} as the pipeline runs it.
 *
 * @param table the table of the step's message filter, or null for a step on every table
 * @param filteringAttributes the Update columns that fire the step; empty fires it on every Update
 */
record Step(UUID id, String name, String message, @Nullable String table, int stage, int mode, int rank,
        Set<String> filteringAttributes, Handler handler, @Nullable String configuration, boolean asyncAutoDelete,
        @Nullable UUID impersonatingUserId, List<Image> images) {

    static final int PRE_VALIDATION = 10;
    static final int PRE_OPERATION = 20;
    static final int POST_OPERATION = 40;
    static final int SYNCHRONOUS = 0;
    static final int ASYNCHRONOUS = 1;

    /** An entity image: 0 pre, 1 post, 2 both; {@code attributes} null for every column. */
    record Image(UUID id, String alias, int imageType, @Nullable Set<String> attributes) {
        boolean pre() {
            return imageType == 0 || imageType == 2;
        }

        boolean post() {
            return imageType == 1 || imageType == 2;
        }
    }

    /** What the step calls: an in-process plug-in or a service endpoint. */
    sealed interface Handler permits PluginHandler, EndpointHandler {}

    record PluginHandler(UUID pluginTypeId, String typeName) implements Handler {}

    record EndpointHandler(Endpoint endpoint) implements Handler {}

    /**
     * A {@code serviceendpoint}: a webhook (contract 8) or a RabbitMQ queue (contract 2 or 6 with an
     * {@code amqp://} namespace address and the queue name in {@code path}).
     */
    record Endpoint(UUID id, String name, int contract, int authType, @Nullable String authValue,
            @Nullable String url, @Nullable String namespaceAddress, @Nullable String path,
            @Nullable String sasKeyName, @Nullable String sasKey) {

        static final int WEBHOOK = 8;

        boolean webhook() {
            return contract == WEBHOOK;
        }

        @Override
        public String toString() {
            // the secrets stay out of logs
            return "serviceendpoint " + name + " (" + id + ")";
        }
    }

    boolean firesOn(Set<String> targetColumns) {
        if (filteringAttributes.isEmpty()) {
            return true;
        }
        for (String column : filteringAttributes) {
            if (targetColumns.contains(column)) {
                return true;
            }
        }
        return false;
    }
}
