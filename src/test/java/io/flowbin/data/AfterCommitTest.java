package io.flowbin.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.flowbin.metadata.Catalog;
import io.flowbin.metadata.ModelJson;
import io.flowbin.testing.TestDatabases;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Actions registered with {@link Transaction#afterCommit} run after a commit only, outside the transaction. */
final class AfterCommitTest {
    @Test
    void actionsRunAfterACommitAndNeverAfterARollback(@TempDir Path tempDir) {
        try (Database database = Database.open(TestDatabases.h2(tempDir), new Catalog(ModelJson.servedModel()))) {
            List<String> ran = new ArrayList<>();
            database.inTransaction(tx -> {
                tx.afterCommit(() -> ran.add("committed"));
                tx.afterCommit(() -> {
                    throw new IllegalStateException("a failing action does not undo the commit");
                });
                // an action may open a transaction of its own: the first one is over by then
                tx.afterCommit(() -> ran.add(database.inTransaction(inner -> "nested")));
                return null;
            });
            assertThrows(IllegalArgumentException.class, () -> database.inTransaction(tx -> {
                tx.afterCommit(() -> ran.add("rolled back"));
                throw new IllegalArgumentException("roll back");
            }));
            assertEquals(List.of("committed", "nested"), ran);
            assertEquals(0, database.activeConnections());
        }
    }
}
