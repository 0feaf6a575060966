package io.flowbin.pipeline;

import io.flowbin.data.Database;
import io.flowbin.data.Dialect;
import io.flowbin.data.RowIds;
import io.flowbin.data.Transaction;
import io.flowbin.metadata.Catalog;
import io.flowbin.metadata.TableDefinition;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable outbox of asynchronous steps: each step's context becomes an {@code asyncoperation} row in the
 * operation's own transaction, and a bounded pool of workers claims ready rows ({@code FOR UPDATE SKIP LOCKED}, so
 * that with several nodes each job is taken by one), delivers them, and records the outcome, retries with back-off,
 * or the failure on the row. Jobs a dead node held are taken again when their lease ends; finished jobs are removed
 * after the retention. Thread-safe.
 *
 * <p>Design note: delivery is at least once (a node that dies after delivering and before recording repeats the
 * delivery after the lease); receivers deduplicate on the context's {@code OperationId} and {@code OwningExtension}.
 */
final class SystemJobs implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SystemJobs.class);
    static final int MAX_RETRIES = 8;
    private static final int BATCH = 16;

    /** Settings of the workers. */
    record Settings(int workers, Duration lease, Duration retention, Duration poll, Duration maxBackoff) {}

    /** Delivers one claimed job's context; throws when the job failed. */
    interface Delivery {
        void deliver(Job job);
    }

    /** A claimed job. */
    record Job(UUID id, String data, @Nullable UUID stepId, int retryCount, String name) {}

    private final Database database;
    private final TableDefinition table;
    private final Clock clock;
    private final Settings settings;
    private final Semaphore wakeUps = new Semaphore(0);
    private final java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
    private final java.util.concurrent.locks.ReentrantLock claimLock = new java.util.concurrent.locks.ReentrantLock();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;
    private volatile @Nullable Delivery delivery;
    private final String hostId = "flowbin-" + UUID.randomUUID();

    SystemJobs(Database database, Catalog catalog, Clock clock, Settings settings) {
        this.database = database;
        this.table = Objects.requireNonNull(catalog.table("asyncoperation"), "asyncoperation table");
        this.clock = clock;
        this.settings = settings;
    }

    /** The columns an asynchronous step's job is written with, in the order {@link #enqueue} binds them. */
    private static final List<String> JOB_COLUMNS = List.of("asyncoperationid", "name", "messagename",
            "primaryentitytype", "regardingobjectid", "owningextensionid", "data", "depth", "correlationid",
            "createdon", "modifiedon", "createdby", "modifiedby", "ownerid", "owninguser", "owningbusinessunit",
            "regardingobjecttypecode");

    /** Written with every job, as SQL literals: a Ready system event of a step, not yet tried, owned by a user. */
    private static final List<Map.Entry<String, String>> JOB_LITERALS = List.of(Map.entry("operationtype", "1"),
            Map.entry("owningextensiontypecode", "'sdkmessageprocessingstep'"), Map.entry("statecode", "0"),
            Map.entry("statuscode", "0"), Map.entry("retrycount", "0"), Map.entry("owneridtype", "'systemuser'"));

    /**
     * Writes the job of an asynchronous step in the operation's transaction. One fixed statement, not the generic
     * insert of the record store: the job is written on the request path of every operation with such a step.
     */
    void enqueue(Transaction tx, Step step, ExecutionContext context, String data) {
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        UUID regarding = context.primaryEntityId();
        try (PreparedStatement statement = tx.connection().prepareStatement(insertSql(tx.dialect()))) {
            int index = 1;
            statement.setObject(index++, RowIds.next());
            statement.setString(index++, step.name());
            statement.setString(index++, context.messageName());
            statement.setString(index++, context.primaryEntityName());
            statement.setObject(index++, regarding);
            statement.setObject(index++, step.id());
            statement.setString(index++, data);
            statement.setInt(index++, context.depth());
            statement.setObject(index++, context.correlationId());
            statement.setObject(index++, now);
            statement.setObject(index++, now);
            statement.setObject(index++, context.initiatingUserId());
            statement.setObject(index++, context.initiatingUserId());
            statement.setObject(index++, context.userId());
            statement.setObject(index++, context.userId());
            statement.setObject(index++, context.businessUnitId());
            statement.setString(index, context.primaryEntityName());
            statement.executeUpdate();
        } catch (SQLException e) {
            throw io.flowbin.data.SqlErrors.toDataverse(io.flowbin.data.SqlErrors.classify(tx.dialect(), e));
        }
        tx.afterCommit(this::wake);
    }

    private volatile @Nullable String insertSql;

    private String insertSql(Dialect d) {
        String sql = insertSql;
        if (sql == null) {
            StringBuilder columns = new StringBuilder();
            StringBuilder values = new StringBuilder();
            for (String column : JOB_COLUMNS) {
                columns.append(d.quote(column)).append(", ");
                values.append("?, ");
            }
            for (Map.Entry<String, String> literal : JOB_LITERALS) {
                columns.append(d.quote(literal.getKey())).append(", ");
                values.append(literal.getValue()).append(", ");
            }
            columns.append(d.quote("versionnumber"));
            values.append(d.nextVersionExpression());
            sql = "INSERT INTO " + d.quote(table.logicalName()) + " (" + columns + ") VALUES (" + values + ")";
            insertSql = sql;
        }
        return sql;
    }

    void wake() {
        if (wakeUps.availablePermits() < settings.workers()) {
            wakeUps.release();
        }
    }

    void start(Delivery jobDelivery) {
        this.delivery = jobDelivery;
        running = true;
        for (int i = 0; i < settings.workers(); i++) {
            Thread thread = Thread.ofPlatform().daemon().name("flowbin-jobs-" + i).start(this::work);
            threads.add(thread);
        }
        Thread housekeeping = Thread.ofPlatform().daemon().name("flowbin-jobs-housekeeping").start(this::housekeep);
        threads.add(housekeeping);
    }

    private void work() {
        while (running) {
            try {
                List<Job> claimed = claim();
                if (claimed.isEmpty()) {
                    wakeUps.tryAcquire(settings.poll().toMillis(), TimeUnit.MILLISECONDS);
                    continue;
                }
                long claimedAt = System.nanoTime();
                List<Done> done = new ArrayList<>(claimed.size());
                try {
                    for (int i = 0; i < claimed.size(); i++) {
                        if (!running) {
                            return; // the lease gives the rest to another node or the next start
                        }
                        if (System.nanoTime() - claimedAt > settings.lease().toNanos() / 2) {
                            // before the lease ends and another worker takes them: hand the rest back now
                            release(claimed.subList(i, claimed.size()));
                            break;
                        }
                        Done success = run(claimed.get(i));
                        if (success != null) {
                            done.add(success);
                        }
                    }
                } finally {
                    // one transaction records the batch's successes; a crash before it repeats them (at least once)
                    succeeded(done);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warn("The system job worker failed; it goes on after a pause", e);
                sleep(settings.poll());
            }
        }
    }

    /** A delivered job and how long its delivery took. */
    private record Done(Job job, double seconds) {}

    private @Nullable Done run(Job job) {
        long started = System.nanoTime();
        Delivery current = Objects.requireNonNull(delivery);
        try {
            current.deliver(job);
            return new Done(job, (System.nanoTime() - started) / 1e9);
        } catch (JobFailure failure) {
            if (failure.retriable() && job.retryCount() < MAX_RETRIES) {
                retryLater(job, failure);
            } else {
                failed(job, failure.errorCode(), failure.getMessage());
            }
        } catch (RuntimeException e) {
            failed(job, -2147220956, "Unexpected failure of the system job: " + e);
        }
        return null;
    }

    /** Why a job failed, with the Dataverse error code recorded on it and whether a later attempt may succeed. */
    static final class JobFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int errorCode;
        private final boolean retriable;

        JobFailure(String message, int errorCode, boolean retriable, @Nullable Throwable cause) {
            super(message, cause);
            this.errorCode = errorCode;
            this.retriable = retriable;
        }

        int errorCode() {
            return errorCode;
        }

        boolean retriable() {
            return retriable;
        }
    }

    private List<Job> claim() {
        if (database.dialect().skipsLockedRows()) {
            return claimInTransaction();
        }
        // one node (H2): claims take turns in the process; locking the rows would only make workers wait
        claimLock.lock();
        try {
            return claimInTransaction();
        } finally {
            claimLock.unlock();
        }
    }

    private List<Job> claimInTransaction() {
        return database.inTransaction(tx -> {
            Dialect d = tx.dialect();
            String ready = " FROM " + d.quote("asyncoperation") + " WHERE " + d.quote("statecode") + " = 0 AND "
                    + d.quote("operationtype") + " = 1 AND (" + d.quote("postponeuntil") + " IS NULL OR "
                    + d.quote("postponeuntil") + " <= ?) ORDER BY " + d.quote("statecode") + ", " + d.quote("createdon")
                    // ordered as the (statecode, createdon) index: the database reads the first rows and stops
                    + " FETCH FIRST " + BATCH + " ROWS ONLY";
            String taken = " SET " + d.quote("statecode") + " = 2, " + d.quote("statuscode") + " = 20, "
                    + d.quote("startedon") + " = ?, " + d.quote("hostid") + " = ?, " + d.quote("modifiedon") + " = ?, "
                    + d.quote("versionnumber") + " = " + d.nextVersionExpression();
            String columns = d.quote("asyncoperationid") + ", " + d.quote("data") + ", "
                    + d.quote("owningextensionid") + ", " + d.quote("retrycount") + ", " + d.quote("name");
            OffsetDateTime now = now();
            if (d.skipsLockedRows()) {
                // one round trip: the ready rows no other node holds are locked, marked as taken and returned
                String sql = "UPDATE " + d.quote("asyncoperation") + taken + " WHERE " + d.quote("asyncoperationid")
                        + " IN (SELECT " + d.quote("asyncoperationid") + ready + " FOR UPDATE SKIP LOCKED) RETURNING "
                        + columns;
                try (PreparedStatement statement = tx.connection().prepareStatement(sql)) {
                    statement.setObject(1, now);
                    statement.setString(2, hostId);
                    statement.setObject(3, now);
                    statement.setObject(4, now);
                    return jobs(statement);
                }
            }
            // one node (H2), claims serialised in the process: read the ready rows, then mark them in one statement
            List<Job> jobs;
            try (PreparedStatement statement = tx.connection().prepareStatement("SELECT " + columns + ready)) {
                statement.setObject(1, now);
                jobs = jobs(statement);
            }
            if (!jobs.isEmpty()) {
                StringBuilder sql = new StringBuilder("UPDATE " + d.quote("asyncoperation") + taken + " WHERE "
                        + d.quote("asyncoperationid") + " IN (?");
                sql.append(", ?".repeat(jobs.size() - 1)).append(')');
                try (PreparedStatement statement = tx.connection().prepareStatement(sql.toString())) {
                    int index = 1;
                    statement.setObject(index++, now);
                    statement.setString(index++, hostId);
                    statement.setObject(index++, now);
                    for (Job job : jobs) {
                        statement.setObject(index++, job.id());
                    }
                    statement.executeUpdate();
                }
            }
            return jobs;
        });
    }

    private static List<Job> jobs(PreparedStatement statement) throws SQLException {
        List<Job> jobs = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                jobs.add(new Job(rows.getObject(1, UUID.class), Objects.requireNonNullElse(rows.getString(2), "{}"),
                        rows.getObject(3, UUID.class), rows.getInt(4), Objects.requireNonNullElse(rows.getString(5),
                                "")));
            }
        }
        return jobs;
    }

    private void release(List<Job> jobs) {
        database.inTransaction(tx -> {
            Dialect d = tx.dialect();
            try (PreparedStatement statement = tx.connection().prepareStatement("UPDATE " + d.quote("asyncoperation")
                    + " SET " + d.quote("statecode") + " = 0, " + d.quote("statuscode") + " = 0 WHERE "
                    + d.quote("asyncoperationid") + " = ? AND " + d.quote("statecode") + " = 2")) {
                for (Job job : jobs) {
                    statement.setObject(1, job.id());
                    statement.addBatch();
                }
                statement.executeBatch();
            }
            return null;
        });
        wake();
    }

    private void succeeded(List<Done> done) {
        if (done.isEmpty()) {
            return;
        }
        // decided before the transaction: the predicate may read the registrations in a transaction of its own
        List<Boolean> deletes = new ArrayList<>(done.size());
        for (Done each : done) {
            deletes.add(autoDelete(each.job()));
        }
        database.inTransaction(tx -> {
            Dialect d = tx.dialect();
            // each kind of outcome in one batch: one round trip on PostgreSQL however many jobs the claim held
            try (PreparedStatement delete = tx.connection().prepareStatement("DELETE FROM "
                    + d.quote("asyncoperation") + " WHERE " + d.quote("asyncoperationid") + " = ? AND "
                    + d.quote("statecode") + " = 2");
                    PreparedStatement finish = tx.connection().prepareStatement(finishSql(d))) {
                boolean deleting = false;
                boolean finishing = false;
                for (int i = 0; i < done.size(); i++) {
                    Done each = done.get(i);
                    if (deletes.get(i)) {
                        delete.setObject(1, each.job().id());
                        delete.addBatch();
                        deleting = true;
                    } else {
                        bindFinish(finish, each.job(), 30, null, null, each.seconds());
                        finish.addBatch();
                        finishing = true;
                    }
                }
                if (deleting) {
                    delete.executeBatch();
                }
                if (finishing) {
                    finish.executeBatch();
                }
            }
            return null;
        });
    }

    private volatile java.util.function.Predicate<UUID> autoDeleteSteps = step -> false;

    void autoDelete(java.util.function.Predicate<UUID> steps) {
        this.autoDeleteSteps = steps;
    }

    private boolean autoDelete(Job job) {
        return job.stepId() != null && autoDeleteSteps.test(job.stepId());
    }

    private void failed(Job job, int errorCode, @Nullable String message) {
        LOG.info("System job {} ({}) failed: {}", job.id(), job.name(), message);
        database.inTransaction(tx -> {
            finish(tx, job, 31, errorCode, message, null);
            return null;
        });
    }

    private void finish(Transaction tx, Job job, int status, @Nullable Integer errorCode, @Nullable String message,
            @Nullable Double seconds) throws SQLException {
        try (PreparedStatement statement = tx.connection().prepareStatement(finishSql(tx.dialect()))) {
            bindFinish(statement, job, status, errorCode, message, seconds);
            statement.executeUpdate(); // 0 rows: the job was cancelled while it ran; the cancel stands
        }
    }

    private static String finishSql(Dialect d) {
        return "UPDATE " + d.quote("asyncoperation") + " SET " + d.quote("statecode") + " = 3, "
                + d.quote("statuscode") + " = ?, " + d.quote("completedon") + " = ?, " + d.quote("modifiedon")
                + " = ?, " + d.quote("errorcode") + " = ?, " + d.quote("message") + " = ?, "
                + d.quote("friendlymessage") + " = ?, " + d.quote("executiontimespan") + " = ?, "
                + d.quote("versionnumber") + " = " + d.nextVersionExpression() + " WHERE "
                // a job cancelled while it ran is no longer In Progress: the cancel stands
                + d.quote("asyncoperationid") + " = ? AND " + d.quote("statecode") + " = 2";
    }

    private void bindFinish(PreparedStatement statement, Job job, int status, @Nullable Integer errorCode,
            @Nullable String message, @Nullable Double seconds) throws SQLException {
        statement.setInt(1, status);
        statement.setObject(2, now());
        statement.setObject(3, now());
        statement.setObject(4, errorCode, java.sql.Types.INTEGER);
        statement.setString(5, message);
        statement.setString(6, message == null ? null : "The system job failed: " + message);
        statement.setObject(7, seconds, java.sql.Types.DOUBLE);
        statement.setObject(8, job.id());
    }

    private void retryLater(Job job, JobFailure failure) {
        long backoff = Math.min(settings.maxBackoff().toMillis(), 1000L << Math.min(job.retryCount(), 20));
        OffsetDateTime later = now().plusNanos(backoff * 1_000_000);
        database.inTransaction(tx -> {
            Dialect d = tx.dialect();
            String sql = "UPDATE " + d.quote("asyncoperation") + " SET " + d.quote("statecode") + " = 0, "
                    + d.quote("statuscode") + " = 10, " + d.quote("retrycount") + " = ?, "
                    + d.quote("postponeuntil") + " = ?, " + d.quote("message") + " = ?, " + d.quote("errorcode")
                    + " = ?, " + d.quote("modifiedon") + " = ?, " + d.quote("versionnumber") + " = "
                    + d.nextVersionExpression() + " WHERE " + d.quote("asyncoperationid") + " = ? AND "
                    + d.quote("statecode") + " = 2";
            try (PreparedStatement statement = tx.connection().prepareStatement(sql)) {
                statement.setInt(1, job.retryCount() + 1);
                statement.setObject(2, later);
                statement.setString(3, failure.getMessage());
                statement.setInt(4, failure.errorCode());
                statement.setObject(5, now());
                statement.setObject(6, job.id());
                statement.executeUpdate();
            }
            return null;
        });
    }

    private void housekeep() {
        while (running) {
            try {
                reclaimExpiredLeases();
                removeFinished();
            } catch (RuntimeException e) {
                LOG.warn("Removing finished system jobs failed; trying again later", e);
            }
            try {
                if (stopped.await(Math.max(1, Math.min(60, settings.lease().toSeconds() / 2)), TimeUnit.SECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Jobs locked by a node that stopped (or hung) longer than the lease go back to Ready. */
    int reclaimExpiredLeases() {
        return database.inTransaction(tx -> {
            Dialect d = tx.dialect();
            try (PreparedStatement statement = tx.connection().prepareStatement("UPDATE " + d.quote("asyncoperation")
                    + " SET " + d.quote("statecode") + " = 0, " + d.quote("statuscode") + " = 0, "
                    + d.quote("versionnumber") + " = " + d.nextVersionExpression() + " WHERE "
                    + d.quote("statecode") + " = 2 AND " + d.quote("operationtype") + " = 1 AND "
                    + d.quote("startedon") + " < ?")) {
                statement.setObject(1, now().minus(settings.lease()));
                int reclaimed = statement.executeUpdate();
                if (reclaimed > 0) {
                    LOG.info("{} system jobs whose node stopped are ready again", reclaimed);
                    wake();
                }
                return reclaimed;
            }
        });
    }

    int removeFinished() {
        return database.inTransaction(tx -> {
            Dialect d = tx.dialect();
            try (PreparedStatement statement = tx.connection().prepareStatement("DELETE FROM "
                    + d.quote("asyncoperation") + " WHERE " + d.quote("statecode") + " = 3 AND "
                    + d.quote("operationtype") + " = 1 AND " + d.quote("completedon") + " < ?")) {
                statement.setObject(1, now().minus(settings.retention()));
                return statement.executeUpdate();
            }
        });
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        // no interrupts: an interrupted thread in H2's file I/O closes the database file under everyone
        stopped.countDown();
        wakeUps.release(threads.size() + 1);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        for (Thread thread : threads) {
            try {
                // a worker still waiting on an endpoint is left to finish (daemon); its job's lease covers it
                thread.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
