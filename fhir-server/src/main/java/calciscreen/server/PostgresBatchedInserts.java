package calciscreen.server;

import com.zaxxer.hikari.HikariDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * On PostgreSQL, has pgjdbc send each JDBC batch of INSERTs as multi-row INSERTs ({@code reWriteBatchedInserts}).
 * Hibernate already batches HAPI's inserts (20 statements a batch, ordered by table), but pgjdbc then still sends one
 * INSERT per row: a 2,900-resource transaction writes some 40,000 index rows, each its own statement for PostgreSQL
 * to bind, execute and count. Rewritten, 20 rows are one statement. H2 has no such property (an unknown one fails its
 * connection), so the pool of any other database is left as it is. A URL that sets {@code reWriteBatchedInserts}
 * itself wins: pgjdbc reads the URL's parameters over the connection properties.
 */
public final class PostgresBatchedInserts implements BeanPostProcessor {

    private static final Logger log = LoggerFactory.getLogger(PostgresBatchedInserts.class);
    static final String PROPERTY = "reWriteBatchedInserts";

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof HikariDataSource pool) {
            apply(pool);
        }
        return bean;
    }

    /** Sets the property on a pool of a PostgreSQL URL, before its first connection; true when it did. */
    static boolean apply(HikariDataSource pool) {
        String url = pool.getJdbcUrl();
        if (url == null || !url.startsWith("jdbc:postgresql:")) {
            return false;
        }
        pool.addDataSourceProperty(PROPERTY, "true");
        log.info("event=postgres_batched_inserts property={} value=true", PROPERTY);
        return true;
    }
}
