package dev.switchboard.records;

import com.zaxxer.hikari.HikariConfig;
import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.SwitchboardException;
import com.zaxxer.hikari.HikariDataSource;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bundle's SQL database: a connection pool over the embedded driver (H2 or PostgreSQL, both private to the
 * bundle), the schema migrated by Flyway when opened, and the worker threads that run every SQL statement (JDBC
 * blocks: never on an event loop). Drivers are reached through their {@link DataSource} classes, never through
 * {@code DriverManager}, and the thread context class loader is the bundle's around every call, because Flyway and
 * the drivers look plugins up through it.
 */
final class Database {

  private static final Logger LOG = LoggerFactory.getLogger(Database.class);
  private static final ClassLoader BUNDLE = Database.class.getClassLoader();

  /** A unit of SQL work on one connection. */
  interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private final WorkerExecutor workers;
  private final RecordsSettings settings;
  private final String name;
  private Future<HikariDataSource> pool;
  private SwitchboardException problem;
  private boolean closed;

  private Database(WorkerExecutor workers, RecordsSettings settings, String name) {
    this.workers = workers;
    this.settings = settings;
    this.name = name;
  }

  /**
   * Starts opening the pool and migrating the schema, on a worker, and returns at once; work asked for meanwhile
   * waits for the open ({@link #opened()} completes with it). If the open fails, work fails with the reason and what
   * to check ({@code 503 databaseUnavailable}), until the plugin is started again.
   */
  static Database open(Vertx vertx, RecordsSettings settings, String name) {
    Database db = new Database(vertx.createSharedWorkerExecutor(name, settings.poolSize()), settings, name);
    Future<HikariDataSource> opening = db.workers.executeBlocking(() -> withBundleLoader(db::connectAndMigrate), false);
    synchronized (db) {
      db.pool = opening;
    }
    opening.onComplete(ar -> db.settle(ar.succeeded() ? ar.result() : null, ar.cause()));
    return db;
  }

  /** The open in progress or done; failed while the database is unavailable. */
  synchronized Future<Void> opened() {
    return pool().mapEmpty();
  }

  /**
   * Whether the plugin may start before its database is open: only an embedded H2 database whose file no engine holds
   * (no other version of the plugin is running: a first start, or a restart after a clean stop). Anything else is
   * opened before the plugin reports started, as an update expects: another version's H2 engine serves this version's
   * connections (automatic server mode) and must not stop while this one is still opening through it, and a
   * PostgreSQL that cannot be reached fails the start with what to check.
   */
  static boolean opensInBackground(RecordsSettings settings) {
    if (settings.postgres() || !settings.databaseUrl().startsWith("jdbc:h2:file:")) {
      return false;
    }
    String path = settings.databaseUrl().substring("jdbc:h2:file:".length()).split(";", 2)[0];
    return !Files.exists(Path.of(path + ".lock.db"));
  }

  /** Records the open's outcome (before work waiting for it runs: its handler is the first). */
  private synchronized void settle(HikariDataSource opened, Throwable failure) {
    if (closed) {
      return; // close() shuts the pool down, on a worker, once the open completes
    } else if (opened != null) {
      LOG.info("Records database ready at {}", safe(settings.databaseUrl()));
    } else {
      problem = new SwitchboardException(ErrorCode.NOT_READY, "databaseUnavailable",
          "The records database at " + safe(settings.databaseUrl()) + " could not be opened or migrated: "
              + failure.getMessage() + ". Check plugins.records.database.url, user and password, and that the"
              + " database is up; the records plugin starts again when its bundle is updated or restarted.",
          failure);
      LOG.error("{}", problem.getMessage());
    }
  }

  private HikariDataSource connectAndMigrate() {
    HikariConfig config = new HikariConfig();
    config.setPoolName(name);
    config.setDataSource(dataSource(settings));
    config.setMaximumPoolSize(settings.poolSize());
    config.setMinimumIdle(0);
    config.setConnectionTimeout(5_000);
    config.setInitializationFailTimeout(-1);
    HikariDataSource opened = new HikariDataSource(config);
    try {
      Flyway.configure(BUNDLE).dataSource(opened).locations("classpath:dev/switchboard/records/db")
          .placeholders(Map.of("text", settings.postgres() ? "TEXT" : "CLOB")).load().migrate();
    } catch (RuntimeException e) {
      opened.close();
      throw e;
    }
    return opened;
  }

