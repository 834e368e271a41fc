package calciscreen.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;

class PostgresBatchedInsertsTest {

    private final PostgresBatchedInserts processor = new PostgresBatchedInserts();

    @Test
    void aPostgresPoolConnectsWithBatchedInsertsRewritten() {
        try (HikariDataSource pool = pool("jdbc:postgresql://db.example:5432/fhir")) {
            processor.postProcessBeforeInitialization(pool, "dataSource");

            assertThat(pool.getDataSourceProperties()).containsEntry("reWriteBatchedInserts", "true");
        }
    }

    @Test
    void anH2PoolIsLeftAsItIs() {
        try (HikariDataSource pool = pool("jdbc:h2:file:./data/calciscreen-fhir")) {
            processor.postProcessBeforeInitialization(pool, "dataSource");

            assertThat(pool.getDataSourceProperties()).isEmpty();
        }
    }

    @Test
    void otherBeansPassThroughUntouched() {
        Object bean = new Object();

        assertThat(processor.postProcessBeforeInitialization(bean, "other")).isSameAs(bean);
    }

    private static HikariDataSource pool(String url) {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(url);
        return pool;
    }
}
