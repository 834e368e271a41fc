package calciscreen.e2e;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.junit.jupiter.api.BeforeAll;

/** What every end-to-end test class shares: the running stack, a FHIR client and the Flag queries. */
abstract class EndToEndTest {

    static Stack stack;
    static IGenericClient client;
    static Flags flags;

    @BeforeAll
    static void connect() {
        stack = Stack.get();
        client = stack.client();
        flags = new Flags(client);
    }

    /** Posts the data as one transaction and answers the id of the patient (the first entry). */
    static String post(ClinicalData data) {
        return new IdType(postTransaction(data).getEntryFirstRep().getResponse().getLocation()).getIdPart();
    }

    static Bundle postTransaction(ClinicalData data) {
        return client.transaction().withBundle(data.transaction()).execute();
    }
}
