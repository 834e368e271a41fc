package calciscreen.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * A PostgreSQL database of its own for one test run: created on first use, dropped when the JVM exits.
 *
 * <p>Where the server comes from, in order:
 * <ol>
 *   <li>the server named by {@code CALCISCREEN_TEST_PG_URL} (an admin JDBC URL, default
 *       {@code jdbc:postgresql://127.0.0.1:5432/postgres}, user {@code CALCISCREEN_TEST_PG_USER}, default
 *       {@code postgres}, password {@code CALCISCREEN_TEST_PG_PASSWORD}), when it answers;</li>
 *   <li>otherwise a Testcontainers PostgreSQL, when a Docker engine is there;</li>
 *   <li>otherwise the test fails with a message saying how to provide one. It never skips.</li>
 * </ol>
 */
public final class PostgresTestDatabase {

    private static final Logger log = LoggerFactory.getLogger(PostgresTestDatabase.class);
    private static final String DEFAULT_ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";
    private static PostgreSQLContainer<?> container;

    private final String jdbcUrl;
    private final String username;
    private final String password;
    private final String name;

    private PostgresTestDatabase(String jdbcUrl, String username, String password, String name) {
        this.jdbcUrl = jdbcUrl;
        this.username = username;
        this.password = password;
        this.name = name;
    }

    /**
     * Runs {@code ANALYZE} on this database: what PostgreSQL's documentation advises after a bulk load, so that the
     * planner has statistics before the first queries instead of waiting for autovacuum to gather them.
     */
    public void analyze() {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, username, password)) {
            analyze(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("ANALYZE failed on " + name + ": " + e.getMessage(), e);
        }
    }

    /** A server setting as this database's connections see it ({@code current_setting}), e.g. {@code autovacuum}. */
    public String setting(String name) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, username, password)) {
            return setting(connection, name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read setting " + name + " on " + this.name + ": " + e.getMessage(), e);
        }
    }

    /** {@code ANALYZE} of the database {@code connection} is to (this class's or any other, e.g. another server's). */
    public static void analyze(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("ANALYZE");
        }
    }

    /** A server setting as {@code connection} sees it ({@code current_setting}). */
    public static String setting(Connection connection, String name) throws SQLException {
        try (var statement = connection.prepareStatement("SELECT current_setting(?)")) {
            statement.setString(1, name);
            try (var result = statement.executeQuery()) {
                result.next();
                return result.getString(1);
            }
        }
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    public String name() {
        return name;
    }

    /** Creates a fresh database whose name starts with {@code purpose}; it is dropped when the JVM exits. */
    public static synchronized PostgresTestDatabase create(String purpose) {
        Server server = locateServer();
        String name = ("calciscreen_" + purpose + "_" + UUID.randomUUID().toString().substring(0, 8))
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        server.execute("CREATE DATABASE " + name);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> server.dropQuietly(name), "drop-" + name));
        String url = server.databaseUrl(name);
        log.info("event=test_database_created name={} url={}", name, url);
        return new PostgresTestDatabase(url, server.username, server.password, name);
    }

    private static Server locateServer() {
        String adminUrl = env("CALCISCREEN_TEST_PG_URL", DEFAULT_ADMIN_URL);
        String user = env("CALCISCREEN_TEST_PG_USER", "postgres");
        String password = env("CALCISCREEN_TEST_PG_PASSWORD", "");
        Server configured = new Server(adminUrl, user, password);
        SQLException failure = configured.probe();
        if (failure == null) {
            return configured;
        }
        if (dockerAvailable()) {
            if (container == null) {
                container = new PostgreSQLContainer<>("postgres:15-alpine");
                container.start();
            }
            return new Server(container.getJdbcUrl(), container.getUsername(), container.getPassword());
        }
        throw new IllegalStateException("These tests need PostgreSQL, and none could be reached. Tried "
                + adminUrl + " as " + user + " (" + failure.getMessage() + ") and found no Docker engine for "
                + "Testcontainers. Start PostgreSQL on 127.0.0.1:5432 (trust auth for user postgres), or set "
                + "CALCISCREEN_TEST_PG_URL / _USER / _PASSWORD to an admin connection, or start Docker.");
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    /** An admin connection to a PostgreSQL server. */
    private record Server(String adminUrl, String username, String password) {

        SQLException probe() {
            DriverManager.setLoginTimeout(5);
            try (Connection ignored = connect()) {
                return null;
            } catch (SQLException e) {
                return e;
            }
        }

        void execute(String sql) {
            try (Connection connection = connect(); Statement statement = connection.createStatement()) {
                statement.execute(sql);
            } catch (SQLException e) {
                throw new IllegalStateException("PostgreSQL refused: " + sql + ": " + e.getMessage(), e);
            }
        }

        void dropQuietly(String name) {
            try (Connection connection = connect(); Statement statement = connection.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            } catch (SQLException e) {
                System.err.println("could not drop test database " + name + ": " + e.getMessage());
            }
        }

        /** The admin URL with its database name replaced, query parameters kept. */
        String databaseUrl(String database) {
            int query = adminUrl.indexOf('?');
            String base = query < 0 ? adminUrl : adminUrl.substring(0, query);
            String params = query < 0 ? "" : adminUrl.substring(query);
            int slash = base.lastIndexOf('/');
            return base.substring(0, slash + 1) + database + params;
        }

        private Connection connect() throws SQLException {
            return DriverManager.getConnection(adminUrl, username, password);
        }
    }
}
