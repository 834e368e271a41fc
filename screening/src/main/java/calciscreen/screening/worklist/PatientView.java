package calciscreen.screening.worklist;

import calciscreen.model.CanonicalUrls;
import calciscreen.model.resources.RiskAssessmentBuilder;
import calciscreen.screening.context.PatientRecordLoader;
import calciscreen.screening.context.PatientRecord;
import calciscreen.screening.rules.Lab;
import calciscreen.screening.rules.LabValue;
import calciscreen.screening.rules.PatientContext;
import calciscreen.screening.rules.RuleConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * One patient for the worklist's patient view: the last year of corrected calcium, phosphate and PTH (in mg/dL and
 * pg/mL, corrected calcium by the rules' own Payne correction), the rule thresholds, and the Flag's evidence with a
 * link to each resource. Read as the signed-in person with the screening's {@link PatientRecordLoader} over a
 * one-year window.
 */
public class PatientView {

    static final Duration YEAR = Duration.ofDays(365);

    private final RuleConfig rules;
    private final Thresholds thresholds;
    private final String fhirBase;
    private final Clock clock;

    /** The lines drawn on the chart: corrected calcium (mg/dL), phosphate (mg/dL), PTH (pg/mL). */
    public record Thresholds(double correctedCalciumMgDl, double phosphateMgDl, double pthPgMl) {}

    public record Point(String at, double value, String source) {}

    public record Evidence(String reference, String url, String description, String date) {}

    public record View(String patientId, String patientUrl, String name, Integer age, String sex, String tier,
                       Integer score, String raised, List<WorklistRow.FiredRule> rules, Map<String, List<Point>> series,
                       Thresholds thresholds, List<Evidence> evidence, String from, String to) {}

    public PatientView(RuleConfig rules, Thresholds thresholds, String fhirBase, Clock clock) {
        this.rules = rules;
        this.thresholds = thresholds;
        this.fhirBase = fhirBase.replaceAll("/+$", "");
        this.clock = clock;
    }

    /** The view of one patient as {@code client} (the person's) reads it; empty when the patient is not there. */
    public Optional<View> of(ca.uhn.fhir.rest.client.api.IGenericClient client, String patientId) {
        Instant now = clock.instant();
        PatientRecord record = new PatientRecordLoader(client).load(patientId, now, YEAR);
        if (record.patient().isEmpty()) {
            return Optional.empty();
        }
        PatientContext context = PatientContext.from(record.patient().get(), record.clinicalData());
        Instant from = now.minus(YEAR);
        List<Point> calcium = correctedCalcium(context, from, now);
        List<Point> phosphate = points(context.labs(Lab.PHOSPHATE), from, now);
        List<Point> pth = points(context.labs(Lab.PTH), from, now);

        Map<String, Resource> byId = new java.util.HashMap<>();
        for (Resource r : record.clinicalData()) {
            byId.put(r.fhirType() + "/" + r.getIdElement().getIdPart(), r);
        }
        List<Evidence> evidence = new ArrayList<>();
        String tier = null;
        String raised = null;
        Optional<Flag> flag = record.flag().filter(f -> f.getStatus() == Flag.FlagStatus.ACTIVE);
        if (flag.isPresent()) {
            tier = Worklist.tierOf(flag.get());
            raised = flag.get().getPeriod().hasStart() ? flag.get().getPeriod().getStart().toInstant().toString() : null;
            for (Extension detail : flag.get().getExtensionsByUrl(CanonicalUrls.FLAG_DETAIL_EXTENSION)) {
                if (detail.getValue() instanceof Reference ref && ref.getReference() != null) {
                    String reference = new org.hl7.fhir.r4.model.IdType(ref.getReference()).toUnqualifiedVersionless()
                            .getValue();
                    Resource resource = byId.get(reference);
                    evidence.add(new Evidence(reference, fhirBase + "/" + reference, describe(reference, resource),
                            resource instanceof Observation o ? date(Worklist.when(o)) : null));
                }
            }
        }
        Integer score = record.riskAssessment().flatMap(RiskAssessmentBuilder::scoreOf).orElse(null);
        Map<String, Observation> observations = new java.util.HashMap<>();
        byId.forEach((k, v) -> {
            if (v instanceof Observation o) {
                observations.put(o.getIdElement().getIdPart(), o);
            }
        });
        List<WorklistRow.FiredRule> fired = flag.isPresent()
                ? record.riskAssessment().map(ra -> Worklist.fired(ra, observations)).orElse(List.of()) : List.of();
        org.hl7.fhir.r4.model.Patient patient = record.patient().get();
        return Optional.of(new View(patientId, fhirBase + "/Patient/" + patientId, Worklist.name(patient),
                Worklist.age(patient, now), patient.hasGender() ? patient.getGender().toCode() : "unknown", tier, score,
                raised, fired, Map.of("correctedCalcium", calcium, "phosphate", phosphate, "pth", pth), thresholds,
                evidence, from.toString(), now.toString()));
    }

