package calciscreen.hl7v2.mapping;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * One message as one FHIR transaction (all or nothing), every resource found again by a business identifier:
 * created once ({@code If-None-Exist}) or created-or-updated (conditional update), never duplicated.
 *
 * @param bundle      the transaction
 * @param patientKeys the patients it writes for ({@code system|value}), the keys messages are ordered by
 * @param results     how many results (Observations) it carries
 */
public record Transaction(Bundle bundle, Set<String> patientKeys, int results) {

    /** Collects the entries of a transaction. */
    public static final class Builder {
        private final Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        private final Set<String> patientKeys = new LinkedHashSet<>();
        private final Set<String> conditions = new java.util.HashSet<>();
        private final List<Reference> written = new ArrayList<>();
        private int results;

        /** Created if no resource has {@code identifier} yet; left as it is otherwise. */
        public Reference createOnce(Resource resource, Identifier identifier) {
            return add(resource, HTTPVerb.POST, resource.fhirType(), match(resource.fhirType(), identifier), true);
        }

        /** Created, or replaced when a resource with {@code identifier} exists (a new version of it). */
        public Reference createOrUpdate(Resource resource, Identifier identifier) {
            String match = match(resource.fhirType(), identifier);
            return add(resource, HTTPVerb.PUT, match, match, false);
        }

        /** Whether an entry of this type already uses this identifier (two results that would be one). */
        public boolean has(String type, Identifier identifier) {
            return conditions.contains(match(type, identifier));
        }

        public void patient(String key) {
            patientKeys.add(key);
        }

        public void countResult() {
            results++;
        }

        /** Everything written so far (for the message's receipt). */
        public List<Reference> written() {
            return List.copyOf(written);
        }

        public Transaction build() {
            return new Transaction(bundle, Set.copyOf(patientKeys), results);
        }

        private Reference add(Resource resource, HTTPVerb verb, String url, String condition, boolean ifNoneExist) {
            if (!conditions.add(condition)) {
                throw new IllegalStateException("two entries for " + condition);
            }
            String fullUrl = "urn:uuid:" + UUID.randomUUID();
            Bundle.BundleEntryRequestComponent request = bundle.addEntry().setFullUrl(fullUrl).setResource(resource)
                    .getRequest().setMethod(verb).setUrl(url);
            if (ifNoneExist) {
                request.setIfNoneExist(condition.substring(condition.indexOf('?') + 1));
            }
            Reference reference = new Reference(fullUrl);
            written.add(reference);
            return reference;
        }
    }

    /** {@code Type?identifier=system|value}, the value escaped as FHIR token searches need, URL-encoded. */
    public static String match(String type, Identifier identifier) {
        String token = escape(identifier.getSystem()) + "|" + escape(identifier.getValue());
        return type + "?identifier=" + URLEncoder.encode(token, StandardCharsets.UTF_8).replace("%7C", "|");
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("|", "\\|").replace(",", "\\,").replace("$", "\\$");
    }
}
