package calciscreen.screening.cds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A validated {@code patient-view} call: what the specification requires is present and of the right JSON type,
 * otherwise {@link CdsException#badRequest} with a sentence naming the field.
 *
 * @param hookInstance the call's id (for the logs)
 * @param patientId    {@code context.patientId}
 * @param fhirServer   the EHR's FHIR base URL, if sent
 * @param accessToken  {@code fhirAuthorization.access_token}, if sent
 * @param prefetch     the prefetch keys this service knows that the EHR filled (a JSON null means "could not": absent)
 * @param userId       {@code context.userId}, the person at the chart ({@code Practitioner/123}), when it is a
 *                     reference to a person; empty otherwise (the audit then names the EHR client alone)
 */
public record CdsRequest(String hookInstance, String patientId, Optional<String> fhirServer,
                         Optional<String> accessToken, Map<Prefetch, JsonNode> prefetch, Optional<String> userId) {

    public static final String HOOK = "patient-view";
    private static final Pattern FHIR_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");
    private static final Pattern HOOK_INSTANCE = Pattern.compile("[A-Za-z0-9\\-]{1,64}");
    private static final Pattern USER = Pattern.compile(
            "(Practitioner|PractitionerRole|Patient|RelatedPerson)/[A-Za-z0-9\\-.]{1,64}");

    public static CdsRequest parse(ObjectMapper json, String body) {
        if (body == null || body.isBlank()) {
            throw CdsException.badRequest("the request has no body: a CDS Hooks call is a JSON object with hook, "
                    + "hookInstance and context");
        }
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (Exception e) {
            throw CdsException.badRequest("the request body is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw CdsException.badRequest("the request body must be a JSON object");
        }
        JsonNode hook = root.get("hook");
        if (hook == null || hook.isNull()) {
            throw CdsException.badRequest("missing `hook`: this service answers the `patient-view` hook");
        }
        if (!hook.isTextual() || !HOOK.equals(hook.asText())) {
            throw CdsException.badRequest("unknown hook `" + text(hook) + "`: this service answers only `patient-view`");
        }
        // logged: only a UUID-like value, never free text a caller chose
        String hookInstance = root.path("hookInstance").isTextual()
                && HOOK_INSTANCE.matcher(root.get("hookInstance").asText()).matches()
                ? root.get("hookInstance").asText() : "-";
        JsonNode context = root.get("context");
        if (context == null || !context.isObject()) {
            throw CdsException.badRequest("missing `context`: patient-view needs `context.patientId`");
        }
        JsonNode patient = context.get("patientId");
        if (patient == null || !patient.isTextual() || patient.asText().isBlank()) {
            throw CdsException.badRequest("missing `context.patientId`: patient-view needs the id of the patient "
                    + "whose chart is open");
        }
        if (!FHIR_ID.matcher(patient.asText()).matches()) {
            throw CdsException.badRequest("`context.patientId` is not a FHIR id (1-64 of A-Z a-z 0-9 - .)");
        }
        Optional<String> fhirServer = Optional.empty();
        JsonNode server = root.get("fhirServer");
        if (server != null && !server.isNull()) {
            if (!server.isTextual() || !(server.asText().startsWith("http://") || server.asText().startsWith("https://"))) {
                throw CdsException.badRequest("`fhirServer` must be an http(s) URL");
            }
            fhirServer = Optional.of(server.asText());
        }
        Optional<String> token = Optional.empty();
        JsonNode auth = root.get("fhirAuthorization");
        if (auth != null && !auth.isNull()) {
            if (fhirServer.isEmpty()) {
                throw CdsException.badRequest("`fhirAuthorization` is sent without `fhirServer` (CDS Hooks cds-r-1)");
            }
            if (!auth.isObject() || !auth.path("access_token").isTextual()) {
                throw CdsException.badRequest("`fhirAuthorization` must be an object with `access_token`");
            }
            token = Optional.of(auth.get("access_token").asText());
        }
        Map<Prefetch, JsonNode> prefetch = new EnumMap<>(Prefetch.class);
        JsonNode given = root.get("prefetch");
        if (given != null && !given.isNull()) {
            if (!given.isObject()) {
                throw CdsException.badRequest("`prefetch` must be a JSON object keyed by the discovery's prefetch keys");
            }
            for (Prefetch p : Prefetch.values()) {
                JsonNode value = given.get(p.key());
                if (value == null || value.isNull()) {
                    continue;
                }
                String type = value.path("resourceType").asText("");
                if (!value.isObject() || type.isEmpty()) {
                    throw CdsException.badRequest("prefetch `" + p.key() + "` must be a FHIR resource (JSON object "
                            + "with resourceType)");
                }
                String expected = p.isRead() ? "Patient" : "Bundle";
                if (!expected.equals(type)) {
                    throw CdsException.badRequest("prefetch `" + p.key() + "` must be a " + expected + " (template `"
                            + p.template() + "`), got a " + type);
                }
                prefetch.put(p, value);
            }
        }
        Optional<String> user = Optional.ofNullable(context.get("userId")).filter(JsonNode::isTextual)
                .map(JsonNode::asText).filter(u -> USER.matcher(u).matches());
        return new CdsRequest(hookInstance, patient.asText(), fhirServer, token, Collections.unmodifiableMap(prefetch),
                user);
    }

    private static String text(JsonNode node) {
        String s = node.isTextual() ? node.asText() : node.toString();
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
