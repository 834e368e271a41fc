package calciscreen.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;

/** Calls the screening's CDS Hooks service as an EHR does: signed JWT, JSON request, prefetch built from resources. */
final class CdsHooks {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String SERVICE = "calciphylaxis-risk";

    private final Stack stack;
    private final ECKey devKey;

    CdsHooks(Stack stack) {
        this.stack = stack;
        try {
            devKey = ECKey.parse(Files.readString(stack.screeningStateDir().resolve("cds-dev-client.jwk.json")));
        } catch (IOException e) {
            throw new UncheckedIOException("the screening did not write its development CDS client key", e);
        } catch (java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    String serviceUrl() {
        return stack.screeningBase() + "/cds-services/" + SERVICE;
    }

    /** A JWT signed by the development CDS client (a new jti each time). */
    String token() {
        return token(devKey, "calciscreen-dev-ehr", serviceUrl(), Instant.now().plusSeconds(300));
    }

    static String token(ECKey key, String issuer, String audience, Instant expires) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer).subject(issuer).audience(audience)
                .issueTime(new Date()).expirationTime(Date.from(expires)).jwtID(UUID.randomUUID().toString()).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES384).keyID(key.getKeyID()).build(), claims);
        try {
            jwt.sign(new ECDSASigner(key));
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    HttpResponse<String> discovery() {
        return stack.send(HttpRequest.newBuilder(URI.create(stack.screeningBase() + "/cds-services")).GET().build());
    }

    HttpResponse<String> call(String body) {
        return call(body, token());
    }

    HttpResponse<String> call(String body, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(serviceUrl()))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return stack.send(request.build());
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    /** A patient-view request without prefetch. */
    static ObjectNode request(String patientId) {
        ObjectNode root = JSON.createObjectNode();
        root.put("hook", "patient-view");
        root.put("hookInstance", UUID.randomUUID().toString());
        ObjectNode context = root.putObject("context");
        context.put("userId", "Practitioner/example");
        context.put("patientId", patientId);
        return root;
    }

    /**
     * Names the FHIR server the service may read what the prefetch lacks from, with the access token the EHR hands
     * over for it ({@code fhirAuthorization}): here a read-only token of the stack's own server.
     */
    static ObjectNode onFhirServer(ObjectNode request, Stack stack) {
        request.put("fhirServer", stack.fhirBase());
        request.putObject("fhirAuthorization").put("access_token", stack.token("calciscreen-admin", "system/*.rs"))
                .put("token_type", "Bearer").put("expires_in", 300).put("scope", "system/*.rs")
                .put("subject", "calciscreen-admin");
        return request;
    }

    /** A patient-view request whose prefetch holds the patient and the resources, each under its template's key. */
    static ObjectNode withPrefetch(Patient patient, List<? extends Resource> resources) {
        String patientId = patient.getIdElement().getIdPart();
        ObjectNode root = request(patientId);
        ObjectNode prefetch = root.putObject("prefetch");
        prefetch.set("patient", resource(patient));
        Map<String, String> keys = Map.of("Observation", "observations", "Condition", "conditions",
                "Procedure", "procedures", "MedicationRequest", "medicationRequests",
                "MedicationStatement", "medicationStatements");
        for (String key : keys.values()) {
            Bundle bundle = new Bundle().setType(Bundle.BundleType.SEARCHSET);
            for (Resource r : resources) {
                if (key.equals(keys.get(r.fhirType()))) {
                    bundle.addEntry().setResource(r);
                }
            }
            bundle.setTotal(bundle.getEntry().size());
            prefetch.set(key, resource(bundle));
        }
        return root;
    }

    static JsonNode resource(Resource resource) {
        try {
            return JSON.readTree(Stack.FHIR.newJsonParser().encodeResourceToString(resource));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
