package calciscreen.screening.rules;

import calciscreen.model.terminology.CodeSystems;
import calciscreen.model.terminology.Concept;
import calciscreen.model.terminology.Snomed;
import calciscreen.model.units.Conversion;
import calciscreen.model.units.Ucum;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Type;

/** Reads HAPI resources into a {@link PatientContext}. Never throws on bad data; notes what it skips. */
final class ContextBuilder {

    private static final Set<Concept> MEDICATION_CONCEPTS = EnumSet.of(Concept.WARFARIN,
            Concept.GLUCOCORTICOID_SYSTEMIC, Concept.IRON_DEXTRAN, Concept.ALBUMIN_INFUSION);
    /** Observation codes -> lab result, in the order they are tried. */
    private static final Map<Concept, Lab> LAB_CONCEPTS = new EnumMap<>(Map.of(
            Concept.CALCIUM_TOTAL, Lab.CALCIUM_TOTAL,
            Concept.CALCIUM_TOTAL_CORRECTED, Lab.CALCIUM_TOTAL,
            Concept.CALCIUM_IONIZED, Lab.CALCIUM_IONIZED,
            Concept.PHOSPHATE, Lab.PHOSPHATE,
            Concept.PTH, Lab.PTH,
            Concept.ALBUMIN, Lab.ALBUMIN,
            Concept.BMI, Lab.BMI));

    private final boolean patientKnown;
    private final Optional<String> patientId;
    private final boolean female;
    private final boolean deceased;
    private final Map<Lab, List<LabValue>> labs = new EnumMap<>(Lab.class);
    private final Map<Lab, List<SkippedLab>> skipped = new EnumMap<>(Lab.class);
    private final List<ConditionFact> conditions = new ArrayList<>();
    private final List<MedicationFact> medications = new ArrayList<>();
    private final List<DialysisProcedure> procedures = new ArrayList<>();
    private final List<DialysisStatusReport> dialysisStatus = new ArrayList<>();
    private final List<DataNote> notes = new ArrayList<>();
    private final Map<String, Medication> medicationsById = new HashMap<>();
    private final Map<Resource, String> anonymousIds = new IdentityHashMap<>();

    ContextBuilder(Patient patient) {
        patientKnown = patient != null;
        if (patient == null) {
            patientId = Optional.empty();
            female = false;
            deceased = false;
            notes.add(new DataNote("Patient", "no Patient resource: sex and deceased status unknown"));
            return;
        }
        patientId = patient.getIdElement().hasIdPart()
                ? Optional.of(patient.getIdElement().getIdPart()) : Optional.empty();
        female = patient.getGender() == AdministrativeGender.FEMALE;
        boolean dead = false;
        try {
            dead = (patient.hasDeceasedBooleanType() && patient.getDeceasedBooleanType().booleanValue())
                    || patient.hasDeceasedDateTimeType();
        } catch (RuntimeException e) {
            notes.add(new DataNote(sourceOf(patient), "deceased[x] unreadable: " + e.getMessage()));
        }
        deceased = dead;
    }

