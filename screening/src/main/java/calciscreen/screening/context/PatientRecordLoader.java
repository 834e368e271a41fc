package calciscreen.screening.context;

import calciscreen.model.CanonicalUrls;
import calciscreen.model.terminology.Code;
import calciscreen.model.terminology.Concept;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.RiskAssessment;

/**
 * Reads a patient's {@link PatientRecord}: everything the rules need, in a single {@code batch} Bundle of targeted searches
 * (codes and the lookback as search parameters, never {@code $everything}), then follows paging.
 * The same batch also fetches the patient's Flag and RiskAssessment, so one round trip serves the writer too.
 */
public class PatientRecordLoader {

    static final int PAGE_SIZE = 200;
    /** Page size of the searches of a chunk of patients (the server's default maximum). */
    static final int BULK_PAGE_SIZE = 500;
    /**
     * The batch asks the server not to store its searches ({@code Cache-Control: no-store}): HAPI then runs each one
     * synchronously on the request thread, with no search entity and no result rows written for paging, and
     * answers up to this many matches without a next link. A search whose answer fills a page may have been cut
     * short and is run again with paging, so a patient with a long record (or a chunk of them) is read whole all
     * the same. This is the limit HAPI applies by default ({@code cacheControlNoStoreMaxResultsUpperLimit}).
     */
    static final int UNPAGED_MAX_RESULTS = 1000;

    private static final String OBSERVATION_CODES = codes(Concept.CALCIUM_TOTAL, Concept.CALCIUM_TOTAL_CORRECTED,
            Concept.CALCIUM_IONIZED, Concept.PHOSPHATE, Concept.PTH, Concept.ALBUMIN, Concept.BMI,
            Concept.DIALYSIS_STATUS);
    private static final String PROCEDURE_CODES = codes(Concept.DIALYSIS_PROCEDURE);
    private static final String CONDITION_CODES = String.join(",", Concept.searchTokens(Concept.CONDITIONS));
    /** The statuses in which an order or a statement counts (screening-rules.md, "Medication status"). */
    public static final String CURRENT_ORDER_STATUSES = "active,on-hold";
    public static final String CURRENT_STATEMENT_STATUSES = "active,intended";

    private final IGenericClient client;
    private final int unpagedMaxResults;

    public PatientRecordLoader(IGenericClient client) {
        this(client, UNPAGED_MAX_RESULTS);
    }

    /**
     * @param unpagedMaxResults the most matches an unstored search may ask for: at most the server's
     *                          {@code cacheControlNoStoreMaxResultsUpperLimit} (HAPI answers 400 to more, it never
     *                          cuts an answer short silently)
     */
    public PatientRecordLoader(IGenericClient client, int unpagedMaxResults) {
        this.client = client;
        this.unpagedMaxResults = unpagedMaxResults;
    }

    /** The codes a search may filter Observations on (also the Subscription criteria). */
    public static String observationCodes() {
        return OBSERVATION_CODES;
    }

    public static String procedureCodes() {
        return PROCEDURE_CODES;
    }

    /**
     * Code tokens that match every Condition the rules may read (the Subscription criteria): their SNOMED CT codes in
     * any system, every ICD-10-CM code (prefixes cannot be searched) in each spelling of its system.
     */
    public static String conditionCodes() {
        return CONDITION_CODES;
    }

    public PatientRecord load(String patientId, Instant at, java.time.Duration lookback) {
        return loadAll(List.of(patientId), at, lookback).get(patientId);
    }

