package calciscreen.server;

import static org.assertj.core.api.Assertions.assertThat;

import calciscreen.testing.PostgresTestDatabase;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;

class PostgresStatisticsCheckTest {

    @Test
    void autovacuumOffIsWarnedAboutWithWhatToDo() {
        assertThat(PostgresStatisticsCheck.warning("off", 3)).hasValueSatisfying(line -> assertThat(line)
                .startsWith("event=postgres_autovacuum_off large_tables_never_analyzed=3 ")
                .contains("ANALYZE on a schedule"));
    }

    @Test
    void autovacuumOnNeedsNoWarning() {
        assertThat(PostgresStatisticsCheck.warning("on", 0)).isEmpty();
        assertThat(PostgresStatisticsCheck.warning("on", 5)).isEmpty(); // autovacuum will get to them
    }

    @Test
    void readsTheSettingOffARealPostgresServer() throws Exception {
        PostgresTestDatabase database = PostgresTestDatabase.create("statistics_check");
        String shown = database.setting("autovacuum");
        try (HikariDataSource pool = new HikariDataSource()) {
            pool.setJdbcUrl(database.jdbcUrl());
            pool.setUsername(database.username());
            pool.setPassword(database.password());

            assertThat(new PostgresStatisticsCheck(pool).readings())
                    .contains(new PostgresStatisticsCheck.Readings(shown, 0)); // a fresh database has no large table
        }
    }

    @Test
    void anotherDatabaseIsNotChecked() throws Exception {
        try (HikariDataSource pool = new HikariDataSource()) {
            pool.setJdbcUrl("jdbc:h2:mem:statistics-check");

            assertThat(new PostgresStatisticsCheck(pool).readings()).isEmpty();
        }
    }
}