    /** Each total (or lab-corrected) calcium, Payne-corrected with the latest albumin of the rules' lookback before it. */
    private List<Point> correctedCalcium(PatientContext context, Instant from, Instant to) {
        List<LabValue> albumins = context.labs(Lab.ALBUMIN);
        List<Point> points = new ArrayList<>();
        for (LabValue ca : context.labs(Lab.CALCIUM_TOTAL)) {
            if (ca.at().isBefore(from) || ca.at().isAfter(to)) {
                continue;
            }
            double value = ca.canonicalValue();
            if (!ca.labCorrected()) {
                Optional<LabValue> albumin = albumins.stream()
                        .filter(a -> !a.at().isAfter(ca.at()) && !a.at().isBefore(ca.at().minus(rules.lookback())))
                        .findFirst(); // latest first
                if (albumin.isPresent()) {
                    value = value + rules.thresholds().payneFactor()
                            * (rules.thresholds().payneReferenceAlbuminGPerDl() - albumin.get().canonicalValue());
                }
            }
            points.add(new Point(ca.at().toString(), round(value), ca.source()));
        }
        java.util.Collections.reverse(points);
        return points;
    }

    private static List<Point> points(List<LabValue> values, Instant from, Instant to) {
        List<Point> points = new ArrayList<>();
        for (LabValue v : values) {
            if (!v.at().isBefore(from) && !v.at().isAfter(to)) {
                points.add(new Point(v.at().toString(), round(v.canonicalValue()), v.source()));
            }
        }
        java.util.Collections.reverse(points);
        return points;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static String date(Instant at) {
        return at == null ? null : at.toString().substring(0, 10);
    }

    private static String describe(String reference, Resource resource) {
        if (resource instanceof Observation o) {
            String value = o.hasValueQuantity() ? " " + o.getValueQuantity().getValue().toPlainString() + " "
                    + Optional.ofNullable(o.getValueQuantity().getUnit()).orElse(o.getValueQuantity().getCode()) : "";
            return text(o.getCode()) + value;
        }
        if (resource instanceof Condition c) {
            return text(c.getCode());
        }
        if (resource instanceof Procedure p) {
            return text(p.getCode());
        }
        if (resource instanceof MedicationRequest m && m.hasMedicationCodeableConcept()) {
            return text(m.getMedicationCodeableConcept());
        }
        if (resource instanceof MedicationStatement m && m.hasMedicationCodeableConcept()) {
            return text(m.getMedicationCodeableConcept());
        }
        return reference.startsWith("RiskAssessment/") ? "Risk assessment (rule set, score, notes)" : reference;
    }

    private static String text(CodeableConcept concept) {
        if (concept.hasText()) {
            return concept.getText();
        }
        return concept.getCoding().stream().filter(c -> c.hasDisplay()).map(c -> c.getDisplay()).findFirst()
                .orElse(concept.getCodingFirstRep().getSystem() + "|" + concept.getCodingFirstRep().getCode());
    }
}
