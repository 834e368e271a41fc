package calciscreen.server;

import java.util.UUID;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The server contract on the zero-setup default (embedded H2 file database), in a fresh folder under target/. */
@SpringBootTest(classes = FhirServerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
class FhirServerOnEmbeddedH2IT extends FhirServerContract {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        // the default URL, only moved under target/ so that runs do not share data
        registry.add("spring.datasource.url",
                () -> "jdbc:h2:file:./target/h2-it-" + UUID.randomUUID() + "/calciscreen-fhir;DB_CLOSE_ON_EXIT=FALSE");
    }
}
