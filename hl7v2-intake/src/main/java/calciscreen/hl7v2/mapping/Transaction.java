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
 * One message as one FHIR transaction (all or nothing), every resource found again by a business identifier, never
 * duplicated: a resource only the intake writes (results, reports, orders, specimens) lives at an id derived from its
 * identifier and is written by a plain PUT (created, or a new version when it changed; no search needed); a
 * resource others may have written too (a Patient) or that must be created only once (a message's receipt) is
 * written conditionally on its identifier.
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

        /**
         * Created, or replaced when a resource with {@code identifier} exists (a new version of it), found by the
         * identifier: for a resource others may have written (a Patient).
         */
        public Reference createOrUpdate(Resource resource, Identifier identifier) {
            String match = match(resource.fhirType(), identifier);
            return add(resource, HTTPVerb.PUT, match, match, false);
        }

        /**
         * Created or replaced at the id derived from {@code identifier} ({@link #idFor}): for a resource only the
         * intake writes, so no search is needed to find it again.
         */
        public Reference put(Resource resource, Identifier identifier) {
            String id = idFor(resource.fhirType(), identifier);
            resource.setId(resource.fhirType() + "/" + id);
            return add(resource, HTTPVerb.PUT, resource.fhirType() + "/" + id, match(resource.fhirType(), identifier),
                    false);
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

    /**
     * The id of the resource of {@code type} with {@code identifier}: {@code hl7v2-} and 32 hex digits of the SHA-256
     * of type, system and value (FHIR ids allow 64 characters of {@code [A-Za-z0-9.-]}).
     */
    public static String idFor(String type, Identifier identifier) {
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(
                    (type + "|" + identifier.getSystem() + "|" + identifier.getValue()).getBytes(StandardCharsets.UTF_8));
            return "hl7v2-" + java.util.HexFormat.of().formatHex(hash, 0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
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
