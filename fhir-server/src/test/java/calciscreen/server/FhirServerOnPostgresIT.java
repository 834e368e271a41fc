package calciscreen.server;

import calciscreen.testing.PostgresTestDatabase;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The server contract on PostgreSQL, in a database created for this run and dropped after it. */
@SpringBootTest(classes = FhirServerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
class FhirServerOnPostgresIT extends FhirServerContract {

    static final PostgresTestDatabase DATABASE = PostgresTestDatabase.create("fhir_server");

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", DATABASE::jdbcUrl);
        registry.add("spring.datasource.username", DATABASE::username);
        registry.add("spring.datasource.password", DATABASE::password);
    }
}
