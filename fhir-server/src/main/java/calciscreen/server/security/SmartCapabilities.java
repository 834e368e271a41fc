package calciscreen.server.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestSecurityComponent;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.UriType;

/**
 * Says in the CapabilityStatement ({@code rest.security}) that this server takes SMART tokens, and where they come
 * from, for clients that read {@code /fhir/metadata} rather than the smart-configuration.
 */
@Interceptor
public class SmartCapabilities {

    private final AuthEndpoints endpoints;

    public SmartCapabilities(AuthEndpoints endpoints) {
        this.endpoints = endpoints;
    }

    @Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
    public void describeSecurity(IBaseConformance capabilities) {
        if (!(capabilities instanceof CapabilityStatement statement)) {
            return;
        }
        for (var rest : statement.getRest()) {
            CapabilityStatementRestSecurityComponent security = rest.getSecurity();
            security.setCors(false);
            security.addService(new CodeableConcept(new Coding(
                    "http://terminology.hl7.org/CodeSystem/restful-security-service", "SMART-on-FHIR", "SMART-on-FHIR")));
            String authorize = endpoints.authorizationEndpoint();
            security.setDescription("Bearer tokens through SMART Backend Services (client credentials, private_key_jwt)"
                    + (authorize == null ? "" : " and, for people, SMART App Launch (authorization code, PKCE S256)")
                    + "; see .well-known/smart-configuration. Scopes: SMART system/ and user/ scopes.");
            Extension uris = security.addExtension()
                    .setUrl("http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris");
            if (authorize != null) {
                uris.addExtension("authorize", new UriType(authorize));
            }
            uris.addExtension("token", new UriType(endpoints.tokenEndpoint()));
        }
    }
}
