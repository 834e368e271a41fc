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
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.RiskAssessment;

/**
 * Reads everything the rules need for one patient in a single {@code batch} Bundle of targeted searches
 * (codes and the lookback as search parameters, never {@code $everything}), then follows paging.
 * The same batch also fetches the patient's Flag and RiskAssessment, so one round trip serves the writer too.
 */
public class PatientContextLoader {

    static final int PAGE_SIZE = 200;
    /**
     * The batch asks the server not to store its searches ({@code Cache-Control: no-store}): HAPI then runs each one
     * synchronously on the request thread, with no search entity and no result rows written for paging, and
     * answers up to this many matches without a next link. A search whose answer fills a page may have been cut
     * short and is run again with paging, so a patient with a long record is read whole all the same.
     */
    static final int UNPAGED_MAX_RESULTS = 1000;
    static final String UNPAGED_SEARCHES = "no-store, max-results=" + UNPAGED_MAX_RESULTS;

    private static final String OBSERVATION_CODES = codes(Concept.CALCIUM_TOTAL, Concept.CALCIUM_TOTAL_CORRECTED,
            Concept.CALCIUM_IONIZED, Concept.PHOSPHATE, Concept.PTH, Concept.ALBUMIN, Concept.BMI,
            Concept.DIALYSIS_STATUS);
    private static final String PROCEDURE_CODES = codes(Concept.DIALYSIS_PROCEDURE);

    private final IGenericClient client;

    public PatientContextLoader(IGenericClient client) {
        this.client = client;
    }

    /** The codes a search may filter Observations on (also the Subscription criteria). */
    public static String observationCodes() {
        return OBSERVATION_CODES;
    }

    public static String procedureCodes() {
        return PROCEDURE_CODES;
    }

    public PatientRecord load(String patientId, Instant at, java.time.Duration lookback) {
        String subject = "Patient/" + patientId;
        // a day of slack: the rules apply the exact window; the search only has to include it
        String from = at.minus(lookback).minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
        String identifier = CanonicalUrls.SCREENING_IDENTIFIER_SYSTEM + "|"
                + CanonicalUrls.screeningIdentifierValue(patientId);

        Bundle batch = new Bundle().setType(BundleType.BATCH);
        get(batch, "Patient/" + patientId);
        // labs by when they were taken; and, for results with no effective time at all (the rules then use `issued`,
        // which no R4 search parameter indexes), by when they were stored: an `issued` in the lookback was stored in
        // it too. `date:missing=true` keeps that second search to those results only: without it, it answered every
        // result stored since `from` whatever its date, the whole history of a patient loaded in bulk.
        get(batch, "Observation?subject=" + subject + "&code=" + OBSERVATION_CODES + "&date=ge" + from
                + "&_count=" + PAGE_SIZE);
        get(batch, "Observation?subject=" + subject + "&code=" + OBSERVATION_CODES + "&date:missing=true"
                + "&_lastUpdated=ge" + from + "&_count=" + PAGE_SIZE);
        // every Condition: ICD-10-CM value sets are prefixes, which a token search cannot express
        get(batch, "Condition?subject=" + subject + "&_count=" + PAGE_SIZE);
        get(batch, "Procedure?subject=" + subject + "&code=" + PROCEDURE_CODES + "&date=ge" + from
                + "&_count=" + PAGE_SIZE);
        // drugs match by code or by name, so every current order and statement, with its Medication
        get(batch, "MedicationRequest?subject=" + subject + "&status=active,on-hold"
                + "&_include=MedicationRequest:medication&_count=" + PAGE_SIZE);
        get(batch, "MedicationStatement?subject=" + subject + "&status=active,intended"
                + "&_include=MedicationStatement:medication&_count=" + PAGE_SIZE);
        get(batch, "Flag?identifier=" + identifier);
        get(batch, "RiskAssessment?identifier=" + identifier);

        Bundle response = client.transaction().withBundle(batch)
                .withAdditionalHeader("Cache-Control", UNPAGED_SEARCHES).execute();
        int requests = 1;
        List<BundleEntryComponent> entries = response.getEntry();
        if (entries.size() != batch.getEntry().size()) {
            throw new IllegalStateException("batch answered " + entries.size() + " entries for "
                    + batch.getEntry().size() + " requests");
        }

        Optional<Patient> patient = Optional.empty();
        BundleEntryComponent patientEntry = entries.get(0);
        if (patientEntry.getResource() instanceof Patient p) {
            patient = Optional.of(p);
        } else if (!patientEntry.getResponse().getStatus().startsWith("404")
                && !patientEntry.getResponse().getStatus().startsWith("410")) {
            throw failure("Patient/" + patientId, patientEntry);
        }

        Map<String, Resource> data = new LinkedHashMap<>();
        List<Resource> flags = new ArrayList<>();
        List<Resource> assessments = new ArrayList<>();
        for (int i = 1; i < entries.size(); i++) {
            BundleEntryComponent entry = entries.get(i);
            if (!(entry.getResource() instanceof Bundle page)) {
                throw failure(batch.getEntry().get(i).getRequest().getUrl(), entry);
            }
            List<Resource> found = new ArrayList<>();
            if (matches(page) >= Math.min(PAGE_SIZE, UNPAGED_MAX_RESULTS)) {
                // possibly cut at max-results: read this one again, paged
                page = client.search().byUrl(batch.getEntry().get(i).getRequest().getUrl())
                        .returnBundle(Bundle.class).execute();
                requests++;
            }
            requests += collectAllPages(page, found);
            List<Resource> target = i == 7 ? flags : i == 8 ? assessments : null;
            for (Resource resource : found) {
                if (target != null) {
                    target.add(resource);
                } else {
                    data.putIfAbsent(resource.fhirType() + "/" + resource.getIdElement().getIdPart(), resource);
                }
            }
        }
        return new PatientRecord(patientId, patient, List.copyOf(data.values()),
                first(flags, Flag.class), first(assessments, RiskAssessment.class), requests);
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
