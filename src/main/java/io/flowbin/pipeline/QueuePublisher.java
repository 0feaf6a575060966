package io.flowbin.pipeline;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * Publishes execution contexts to RabbitMQ queues (endpoints with an {@code amqp://} namespace address and the
 * queue in {@code path}): durable queue, persistent message, publisher confirms, the job id as message id, and the
 * 192 KB limit of Service Bus endpoints. One connection per broker address, reopened after a failure. Thread-safe.
 */
final class QueuePublisher implements AutoCloseable {
    static final int MAX_PAYLOAD_BYTES = 192 * 1024;
    private static final int MAX_CONNECTIONS = 16;

    private final Duration timeout;
    private final Map<String, Connection> connections = new HashMap<>();

    QueuePublisher(Duration timeout) {
        this.timeout = timeout;
    }

    void publish(Step.Endpoint endpoint, RemoteContextJson.Envelope envelope, UUID messageId) {
        String body = envelope.body();
        Map<String, Object> headers = new HashMap<>();
        headers.put("http://schemas.microsoft.com/xrm/2011/Claims/EntityLogicalName", envelope.entityName());
        headers.put("http://schemas.microsoft.com/xrm/2011/Claims/RequestName", envelope.messageName());
        if (body.getBytes(StandardCharsets.UTF_8).length > MAX_PAYLOAD_BYTES) {
            body = envelope.trimmedBody();
            if (body.getBytes(StandardCharsets.UTF_8).length > MAX_PAYLOAD_BYTES) {
                throw new DeliveryException("The context is larger than " + MAX_PAYLOAD_BYTES
                        + " bytes even without its images and parameters; nothing was sent to " + endpoint.name()
                        + ".", false, null);
            }
            headers.put("MessageMaxSizeExceeded", true);
        }
        String queue = java.util.Objects.requireNonNullElse(endpoint.path(), "");
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .contentType("application/json")
                .contentEncoding("utf-8")
                .deliveryMode(2)
                .messageId(messageId.toString())
                .correlationId(envelope.correlationId().toString())
                .headers(headers)
                .build();
        String address = java.util.Objects.requireNonNullElse(endpoint.namespaceAddress(), "");
        try {
            Connection connection = connection(endpoint, address);
            try (Channel channel = connection.createChannel()) {
                channel.confirmSelect();
                channel.queueDeclare(queue, true, false, false, null);
                channel.basicPublish("", queue, true, properties, body.getBytes(StandardCharsets.UTF_8));
                channel.waitForConfirmsOrDie(timeout.toMillis());
            }
        } catch (IOException | TimeoutException | RuntimeException e) {
            drop(address);
            throw new DeliveryException("The queue " + queue + " of " + endpoint.name()
                    + " could not take the message: " + e + (e.getCause() == null ? "" : " (" + e.getCause() + ")"),
                    true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryException("Interrupted while publishing to " + endpoint.name() + ".", true, e);
        }
    }

    private synchronized Connection connection(Step.Endpoint endpoint, String address) throws IOException,
            TimeoutException {
        Connection open = connections.get(address);
        if (open != null && open.isOpen()) {
            return open;
        }
        if (connections.size() >= MAX_CONNECTIONS) {
            closeAll();
        }
        ConnectionFactory factory = new ConnectionFactory();
        try {
            URI uri = URI.create(address);
            factory.setUri(uri);
            if (uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().equals("/")) {
                factory.setVirtualHost("/"); // "amqp://host/" names the empty vhost; people mean the default one
            }
        } catch (java.security.GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException("The namespace address is not an AMQP URI", e);
        }
        if (endpoint.sasKeyName() != null && endpoint.sasKey() != null) {
            factory.setUsername(endpoint.sasKeyName());
            factory.setPassword(endpoint.sasKey());
        }
        factory.setConnectionTimeout((int) timeout.toMillis());
        factory.setHandshakeTimeout((int) timeout.toMillis());
        factory.setAutomaticRecoveryEnabled(false);
        Connection created = factory.newConnection("flowbin");
        connections.put(address, created);
        return created;
    }

    private synchronized void drop(String address) {
        Connection broken = connections.remove(address);
        closeQuietly(broken);
    }

    private void closeAll() {
        for (Connection connection : connections.values()) {
            closeQuietly(connection);
        }
        connections.clear();
    }

    private static void closeQuietly(@Nullable Connection connection) {
        if (connection != null) {
            try {
                connection.close(1000);
            } catch (IOException | RuntimeException e) {
                // a broken connection has nothing left to flush
            }
        }
    }

    @Override
    public synchronized void close() {
        closeAll();
    }
}
