package io.flowbin.pipeline;

import io.flowbin.data.Dialect;
import io.flowbin.data.SqlErrors;
import io.flowbin.data.Transaction;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** Single-row reads of the registration tables for {@link RegistrationRules}. Stateless. */
final class Lookups {
    private Lookups() {}

    record Filter(UUID messageId, String table, boolean customStepsAllowed) {}

    record StepFacts(String message, int stage, @Nullable String table) {}

    static @Nullable String messageName(Transaction tx, UUID messageId) {
        Dialect d = tx.dialect();
        return one(tx, "SELECT " + d.quote("name") + " FROM " + d.quote("sdkmessage") + " WHERE "
                + d.quote("sdkmessageid") + " = ?", messageId, rows -> rows.getString(1));
    }

    static @Nullable Filter filter(Transaction tx, UUID filterId) {
        Dialect d = tx.dialect();
        return one(tx, "SELECT " + d.quote("sdkmessageid") + ", " + d.quote("primaryobjecttypecode") + ", "
                + d.quote("iscustomprocessingstepallowed") + " FROM " + d.quote("sdkmessagefilter") + " WHERE "
                + d.quote("sdkmessagefilterid") + " = ?", filterId,
                rows -> new Filter(rows.getObject(1, UUID.class), rows.getString(2), rows.getBoolean(3)));
    }

    static @Nullable Integer endpointContract(Transaction tx, UUID id) {
        Dialect d = tx.dialect();
        return one(tx, "SELECT " + d.quote("contract") + " FROM " + d.quote("serviceendpoint") + " WHERE "
                + d.quote("serviceendpointid") + " = ?", id, rows -> rows.getInt(1));
    }

    static boolean pluginTypeExists(Transaction tx, UUID id) {
        Dialect d = tx.dialect();
        return one(tx, "SELECT 1 FROM " + d.quote("plugintype") + " WHERE " + d.quote("plugintypeid") + " = ?", id,
                rows -> Boolean.TRUE) != null;
    }

    static @Nullable StepFacts step(Transaction tx, UUID stepId) {
        Dialect d = tx.dialect();
        return one(tx, "SELECT m." + d.quote("name") + ", s." + d.quote("stage") + ", f."
                + d.quote("primaryobjecttypecode") + " FROM " + d.quote("sdkmessageprocessingstep") + " s JOIN "
                + d.quote("sdkmessage") + " m ON m." + d.quote("sdkmessageid") + " = s." + d.quote("sdkmessageid")
                + " LEFT JOIN " + d.quote("sdkmessagefilter") + " f ON f." + d.quote("sdkmessagefilterid") + " = s."
                + d.quote("sdkmessagefilterid") + " WHERE s." + d.quote("sdkmessageprocessingstepid") + " = ?",
                stepId, rows -> new StepFacts(rows.getString(1), rows.getInt(2), rows.getString(3)));
    }

    @FunctionalInterface
    private interface RowReader<T> {
        T read(ResultSet rows) throws SQLException;
    }

    private static <T> @Nullable T one(Transaction tx, String sql, UUID id, RowReader<T> reader) {
        try (PreparedStatement statement = tx.connection().prepareStatement(sql)) {
            statement.setObject(1, id);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? reader.read(rows) : null;
            }
        } catch (SQLException e) {
            throw SqlErrors.toDataverse(SqlErrors.classify(tx.dialect(), e));
        }
    }
}
