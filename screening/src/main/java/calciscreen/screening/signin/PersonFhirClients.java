package calciscreen.screening.signin;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IClientInterceptor;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.IHttpRequest;
import ca.uhn.fhir.rest.client.api.IHttpResponse;
import ca.uhn.fhir.rest.client.api.IRestfulClientFactory;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import java.util.Optional;

/**
 * FHIR clients that read and write as a signed-in person: each request carries that person's access token and
 * nothing else. Built on a FHIR context of their own, whose HTTP client never adds the screening's system token
 * (the screening's own client does), so a person can never read with the screening's wider rights.
 */
public final class PersonFhirClients {

    private final FhirContext fhir;
    private final String fhirBase;

    public PersonFhirClients(String fhirBase) {
        this.fhir = FhirContext.forR4();
        this.fhirBase = fhirBase;
        IRestfulClientFactory factory = fhir.getRestfulClientFactory();
        factory.setServerValidationMode(ServerValidationModeEnum.NEVER);
        factory.setHttpClient(calciscreen.smart.BearerTokenHttpClient.create(Optional.empty(), fhirBase, 40, 5_000,
                60_000));
    }

    /** A client whose every request carries {@code accessToken} (and asks servers that cache not to). */
    public IGenericClient as(String accessToken) {
        IGenericClient client = fhir.newRestfulGenericClient(fhirBase);
        client.registerInterceptor(new IClientInterceptor() {
            @Override
            public void interceptRequest(IHttpRequest request) {
                request.removeHeaders("Authorization");
                request.addHeader("Authorization", "Bearer " + accessToken);
                request.addHeader("Cache-Control", "no-cache");
            }

            @Override
            public void interceptResponse(IHttpResponse response) {}
        });
        return client;
    }
}