    /**
     * Reads the records of several patients with the same searches as {@link #load}, each asked once for all of them
     * ({@code subject=Patient/a,Patient/b,...}), and sorts what comes back by patient: a backfill pays each search's
     * fixed cost once per chunk, not once per patient. Every search is asked unstored (see
     * {@link #UNPAGED_MAX_RESULTS}); one whose answer fills its page is read again, paged.
     *
     * @return a record for every id asked for (a patient the server does not hold has an empty {@code patient()})
     */
    public Map<String, PatientRecord> loadAll(List<String> patientIds, Instant at, java.time.Duration lookback) {
        if (patientIds.isEmpty()) {
            return Map.of();
        }
        int pageSize = Math.min(patientIds.size() == 1 ? PAGE_SIZE : BULK_PAGE_SIZE, unpagedMaxResults);
        String subjects = patientIds.stream().map(id -> "Patient/" + id).collect(Collectors.joining(","));
        // a day of slack: the rules apply the exact window; the search only has to include it
        String from = at.minus(lookback).minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
        Map<String, String> byIdentifier = new LinkedHashMap<>();
        for (String id : patientIds) {
            byIdentifier.put(CanonicalUrls.screeningIdentifierValue(id), id);
        }
        String identifiers = byIdentifier.keySet().stream()
                .map(value -> CanonicalUrls.SCREENING_IDENTIFIER_SYSTEM + "|" + value).collect(Collectors.joining(","));

        Bundle batch = new Bundle().setType(BundleType.BATCH);
        get(batch, "Patient?_id=" + String.join(",", patientIds) + "&_count=" + pageSize);
        // labs by when they were taken; and, for results with no effective time at all (the rules then use `issued`,
        // which no R4 search parameter indexes), by when they were stored: an `issued` in the lookback was stored in
        // it too. `date:missing=true` keeps that second search to those results only: without it, it answered every
        // result stored since `from` whatever its date, the whole history of a patient loaded in bulk.
        get(batch, "Observation?subject=" + subjects + "&code=" + OBSERVATION_CODES + "&date=ge" + from
                + "&_count=" + pageSize);
        get(batch, "Observation?subject=" + subjects + "&code=" + OBSERVATION_CODES + "&date:missing=true"
                + "&_lastUpdated=ge" + from + "&_count=" + pageSize);
        // every Condition: ICD-10-CM value sets are prefixes, which a token search cannot express
        get(batch, "Condition?subject=" + subjects + "&_count=" + pageSize);
        get(batch, "Procedure?subject=" + subjects + "&code=" + PROCEDURE_CODES + "&date=ge" + from
                + "&_count=" + pageSize);
        // drugs match by code or by name, so every current order and statement, with its Medication
        get(batch, "MedicationRequest?subject=" + subjects + "&status=" + CURRENT_ORDER_STATUSES
                + "&_include=MedicationRequest:medication&_count=" + pageSize);
        get(batch, "MedicationStatement?subject=" + subjects + "&status=" + CURRENT_STATEMENT_STATUSES
                + "&_include=MedicationStatement:medication&_count=" + pageSize);
        get(batch, "Flag?identifier=" + identifiers + "&_count=" + pageSize);
        get(batch, "RiskAssessment?identifier=" + identifiers + "&_count=" + pageSize);

        Bundle response = client.transaction().withBundle(batch)
                .withAdditionalHeader("Cache-Control", "no-store, max-results=" + unpagedMaxResults).execute();
        int requests = 1;
        List<BundleEntryComponent> entries = response.getEntry();
        if (entries.size() != batch.getEntry().size()) {
            throw new IllegalStateException("batch answered " + entries.size() + " entries for "
                    + batch.getEntry().size() + " requests");
        }

        Map<String, Patient> patients = new LinkedHashMap<>();
        Map<String, Map<String, Resource>> data = new LinkedHashMap<>();
        Map<String, Resource> medications = new LinkedHashMap<>();
        Map<String, List<Resource>> flags = new LinkedHashMap<>();
        Map<String, List<Resource>> assessments = new LinkedHashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            BundleEntryComponent entry = entries.get(i);
            String url = batch.getEntry().get(i).getRequest().getUrl();
            if (!(entry.getResource() instanceof Bundle page)) {
                throw failure(url, entry);
            }
            if (matches(page) >= pageSize) {
                // possibly cut short (at _count or at max-results): read this one again, paged
                page = client.search().byUrl(url).returnBundle(Bundle.class).execute();
                requests++;
            }
            List<Resource> found = new ArrayList<>();
            requests += collectAllPages(page, found);
            for (Resource resource : found) {
                if (resource instanceof Patient patient) {
                    patients.put(patient.getIdElement().getIdPart(), patient);
                } else if (resource instanceof Flag || resource instanceof RiskAssessment) {
                    String owner = byIdentifier.get(screeningIdentifierValue(resource));
                    if (owner != null) {
                        (resource instanceof Flag ? flags : assessments)
                                .computeIfAbsent(owner, k -> new ArrayList<>()).add(resource);
                    }
                } else if (resource instanceof Medication) {
                    medications.put(key(resource), resource);
                } else {
                    PatientReferences.patientOf(resource).filter(byIdentifier::containsValue).ifPresent(owner -> data
                            .computeIfAbsent(owner, k -> new LinkedHashMap<>()).putIfAbsent(key(resource), resource));
                }
            }
        }
        // an included Medication goes to every patient whose order or statement names it
        for (Map<String, Resource> own : data.values()) {
            for (Resource resource : List.copyOf(own.values())) {
                medicationReference(resource).map(medications::get)
                        .ifPresent(medication -> own.putIfAbsent(key(medication), medication));
            }
        }

