package dev.switchboard.records;

import com.zaxxer.hikari.HikariConfig;
import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.SwitchboardException;
import com.zaxxer.hikari.HikariDataSource;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.sql.Connection;
import java.sql.SQLException;
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

  private final HikariDataSource pool;
  private final WorkerExecutor workers;
  private final RecordsSettings settings;

  private Database(HikariDataSource pool, WorkerExecutor workers, RecordsSettings settings) {
    this.pool = pool;
    this.workers = workers;
    this.settings = settings;
  }

  /** Opens the pool and migrates the schema, on a worker; fails with what to check when the database is unreachable. */
  static Future<Database> open(Vertx vertx, RecordsSettings settings, String name) {
    WorkerExecutor workers = vertx.createSharedWorkerExecutor(name, settings.poolSize());
    return workers.executeBlocking(() -> withBundleLoader(() -> {
      HikariConfig config = new HikariConfig();
      config.setPoolName(name);
      config.setDataSource(dataSource(settings));
      config.setMaximumPoolSize(settings.poolSize());
      config.setMinimumIdle(0);
      config.setConnectionTimeout(5_000);
      config.setInitializationFailTimeout(-1);
      HikariDataSource pool = new HikariDataSource(config);
      try {
        Flyway.configure(BUNDLE).dataSource(pool).locations("classpath:dev/switchboard/records/db")
            .placeholders(Map.of("text", settings.postgres() ? "TEXT" : "CLOB")).load().migrate();
      } catch (RuntimeException e) {
        pool.close();
        throw e;
      }
      LOG.info("Records database ready at {}", safe(settings.databaseUrl()));
      return pool;
    }), false).<Database>map(pool -> new Database(pool, workers, settings))
        .recover(e -> {
          workers.close();
          return Future.failedFuture(new SwitchboardException(ErrorCode.NOT_READY, "databaseUnavailable",
              "The records database at " + safe(settings.databaseUrl()) + " could not be opened or migrated: "
                  + e.getMessage() + ". Check plugins.records.database.url, user and password, and that the"
                  + " database is up; the records plugin starts again when its bundle is updated or restarted.", e));
        });
  }

  /** Runs {@code work} on a pooled connection, on a worker, in one transaction (committed if it returns). */
  <T> Future<T> transaction(Work<T> work) {
    return workers.executeBlocking(() -> withBundleLoader(() -> {
      try (Connection c = pool.getConnection()) {
        c.setAutoCommit(false);
        try {
          T result = work.run(c);
          c.commit();
          return result;
        } catch (SQLException | RuntimeException e) {
          c.rollback();
          throw e;
        }
      }
    }), false);
  }

  /** Runs read-only {@code work} on a pooled connection, on a worker. */
  <T> Future<T> read(Work<T> work) {
    return workers.executeBlocking(() -> withBundleLoader(() -> {
      try (Connection c = pool.getConnection()) {
        c.setReadOnly(true);
        return work.run(c);
      }
    }), false);
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
    return workers.<Void>executeBlocking(() -> withBundleLoader(() -> {
      pool.close();
      if (!settings.postgres()) {
        try (Connection c = dataSource(settings).getConnection()) {
          c.createStatement().execute("SHUTDOWN");
        } catch (SQLException e) {
          LOG.debug("H2 shutdown: {}", e.getMessage());
        }
      }
      return null;
    }), false).eventually(() -> workers.close());
  }
}