  /** The pool once open: the open in progress, or a failure saying what to check while the database is unavailable. */
  private synchronized Future<HikariDataSource> pool() {
    if (closed) {
      return Future.failedFuture(new SwitchboardException(ErrorCode.NOT_READY, "databaseUnavailable",
          "The records plugin is stopping; its next version opens the database again."));
    }
    if (problem != null) {
      return Future.failedFuture(problem);
    }
    // An open in progress that fails: the waiting work fails with what to check (settle runs first).
    return pool.recover(e -> Future.failedFuture(problem == null ? e : problem));
  }

  /**
   * Runs {@code work} on a pooled connection, on a worker, in one transaction (committed if it returns). A connection
   * found closed under it (the database restarted, or another version's embedded engine it was served by stopped
   * during an update) is evicted and the work runs once more on a new one; the work must be safe to repeat.
   */
  <T> Future<T> transaction(Work<T> work) {
    return pool().compose(pool -> workers.executeBlocking(() -> withBundleLoader(() -> onceMoreIfDisconnected(pool,
        c -> {
          c.setAutoCommit(false);
          try {
            T result = work.run(c);
            c.commit();
            return result;
          } catch (SQLException | RuntimeException e) {
            try {
              c.rollback();
            } catch (SQLException rollback) {
              e.addSuppressed(rollback);
            }
            throw e;
          }
        })), false));
  }

  /** Runs read-only {@code work} on a pooled connection, on a worker (once more on a new one, as above). */
  <T> Future<T> read(Work<T> work) {
    return pool().compose(pool -> workers.executeBlocking(() -> withBundleLoader(() -> onceMoreIfDisconnected(pool,
        c -> {
          c.setReadOnly(true);
          return work.run(c);
        })), false));
  }

  private static <T> T onceMoreIfDisconnected(HikariDataSource pool, Work<T> work) throws SQLException {
    try (Connection c = pool.getConnection()) {
      try {
        return work.run(c);
      } catch (SQLException e) {
        if (!disconnected(e)) {
          throw e;
        }
        LOG.info("A records database connection was found closed ({}); trying once more on a new one",
            e.getMessage());
        pool.evictConnection(c);
      }
    }
    try (Connection c = pool.getConnection()) {
      return work.run(c);
    }
  }

  private static boolean disconnected(SQLException e) {
    return e instanceof SQLNonTransientConnectionException || e instanceof SQLTransientConnectionException
        || e instanceof SQLRecoverableException || (e.getSQLState() != null && e.getSQLState().startsWith("08"));
  }

  /** The URL without a password it may carry. */
  private static String safe(String url) {
    return url.replaceAll("(?i)password=[^&;]*", "password=***");
  }

  private static DataSource dataSource(RecordsSettings settings) {
    if (settings.postgres()) {
      PGSimpleDataSource pg = new PGSimpleDataSource();
      pg.setURL(settings.databaseUrl());
      if (settings.databaseUser() != null) {
        pg.setUser(settings.databaseUser());
      }
      if (settings.databasePassword() != null) {
        pg.setPassword(settings.databasePassword());
      }
      return pg;
    }
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL(settings.databaseUrl());
    h2.setUser(settings.databaseUser() == null ? "sa" : settings.databaseUser());
    h2.setPassword(settings.databasePassword() == null ? "" : settings.databasePassword());
    return h2;
  }

  private static <T> T withBundleLoader(Callable<T> call) throws Exception {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(BUNDLE);
    try {
      return call.call();
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  /**
   * Closes the pool. An embedded H2 database is shut down as well: in automatic server mode another version of the
   * plugin (another class loader) may be connected to the engine this one runs, which would otherwise outlive this
   * bundle's classes; its connections reconnect, and its own engine opens the file.
   */
  Future<Void> close() {
    Future<HikariDataSource> open;
    synchronized (this) {
      closed = true;
      open = pool;
    }
    // An open still in progress is waited for, then shut down like an open one (never on the caller's event loop).
    return open.<Void>transform(ar -> ar.failed() ? Future.succeededFuture()
        : workers.executeBlocking(() -> withBundleLoader(() -> {
          ar.result().close();
          if (!settings.postgres()) {
            try (Connection c = dataSource(settings).getConnection()) {
              c.createStatement().execute("SHUTDOWN");
            } catch (SQLException e) {
              LOG.debug("H2 shutdown: {}", e.getMessage());
            }
          }
          return null;
        }), false)).eventually(() -> workers.close());
  }
}
