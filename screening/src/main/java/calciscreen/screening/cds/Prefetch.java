package calciscreen.screening.cds;

import calciscreen.screening.context.PatientRecordLoader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The prefetch templates of the {@code calciphylaxis-risk} service: what rule set v1 reads, as targeted FHIR
 * queries with the codes as search parameters (the same codes the screening's {@link PatientRecordLoader} searches).
 *
 * <p>CDS Hooks 2.0 has no token for a date relative to today, so the Observation and Procedure templates cannot
 * carry the lookback; the rules apply it exactly to whatever the EHR sends. When the service fetches a part itself
 * it adds the lookback as {@code date=ge...} (and {@code _lastUpdated=ge...} for results that carry only
 * {@code issued}), as the screening does.
 */
public enum Prefetch {
    PATIENT("patient", "Patient/{{context.patientId}}", Set.of("Patient")),
    OBSERVATIONS("observations", "Observation?patient={{context.patientId}}&code="
            + PatientRecordLoader.observationCodes(), Set.of("Observation")),
    CONDITIONS("conditions", "Condition?patient={{context.patientId}}", Set.of("Condition")),
    PROCEDURES("procedures", "Procedure?patient={{context.patientId}}&code=" + PatientRecordLoader.procedureCodes(),
            Set.of("Procedure")),
    MEDICATION_REQUESTS("medicationRequests", "MedicationRequest?patient={{context.patientId}}&status="
            + PatientRecordLoader.CURRENT_ORDER_STATUSES + "&_include=MedicationRequest:medication",
            Set.of("MedicationRequest", "Medication")),
    MEDICATION_STATEMENTS("medicationStatements", "MedicationStatement?patient={{context.patientId}}&status="
            + PatientRecordLoader.CURRENT_STATEMENT_STATUSES + "&_include=MedicationStatement:medication",
            Set.of("MedicationStatement", "Medication"));

    public static final String PATIENT_TOKEN = "{{context.patientId}}";

    private final String key;
    private final String template;
    private final Set<String> types;

    Prefetch(String key, String template, Set<String> types) {
        this.key = key;
        this.template = template;
        this.types = types;
    }

    public String key() {
        return key;
    }

    public String template() {
        return template;
    }

    /** The resource types a Bundle for this key may hold (OperationOutcome entries are ignored). */
    public Set<String> types() {
        return types;
    }

    public boolean isRead() {
        return this == PATIENT;
    }

    /** The templates, for discovery, in a stable order. */
    public static Map<String, String> templates() {
        Map<String, String> map = new LinkedHashMap<>();
        for (Prefetch p : values()) {
            map.put(p.key, p.template);
        }
        return map;
    }

    /**
     * The queries this service runs itself for this key: the template for the patient, narrowed to the lookback
     * ({@code from}, an ISO instant) where the part is time-bound.
     */
    public List<String> queries(String patientId, String from) {
        String url = template.replace(PATIENT_TOKEN, patientId);
        switch (this) {
            case OBSERVATIONS:
                return List.of(url + "&date=ge" + from, url + "&_lastUpdated=ge" + from);
            case PROCEDURES:
                return List.of(url + "&date=ge" + from);
            default:
                return List.of(url);
        }
    }
}
