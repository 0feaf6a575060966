package io.flowbin.data;

import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * The server's own record of uploads in progress (not a Dataverse table): one row per upload in
 * {@code flowbin_uploadsession}, one per staged block of a multi-request upload in {@code flowbin_uploadblock}. Kept
 * in the database so that every server node sharing it can take the next chunk or block of an upload, and so that
 * an upload outlives the restart of the node that began it. Immutable and thread-safe.
 */
// Flyway reads the version and the description from the class name, hence its unusual form
final class V4__Upload_sessions extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws SQLException {
        try (Statement statement = context.getConnection().createStatement()) {
            statement.execute("CREATE TABLE flowbin_uploadsession ("
                    + "token VARCHAR(64) NOT NULL, "
                    + "kind VARCHAR(16) NOT NULL, "
                    + "tablename VARCHAR(128) NOT NULL, "
                    + "rowid UUID NOT NULL, "
                    + "columnname VARCHAR(128) NOT NULL, "
                    + "userid UUID NOT NULL, "
                    + "fileid UUID NOT NULL, "
                    + "filename VARCHAR(1024) NOT NULL, "
                    + "total BIGINT NOT NULL, "
                    + "received BIGINT NOT NULL, "
                    + "blockidlength INTEGER NOT NULL, "
                    + "completedsize BIGINT, "
                    + "completedmime VARCHAR(256), "
                    + "version BIGINT NOT NULL, "
                    + "lastused TIMESTAMP WITH TIME ZONE NOT NULL, "
                    + "CONSTRAINT pk_flowbin_uploadsession PRIMARY KEY (token))");
            statement.execute("CREATE UNIQUE INDEX ix_flowbin_uploadsession_fileid ON flowbin_uploadsession (fileid)");
            statement.execute("CREATE INDEX ix_flowbin_uploadsession_lastused ON flowbin_uploadsession (lastused)");
            statement.execute("CREATE TABLE flowbin_uploadblock ("
                    + "token VARCHAR(64) NOT NULL, "
                    + "blockid VARCHAR(128) NOT NULL, "
                    + "arrival INTEGER NOT NULL, "
                    + "size BIGINT NOT NULL, "
                    + "CONSTRAINT pk_flowbin_uploadblock PRIMARY KEY (token, blockid))");
        }
    }
}