    ContextBuilder addAll(Collection<? extends Resource> resources) {
        for (Resource r : resources) {
            if (r instanceof Medication m && m.getIdElement().hasIdPart()) {
                medicationsById.put(m.getIdElement().getIdPart(), m);
            }
        }
        for (Resource r : resources) {
            if (r == null) {
                continue;
            }
            try {
                add(r);
            } catch (RuntimeException e) {
                notes.add(new DataNote(sourceOf(r), "could not be read, skipped: " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : " " + e.getMessage())));
            }
        }
        return this;
    }

    PatientContext build() {
        return new PatientContext(patientKnown, patientId, female, deceased, labs, skipped, conditions, medications, procedures,
                dialysisStatus, notes);
    }

    private void add(Resource r) {
        if (r instanceof Observation o) {
            if (isAboutThisPatient(o.getSubject(), o)) {
                observation(o);
            }
        } else if (r instanceof Condition c) {
            if (isAboutThisPatient(c.getSubject(), c)) {
                condition(c);
            }
        } else if (r instanceof Procedure p) {
            if (isAboutThisPatient(p.getSubject(), p)) {
                procedure(p);
            }
        } else if (r instanceof MedicationRequest m) {
            if (isAboutThisPatient(m.getSubject(), m)) {
                medicationRequest(m);
            }
        } else if (r instanceof MedicationStatement m) {
            if (isAboutThisPatient(m.getSubject(), m)) {
                medicationStatement(m);
            }
        }
        // Medication: resolved through references; Patient and any other type: not read here.
    }

    // ---------------------------------------------------------------- Observations

    private void observation(Observation o) {
        Set<Concept> concepts = Concept.classify(o.getCode());
        Optional<Lab> lab = LAB_CONCEPTS.entrySet().stream()
                .filter(e -> concepts.contains(e.getKey())).map(Map.Entry::getValue).findFirst();
        boolean dialysis = concepts.contains(Concept.DIALYSIS_STATUS);
        if (lab.isEmpty() && !dialysis) {
            return; // not an Observation the rules read
        }
        String source = sourceOf(o);
        if (!counts(o.getStatus())) {
            notes.add(new DataNote(source, "status " + (o.getStatus() == null ? "missing" : o.getStatus().toCode())
                    + " does not count (final, amended, corrected only)"));
            return;
        }
        Optional<Instant> at = observationTime(o);
        if (at.isEmpty()) {
            notes.add(new DataNote(source, "no effective[x] or issued time: does not count"));
            return;
        }
        if (lab.isPresent()) {
            lab(o, lab.get(), concepts.contains(Concept.CALCIUM_TOTAL_CORRECTED)
                    && !concepts.contains(Concept.CALCIUM_TOTAL), at.get(), source);
        } else {
            dialysisStatus(o, at.get(), source);
        }
    }

    private static boolean counts(Observation.ObservationStatus status) {
        return status == Observation.ObservationStatus.FINAL || status == Observation.ObservationStatus.AMENDED
                || status == Observation.ObservationStatus.CORRECTED;
    }

    /** effectiveDateTime, else effectivePeriod.end, else .start, else effectiveInstant, else issued. */
    static Optional<Instant> observationTime(Observation o) {
        Optional<Instant> t = Optional.empty();
        if (o.hasEffectiveDateTimeType()) {
            t = FhirTime.instant(o.getEffectiveDateTimeType());
        } else if (o.hasEffectivePeriod()) {
            t = FhirTime.endElseStart(o.getEffectivePeriod());
        } else if (o.hasEffectiveInstantType()) {
            t = FhirTime.instant(o.getEffectiveInstantType());
        }
        return t.isPresent() ? t : FhirTime.instant(o.getIssuedElement());
    }

    private void lab(Observation o, Lab lab, boolean labCorrected, Instant at, String source) {
        Optional<String> problem = Optional.empty();
        Quantity q = null;
        if (o.hasDataAbsentReason()) {
            problem = Optional.of("dataAbsentReason " + describe(o.getDataAbsentReason()));
        } else if (!o.hasValue()) {
            problem = Optional.of("no value");
        } else if (!o.hasValueQuantity()) {
            problem = Optional.of("value is a " + o.getValue().fhirType() + ", not a Quantity");
        } else {
            q = o.getValueQuantity();
            if (!q.hasValue()) {
                problem = Optional.of("Quantity has no numeric value");
            } else if (q.hasComparator()) {
                problem = Optional.of("value has comparator " + q.getComparator().toCode() + ": not an exact value");
            }
        }
        if (problem.isEmpty()) {
            Conversion c = Ucum.toCanonical(lab.analyte(), q);
            if (c instanceof Conversion.Converted v) {
                Optional<Instant> lastUpdated = Optional.ofNullable(o.getMeta().getLastUpdated()).map(d -> d.toInstant());
                labs.computeIfAbsent(lab, k -> new ArrayList<>()).add(new LabValue(lab, at, lastUpdated,
                        v.value(), v.unit(), Decimals.round6(v.canonicalValue()), labCorrected, source));
                return;
            }
            problem = Optional.of(((Conversion.NotConverted) c).reason());
        }
        String reason = lab.label() + " not counted: " + problem.get();
        skipped.computeIfAbsent(lab, k -> new ArrayList<>()).add(new SkippedLab(lab, at, reason, source));
        notes.add(new DataNote(source, reason));
    }

    private void dialysisStatus(Observation o, Instant at, String source) {
        if (o.hasDataAbsentReason()) {
            notes.add(new DataNote(source, "dialysis status not counted: dataAbsentReason "
                    + describe(o.getDataAbsentReason())));
        } else if (o.hasValueBooleanType() && o.getValueBooleanType().getValue() != null) {
            dialysisStatus.add(new DialysisStatusReport(at, o.getValueBooleanType().booleanValue(), source));
        } else if (o.hasValueCodeableConcept()) {
            dialysisStatus.add(new DialysisStatusReport(at, !isNo(o.getValueCodeableConcept()), source));
        } else {
            notes.add(new DataNote(source, "dialysis status not counted: value is neither a boolean nor a coding"));
        }
    }

    /** "No" or "negative", by SNOMED CT, HL7 v2-0136 or the words of the display/text. */
    private static boolean isNo(CodeableConcept value) {
        for (Coding c : value.getCoding()) {
            if (Snomed.NO.matches(c) || Snomed.NEGATIVE.matches(c)
                    || (CodeSystems.same(CodeSystems.V2_YES_NO, c.getSystem()) && "N".equalsIgnoreCase(c.getCode()))
                    || isNoWord(c.getDisplay())) {
                return true;
            }
        }
        return isNoWord(value.getText());
    }

    private static boolean isNoWord(String s) {
        if (s == null) {
            return false;
        }
        String w = s.trim().toLowerCase(Locale.ROOT);
        return w.equals("no") || w.equals("negative") || w.equals("false") || w.equals("n");
    }

    // ---------------------------------------------------------------- Conditions

    private void condition(Condition c) {
        String source = sourceOf(c);
        if (!c.hasCode() || (!c.getCode().hasCoding() && !c.getCode().hasText())) {
            notes.add(new DataNote(source, "Condition has no code: ignored"));
            return;
        }
        Set<Concept> concepts = EnumSet.noneOf(Concept.class);
        concepts.addAll(Concept.classify(c.getCode()));
        concepts.retainAll(Concept.CONDITIONS);
        if (concepts.isEmpty()) {
            return;
        }
        if (hasCode(c.getVerificationStatus(), "refuted") || hasCode(c.getVerificationStatus(), "entered-in-error")) {
            return; // never counts, for any rule
        }
        ConditionFact.Status status;
        Optional<String> clinical = firstCode(c.getClinicalStatus());
        if (clinical.isEmpty()) {
            status = ConditionFact.Status.ABSENT;
        } else {
            switch (clinical.get()) {
                case "active", "recurrence", "relapse" -> status = ConditionFact.Status.CURRENT;
                case "inactive", "remission", "resolved" -> status = ConditionFact.Status.PAST;
                default -> {
                    notes.add(new DataNote(source, "unknown clinicalStatus '" + clinical.get() + "': ignored"));
                    return;
                }
            }
        }
        conditions.add(new ConditionFact(concepts, status, abatement(c), source));
    }

    private static Optional<Instant> abatement(Condition c) {
        if (!c.hasAbatement()) {
            return Optional.empty();
        }
        if (c.hasAbatementDateTimeType()) {
            return FhirTime.instant(c.getAbatementDateTimeType()).or(() -> Optional.of(Instant.MIN));
        }
        if (c.hasAbatementPeriod()) {
            return FhirTime.endElseStart(c.getAbatementPeriod()).or(() -> Optional.of(Instant.MIN));
        }
        // abatementAge, abatementRange, abatementString: stated but not placeable in time: taken as past
        return Optional.of(Instant.MIN);
    }

    // ---------------------------------------------------------------- Procedures

    private void procedure(Procedure p) {
        if (!Concept.DIALYSIS_PROCEDURE.matches(p.getCode())) {
            return;
        }
        Procedure.ProcedureStatus status = p.getStatus();
        boolean inProgress = status == Procedure.ProcedureStatus.INPROGRESS;
        if (status != Procedure.ProcedureStatus.COMPLETED && !inProgress) {
            return; // preparation, not-done, stopped, entered-in-error, unknown: not dialysis performed
        }
        String source = sourceOf(p);
        if (p.hasPerformedDateTimeType()) {
            Optional<Instant> t = FhirTime.instant(p.getPerformedDateTimeType());
            if (t.isPresent()) {
                procedures.add(new DialysisProcedure(t.get(), t.get(), source));
                return;
            }
        } else if (p.hasPerformedPeriod()) {
            Optional<Instant> start = FhirTime.instant(p.getPerformedPeriod().getStartElement());
            Optional<Instant> end = FhirTime.instant(p.getPerformedPeriod().getEndElement());
            if (start.isPresent() || end.isPresent()) {
                Instant s = start.orElseGet(end::get);
                Instant e = end.orElse(inProgress ? Instant.MAX : s);
                procedures.add(new DialysisProcedure(s, e, source));
                return;
            }
        }
        notes.add(new DataNote(source, "dialysis Procedure has no performedDateTime or performedPeriod: does not count"));
    }

    // ---------------------------------------------------------------- Medications

    private void medicationRequest(MedicationRequest m) {
        MedicationRequest.MedicationRequestStatus s = m.getStatus();
        if (s == MedicationRequest.MedicationRequestStatus.ACTIVE || s == MedicationRequest.MedicationRequestStatus.ONHOLD) {
            medication(m, m.getMedication(), m.getContained());
        }
    }

    private void medicationStatement(MedicationStatement m) {
        MedicationStatement.MedicationStatementStatus s = m.getStatus();
        if (s == MedicationStatement.MedicationStatementStatus.ACTIVE
                || s == MedicationStatement.MedicationStatementStatus.INTENDED) {
            medication(m, m.getMedication(), m.getContained());
        }
    }

    private void medication(Resource order, Type medication, List<Resource> contained) {
        String source = sourceOf(order);
        List<String> sources = new ArrayList<>(List.of(source));
        CodeableConcept drug;
        if (medication instanceof CodeableConcept cc) {
            drug = cc;
        } else if (medication instanceof Reference ref) {
            Optional<Medication> resolved = resolve(ref, contained);
            if (resolved.isEmpty()) {
                notes.add(new DataNote(source, "medicationReference '" + ref.getReference()
                        + "' could not be resolved: drug unknown"));
                return;
            }
            drug = resolved.get().getCode();
            if (!ref.getReference().startsWith("#")) {
                sources.add(sourceOf(resolved.get()));
            }
        } else {
            notes.add(new DataNote(source, "no medication[x]: drug unknown"));
            return;
        }
        Set<Concept> concepts = EnumSet.noneOf(Concept.class);
        concepts.addAll(Concept.classify(drug));
        concepts.retainAll(MEDICATION_CONCEPTS);
        if (!concepts.isEmpty()) {
            medications.add(new MedicationFact(concepts, sources));
        }
    }

    private Optional<Medication> resolve(Reference ref, List<Resource> contained) {
        String reference = ref.getReference();
        if (reference == null || reference.isBlank()) {
            return Optional.empty();
        }
        if (reference.startsWith("#")) {
            String id = reference.substring(1);
            for (Resource r : contained) {
                if (r instanceof Medication m && id.equals(stripHash(m.getIdElement().getValue()))) {
                    return Optional.of(m);
                }
            }
            return Optional.empty();
        }
        var element = ref.getReferenceElement();
        if (element.hasResourceType() && !"Medication".equals(element.getResourceType())) {
            return Optional.empty();
        }
        return Optional.ofNullable(medicationsById.get(element.getIdPart()));
    }

    private static String stripHash(String id) {
        if (id == null) {
            return "";
        }
        return id.startsWith("#") ? id.substring(1) : id;
    }

    // ---------------------------------------------------------------- helpers

    /** A subject that names another Patient excludes the resource; no subject, or one we cannot compare, includes it. */
    private boolean isAboutThisPatient(Reference subject, Resource r) {
        if (subject == null || !subject.hasReference() || patientId.isEmpty()) {
            return true;
        }
        var element = subject.getReferenceElement();
        if (!"Patient".equals(element.getResourceType()) || !element.hasIdPart()) {
            return true;
        }
        if (patientId.get().equals(element.getIdPart())) {
            return true;
        }
        notes.add(new DataNote(sourceOf(r), "subject is " + subject.getReference() + ", not Patient/" + patientId.get()
                + ": skipped"));
        return false;
    }

    private String sourceOf(Resource r) {
        if (r.getIdElement().hasIdPart()) {
            return r.fhirType() + "/" + r.getIdElement().getIdPart();
        }
        return anonymousIds.computeIfAbsent(r, k -> k.fhirType() + "/(no id " + (anonymousIds.size() + 1) + ")");
    }

    private static boolean hasCode(CodeableConcept cc, String code) {
        return cc != null && cc.getCoding().stream().anyMatch(c -> code.equals(c.getCode()));
    }

    private static Optional<String> firstCode(CodeableConcept cc) {
        if (cc == null) {
            return Optional.empty();
        }
        return cc.getCoding().stream().filter(Coding::hasCode).map(Coding::getCode).findFirst();
    }

    private static String describe(CodeableConcept cc) {
        Optional<String> code = firstCode(cc);
        if (code.isPresent()) {
            return code.get();
        }
        return cc.hasText() ? cc.getText() : "(no code)";
    }
}