        Map<String, PatientRecord> records = new LinkedHashMap<>();
        for (String id : patientIds) {
            records.put(id, new PatientRecord(id, Optional.ofNullable(patients.get(id)),
                    List.copyOf(data.getOrDefault(id, Map.of()).values()),
                    first(flags.getOrDefault(id, List.of()), Flag.class),
                    first(assessments.getOrDefault(id, List.of()), RiskAssessment.class), requests));
        }
        return records;
    }

    private static String key(Resource resource) {
        return resource.fhirType() + "/" + resource.getIdElement().getIdPart();
    }

    private static Optional<String> medicationReference(Resource resource) {
        return PatientReferences.medicationOf(resource).map(Reference::getReferenceElement)
                .filter(id -> id.getIdPart() != null).map(id -> "Medication/" + id.getIdPart());
    }

    private static String screeningIdentifierValue(Resource resource) {
        List<Identifier> identifiers = resource instanceof Flag f ? f.getIdentifier()
                : resource instanceof RiskAssessment r ? r.getIdentifier() : List.of();
        return identifiers.stream().filter(i -> CanonicalUrls.SCREENING_IDENTIFIER_SYSTEM.equals(i.getSystem()))
                .map(Identifier::getValue).findFirst().orElse("");
    }

    private static int matches(Bundle page) {
        int matches = 0;
        for (BundleEntryComponent entry : page.getEntry()) {
            if (!entry.hasSearch() || entry.getSearch().getMode() != Bundle.SearchEntryMode.INCLUDE) {
                matches++;
            }
        }
        return matches;
    }

    private int collectAllPages(Bundle page, Collection<Resource> into) {
        int requests = 0;
        Bundle current = page;
        while (true) {
            for (BundleEntryComponent entry : current.getEntry()) {
                if (entry.hasResource() && !(entry.getResource() instanceof OperationOutcome)) {
                    into.add(entry.getResource());
                }
            }
            if (current.getLink(Bundle.LINK_NEXT) == null) {
                return requests;
            }
            current = client.loadPage().next(current).execute();
            requests++;
        }
    }

    private static <T extends Resource> Optional<T> first(List<Resource> resources, Class<T> type) {
        // several would mean someone else wrote one with our identifier; the writer keeps the oldest
        return resources.stream().filter(type::isInstance).map(type::cast)
                .min(java.util.Comparator.comparing(r -> Long.parseLong(numericOrZero(r.getIdElement().getIdPart()))));
    }

    private static String numericOrZero(String id) {
        return id != null && id.chars().allMatch(Character::isDigit) && !id.isEmpty() && id.length() < 19 ? id : "0";
    }

    private static void get(Bundle batch, String url) {
        batch.addEntry().getRequest().setMethod(HTTPVerb.GET).setUrl(url);
    }

    private static IllegalStateException failure(String url, BundleEntryComponent entry) {
        String detail = entry.getResponse().getOutcome() instanceof OperationOutcome outcome
                ? outcome.getIssueFirstRep().getDiagnostics() : "";
        return new IllegalStateException("GET " + url + " answered " + entry.getResponse().getStatus() + " " + detail);
    }

    private static String codes(Concept... concepts) {
        return Stream.of(concepts).flatMap(c -> c.codes().stream()).map(Code::code).distinct()
                .collect(Collectors.joining(","));
    }
}
