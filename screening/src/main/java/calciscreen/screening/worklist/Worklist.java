package calciscreen.screening.worklist;

import calciscreen.model.CanonicalUrls;
import calciscreen.model.resources.RiskAssessmentBuilder;
import calciscreen.model.terminology.Concept;
import calciscreen.screening.context.SearchPages;
import calciscreen.screening.flags.RuleResults;
import calciscreen.screening.rules.RuleId;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.RiskAssessment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worklist's rows, read from the FHIR server through the standard API as the signed-in person: every active
 * calciphylaxis-risk Flag with its Patient, the RiskAssessment beside it (score, the rules that fired) and the dates
 * of the lab values they rest on. A handful of searches whatever the number of Flags: Flags with their Patients,
 * RiskAssessments and evidence Observations by id, 100 at a time.
 */
public class Worklist {

    private static final Logger log = LoggerFactory.getLogger(Worklist.class);

    static final int PAGE = 500;
    static final int CHUNK = 100;
    /** Which lab codes each rule reads, to date a fired rule by its evidence. */
    private static final Map<RuleId, Set<Concept>> LAB_EVIDENCE = Map.of(
            RuleId.R1, EnumSet.of(Concept.DIALYSIS_STATUS),
            RuleId.R2, EnumSet.of(Concept.CALCIUM_TOTAL, Concept.CALCIUM_TOTAL_CORRECTED, Concept.CALCIUM_IONIZED),
            RuleId.R3, EnumSet.of(Concept.PHOSPHATE),
            RuleId.R4, EnumSet.of(Concept.CALCIUM_TOTAL, Concept.CALCIUM_TOTAL_CORRECTED, Concept.PHOSPHATE),
            RuleId.R5, EnumSet.of(Concept.PTH),
            RuleId.R6, EnumSet.of(Concept.ALBUMIN),
            RuleId.R10, EnumSet.of(Concept.BMI));

    private final String fhirBase;
    private final Clock clock;

    public Worklist(String fhirBase, Clock clock) {
        this.fhirBase = fhirBase.replaceAll("/+$", "");
        this.clock = clock;
    }

    /** The search that finds the rows (what an audit record of the worklist names as its query). */
    public static final String QUERY = "Flag?status=active&identifier=" + CanonicalUrls.SCREENING_IDENTIFIER_SYSTEM + "|"
            + "&_include=Flag:patient";

    /** The rows {@code client} (the person's) may read. */
    public List<WorklistRow> rows(IGenericClient client) {
        long started = System.nanoTime();
        Map<String, Flag> flags = new LinkedHashMap<>();
        Map<String, Patient> patients = new HashMap<>();
        for (Resource r : SearchPages.all(client, QUERY + "&_count=" + PAGE)) {
            if (r instanceof Flag flag && isOurs(flag) && flag.getStatus() == Flag.FlagStatus.ACTIVE) {
                flags.put(flag.getIdElement().getIdPart(), flag);
            } else if (r instanceof Patient patient) {
                patients.put(patient.getIdElement().getIdPart(), patient);
            }
        }
        long flagsRead = System.nanoTime();
        List<String> patientIds = flags.values().stream().map(f -> f.getSubject().getReferenceElement().getIdPart())
                .distinct().toList();
        // chunks are independent: read them side by side
        Map<String, RiskAssessment> assessments = new ConcurrentHashMap<>();
        chunks(patientIds).parallelStream().forEach(chunk -> {
            String ids = String.join(",", chunk.stream().map(id -> "Patient/" + id).toList());
            for (Resource r : SearchPages.all(client,
                    "RiskAssessment?identifier=" + CanonicalUrls.SCREENING_IDENTIFIER_SYSTEM + "|"
                    + "&patient=" + ids + "&_elements=subject,basis,prediction,extension,note&_count=" + PAGE)) {
                if (r instanceof RiskAssessment ra) {
                    assessments.put(ra.getSubject().getReferenceElement().getIdPart(), ra);
                }
            }
        });
        long assessmentsRead = System.nanoTime();
        Map<String, Observation> evidence = observations(client, assessments.values().stream()
                .flatMap(ra -> ra.getBasis().stream()).map(Reference::getReference)
                .filter(ref -> ref != null && ref.startsWith("Observation/"))
                .map(ref -> new IdType(ref).getIdPart()).distinct().toList());
        long evidenceRead = System.nanoTime();

        Instant now = clock.instant();
        List<WorklistRow> rows = new ArrayList<>();
        for (Flag flag : flags.values()) {
            String patientId = flag.getSubject().getReferenceElement().getIdPart();
            Optional<Patient> patient = Optional.ofNullable(patients.get(patientId));
            RiskAssessment ra = assessments.get(patientId);
            Instant raised = flag.getPeriod().hasStart() ? flag.getPeriod().getStart().toInstant() : null;
            rows.add(new WorklistRow(flag.getIdElement().getIdPart(), patientId, fhirBase + "/Patient/" + patientId,
                    patient.map(Worklist::name).orElse(""), patient.map(p -> age(p, now)).orElse(null),
                    patient.filter(Patient::hasGender).map(p -> p.getGender().toCode()).orElse("unknown"),
                    tierOf(flag), ra == null ? null : RiskAssessmentBuilder.scoreOf(ra).orElse(null),
                    raised == null ? null : raised.toString(),
                    raised == null ? null : ChronoUnit.DAYS.between(raised, now),
                    ra == null ? List.of() : fired(ra, evidence)));
        }
        rows.sort(ORDER);
        log.info("event=worklist_read flags={} flags_ms={} assessments_ms={} evidence_ms={} total_ms={}", rows.size(),
                (flagsRead - started) / 1_000_000, (assessmentsRead - flagsRead) / 1_000_000,
                (evidenceRead - assessmentsRead) / 1_000_000, (System.nanoTime() - started) / 1_000_000);
        return rows;
    }

