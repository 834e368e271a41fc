package calciscreen.server;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;

/**
 * Says at start, on PostgreSQL, when nothing keeps the planner's statistics current. HAPI's queries are prepared
 * statements, and PostgreSQL plans a prepared statement again only when the statistics of its tables change. With
 * {@code autovacuum = off} and no scheduled {@code ANALYZE}, they never do: a statement planned while the database was
 * small keeps that plan as it grows. Measured on 2026-12-07 (docs/benchmarks/2026-12-07-hl7v2-statistics.md): one of
 * the screening's record searches took 10-12 s per execution on a database never analyzed, under 1 ms after one
 * {@code ANALYZE}. The server starts all the same (an operator may analyze on a schedule instead); the line says
 * what to do. Other databases, and a check that cannot run, are left alone.
 */
public final class PostgresStatisticsCheck implements ApplicationListener<ApplicationReadyEvent> {

    private static final Logger log = LoggerFactory.getLogger(PostgresStatisticsCheck.class);
    /** Tables this large and never analyzed are named in the warning (a fresh database's small ones do not count). */
    static final long LARGE_TABLE_ROWS = 10_000;

    private final DataSource dataSource;

    public PostgresStatisticsCheck(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** What the check reads off the server. */
    record Readings(String autovacuum, long largeTablesNeverAnalyzed) {}

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        try {
            readings().ifPresent(read -> warning(read.autovacuum(), read.largeTablesNeverAnalyzed())
                    .ifPresentOrElse(log::warn,
                            () -> log.info("event=postgres_statistics autovacuum={}", read.autovacuum())));
        } catch (SQLException e) {
            log.info("event=postgres_statistics_unchecked reason=\"{}\"", e.getMessage());
        }
    }

    /** The server's readings; empty when the database is not PostgreSQL. */
    Optional<Readings> readings() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            if (!connection.getMetaData().getURL().startsWith("jdbc:postgresql:")) {
                return Optional.empty();
            }
            try (Statement statement = connection.createStatement();
                 ResultSet result = statement.executeQuery("SELECT current_setting('autovacuum'), (SELECT count(*)"
                         + " FROM pg_stat_user_tables WHERE last_analyze IS NULL AND last_autoanalyze IS NULL"
                         + " AND n_live_tup >= " + LARGE_TABLE_ROWS + ")")) {
                result.next();
                return Optional.of(new Readings(result.getString(1), result.getLong(2)));
            }
        }
    }

    /** The warning for these readings of the server, or empty when autovacuum is on. */
    static Optional<String> warning(String autovacuum, long largeTablesNeverAnalyzed) {
        if (!"off".equalsIgnoreCase(autovacuum)) {
            return Optional.empty();
        }
        return Optional.of("event=postgres_autovacuum_off large_tables_never_analyzed=" + largeTablesNeverAnalyzed
                + " advice=\"the planner's statistics are never refreshed, so search plans go stale as the database"
                + " grows: turn autovacuum on (PostgreSQL's default) or run ANALYZE on a schedule and after every bulk"
                + " load (docs/operations.md)\"");
    }
}