    /** Priority (high first), then score (highest first), then raised (longest waiting first). */
    static final Comparator<WorklistRow> ORDER = Comparator
            .comparing((WorklistRow r) -> "high".equals(r.tier()) ? 0 : 1)
            .thenComparing(r -> r.score() == null ? Integer.MAX_VALUE : -r.score())
            .thenComparing(r -> r.raised() == null ? "~" : r.raised())
            .thenComparing(WorklistRow::flagId);

    static List<WorklistRow.FiredRule> fired(RiskAssessment ra, Map<String, Observation> evidence) {
        List<Observation> basis = ra.getBasis().stream().map(Reference::getReference)
                .filter(ref -> ref != null && ref.startsWith("Observation/"))
                .map(ref -> evidence.get(new IdType(ref).getIdPart()))
                .filter(Objects::nonNull).toList();
        List<WorklistRow.FiredRule> rules = new ArrayList<>();
        for (RuleResults.Fired fired : RuleResults.fired(ra)) {
            Set<Concept> concepts = LAB_EVIDENCE.getOrDefault(fired.rule(), Set.of());
            String date = basis.stream().filter(o -> concepts.stream().anyMatch(c -> c.matches(o.getCode())))
                    .map(Worklist::when).filter(Objects::nonNull).max(Comparator.naturalOrder())
                    .map(i -> LocalDate.ofInstant(i, ZoneOffset.UTC).toString()).orElse(null);
            rules.add(new WorklistRow.FiredRule(fired.rule().name(), fired.rule().title(), fired.points(),
                    fired.reason(), date));
        }
        return rules;
    }

    static Instant when(Observation o) {
        try {
            if (o.hasEffectiveDateTimeType()) {
                return o.getEffectiveDateTimeType().getValue().toInstant();
            }
            if (o.hasEffectivePeriod()) {
                return (o.getEffectivePeriod().hasEnd() ? o.getEffectivePeriod().getEnd()
                        : o.getEffectivePeriod().getStart()).toInstant();
            }
            if (o.hasEffectiveInstantType()) {
                return o.getEffectiveInstantType().getValue().toInstant();
            }
            return o.hasIssued() ? o.getIssued().toInstant() : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Map<String, Observation> observations(IGenericClient client, List<String> ids) {
        Map<String, Observation> found = new ConcurrentHashMap<>();
        chunks(ids).parallelStream().forEach(chunk -> {
            // only what dates a rule: the code and the times
            for (Resource r : SearchPages.all(client, "Observation?_id=" + String.join(",", chunk)
                    + "&_elements=code,effective,issued&_count=" + PAGE)) {
                if (r instanceof Observation o) {
                    found.put(o.getIdElement().getIdPart(), o);
                }
            }
        });
        return found;
    }

    private static <T> List<List<T>> chunks(List<T> list) {
        List<List<T>> chunks = new ArrayList<>();
        for (int i = 0; i < list.size(); i += CHUNK) {
            chunks.add(list.subList(i, Math.min(list.size(), i + CHUNK)));
        }
        return chunks;
    }

    static boolean isOurs(Flag flag) {
        return flag.getCode().getCoding().stream().anyMatch(c -> CanonicalUrls.SCREENING_FLAG_SYSTEM.equals(c.getSystem())
                && CanonicalUrls.CALCIPHYLAXIS_RISK_CODE.equals(c.getCode()));
    }

    static String tierOf(Flag flag) {
        Extension priority = flag.getExtensionByUrl(CanonicalUrls.FLAG_PRIORITY_EXTENSION);
        String code = priority != null && priority.getValue() instanceof CodeableConcept cc
                ? cc.getCodingFirstRep().getCode() : null;
        return CanonicalUrls.FLAG_PRIORITY_HIGH.equals(code) ? "high" : "moderate";
    }

    static String name(Patient patient) {
        if (!patient.hasName()) {
            return "";
        }
        HumanName name = patient.getName().stream().filter(n -> n.getUse() == HumanName.NameUse.OFFICIAL).findFirst()
                .orElse(patient.getNameFirstRep());
        if (name.hasText()) {
            return name.getText();
        }
        String given = String.join(" ", name.getGiven().stream().map(g -> g.getValue()).filter(Objects::nonNull).toList());
        return (given + " " + (name.hasFamily() ? name.getFamily() : "")).trim();
    }

    static Integer age(Patient patient, Instant now) {
        if (!patient.hasBirthDate()) {
            return null;
        }
        LocalDate born = LocalDate.ofInstant(patient.getBirthDate().toInstant(), ZoneOffset.UTC);
        return Period.between(born, LocalDate.ofInstant(now, ZoneOffset.UTC)).getYears();
    }
}
