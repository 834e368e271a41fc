package calciscreen.screening.rules;

import calciscreen.model.terminology.Code;
import calciscreen.model.terminology.CodeSystems;
import calciscreen.model.terminology.DialysisStatus;
import calciscreen.model.terminology.Icd10Cm;
import calciscreen.model.terminology.Loinc;
import calciscreen.model.terminology.RxNorm;
import calciscreen.model.terminology.Snomed;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.SplittableRandom;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;

/**
 * Seeded random patients for the golden test: every kind of data the rules read, with values near and across the
 * thresholds, every unit spelling, statuses that count and do not, times in, at the edge of and outside the lookback,
 * future-dated values, ties, unreadable values, other patients' resources. The same seed gives the same patients.
 * Public for the round trip of the rule results through a RiskAssessment (flags' {@code RuleResultsTest}).
 */
public final class RandomPatients {

    /** One generated patient: the Patient (or null) and its resources. */
    public record Generated(Patient patient, List<Resource> resources) {
    }

    private static final String[] OBS_STATUS = {"final", "final", "final", "amended", "corrected", "preliminary",
            "registered", "cancelled", "entered-in-error", "unknown"};
    private static final String[] CLINICAL = {"active", "active", "active", "recurrence", "relapse", "inactive",
            "remission", "resolved", null, null, "bogus"};
    private static final String[] VERIFICATION = {null, null, null, "confirmed", "provisional", "refuted",
            "entered-in-error"};

    private final SplittableRandom random;
    private final Instant now;
    private int next;

    public RandomPatients(long seed, Instant now) {
        this.random = new SplittableRandom(seed);
        this.now = now;
    }

    public Generated next() {
        String pid = "p" + (next++);
        Patient patient = patient(pid);
        List<Resource> resources = new ArrayList<>();
        String subject = "Patient/" + pid;
        int labs = random.nextInt(12);
        for (int i = 0; i < labs; i++) {
            resources.add(lab(pid + "-o" + i, subject));
        }
        int conditions = random.nextInt(6);
        for (int i = 0; i < conditions; i++) {
            resources.add(condition(pid + "-c" + i, subject));
        }
        int procedures = random.nextInt(4) == 0 ? random.nextInt(5) : 0;
        for (int i = 0; i < procedures; i++) {
            resources.add(procedure(pid + "-pr" + i, subject));
        }
        if (random.nextInt(5) == 0) {
            resources.add(dialysisStatus(pid + "-ds", subject));
        }
        int medications = random.nextInt(4);
        for (int i = 0; i < medications; i++) {
            medication(pid + "-m" + i, subject, resources);
        }
        return new Generated(patient, resources);
    }

    private Patient patient(String id) {
        if (random.nextInt(25) == 0) {
            return null;
        }
        Patient p = new Patient();
        if (random.nextInt(30) != 0) {
            p.setId(id);
        }
        switch (random.nextInt(5)) {
            case 0, 1 -> p.setGender(AdministrativeGender.FEMALE);
            case 2, 3 -> p.setGender(AdministrativeGender.MALE);
            default -> {
                if (random.nextBoolean()) {
                    p.setGender(AdministrativeGender.UNKNOWN);
                }
            }
        }
        int deceased = random.nextInt(20);
        if (deceased == 0) {
            p.setDeceased(new BooleanType(true));
        } else if (deceased == 1) {
            p.setDeceased(dateTime(daysAgo(random.nextInt(400))));
        } else if (deceased == 2) {
            p.setDeceased(new BooleanType(false));
        }
        return p;
    }

    private Instant daysAgo(double days) {
        return now.minus(Duration.ofSeconds((long) (days * 86_400)));
    }

    /** Mostly within the lookback, sometimes at its edges, before it or after the evaluation time. */
    private Instant when() {
        return switch (random.nextInt(12)) {
            case 0 -> daysAgo(90);
            case 1 -> daysAgo(90).minusSeconds(1);
            case 2 -> daysAgo(90 + random.nextInt(400));
            case 3 -> now.plusSeconds(1 + random.nextInt(86_400 * 3));
            case 4 -> now;
            case 5 -> daysAgo(random.nextInt(3)); // close together: ties and near ties
            default -> daysAgo(random.nextInt(90) + random.nextInt(86_400) / 86_400d);
        };
    }

    private static DateTimeType dateTime(Instant at) {
        return Fhir.dateTime(at);
    }

    private <T> T pick(T[] options) {
        return options[random.nextInt(options.length)];
    }

    private <T> T pick(List<T> options) {
        return options.get(random.nextInt(options.size()));
    }

    private record LabKind(Code code, String[] units, double[] interesting, double low, double high) {
    }

    private static final LabKind[] LABS = {
            new LabKind(Loinc.CALCIUM_SERUM_MASS, new String[]{"mg/dL", "mg/dL", "mmol/L", "meq/L"},
                    new double[]{10.2, 10.3, 10.21, 10.199999, 2.55, 2.56, 5.1, 5.2}, 7.5, 12.5),
            new LabKind(Loinc.CALCIUM_BLOOD_MASS, new String[]{"mg/dL"}, new double[]{10.2, 10.3}, 7.5, 12.5),
            new LabKind(Loinc.CALCIUM_SERUM_MOLES, new String[]{"mmol/L", "mmol/L", "mg/dL"},
                    new double[]{2.55, 2.56, 2.545}, 1.9, 3.1),
            new LabKind(Loinc.CALCIUM_ALBUMIN_CORRECTED_MASS, new String[]{"mg/dL"}, new double[]{10.2, 10.3},
                    7.5, 12.5),
            new LabKind(Loinc.CALCIUM_ALBUMIN_CORRECTED_MOLES, new String[]{"mmol/L"}, new double[]{2.55, 2.56},
                    1.9, 3.1),
            new LabKind(Loinc.CALCIUM_PROTEIN_CORRECTED_MASS, new String[]{"mg/dL"}, new double[]{10.3}, 7.5, 12.5),
            new LabKind(Loinc.CALCIUM_IONIZED_BLOOD_MOLES, new String[]{"mmol/L", "mg/dL"},
                    new double[]{1.32, 1.33, 5.29, 5.3}, 0.9, 1.6),
            new LabKind(Loinc.CALCIUM_IONIZED_SERUM_MOLES, new String[]{"mmol/L", "meq/L"},
                    new double[]{1.32, 1.33, 2.64, 2.65}, 0.9, 1.6),
            new LabKind(Loinc.CALCIUM_IONIZED_SERUM_MASS, new String[]{"mg/dL"}, new double[]{5.29, 5.3}, 3.5, 6.5),
            new LabKind(Loinc.PHOSPHATE_MASS, new String[]{"mg/dL", "mg/dL", "mmol/L"},
                    new double[]{5.5, 5.6, 1.78, 1.79, 5.5000001}, 2.0, 9.0),
            new LabKind(Loinc.PHOSPHATE_MOLES, new String[]{"mmol/L", "mg/dL"}, new double[]{1.78, 1.79}, 0.6, 3.0),
            new LabKind(Loinc.PTH_INTACT_MASS, new String[]{"pg/mL", "pg/mL", "ng/L", "pmol/L"},
                    new double[]{585, 586, 585.1, 62.0, 62.1}, 20, 1500),
            new LabKind(Loinc.PTH_INTACT_MOLES, new String[]{"pmol/L", "pg/mL"}, new double[]{62.0, 62.1, 585, 586},
                    2, 160),
            new LabKind(Loinc.ALBUMIN_MASS, new String[]{"g/dL", "g/dL", "g/L"}, new double[]{3.0, 2.9, 30, 29.9},
                    1.8, 5.0),
            new LabKind(Loinc.ALBUMIN_BCG, new String[]{"g/dL", "g/L"}, new double[]{3.0, 2.99}, 1.8, 5.0),
            new LabKind(Loinc.ALBUMIN_BCP, new String[]{"g/L"}, new double[]{30, 29}, 18, 50),
            new LabKind(Loinc.BMI, new String[]{"kg/m2", "kg/m2", "kg/m^2"}, new double[]{30, 29.99, 30.01}, 17, 48),
    };

    /** Unit strings as labs send them without a UCUM system (some known spellings, some not). */
    private static final String[] UNIT_TEXT = {"mg/dl", "MG/DL", "mmol/l", "mEq/L", "pg/ml", "g/dl", "g/l",
            "kg/m^2", "kg/m2", "ng/L", "pmol/l", "mg%", "units", ""};

    private Observation lab(String id, String subject) {
        LabKind kind = pick(LABS);
        Observation o = new Observation();
        o.setId(id);
        o.setStatus(Observation.ObservationStatus.fromCode(pick(OBS_STATUS)));
        o.setCode(new CodeableConcept().addCoding(kind.code().toCoding()));
        subject(o::setSubject, subject);
        time(o);
        if (random.nextInt(4) == 0) {
            o.getMeta().setLastUpdated(Date.from(daysAgo(random.nextInt(3))));
        }
        int shape = random.nextInt(40);
        if (shape == 0) {
            o.getDataAbsentReason().setText("not performed");
            return o;
        }
        if (shape == 1) {
            o.setValue(new StringType("12"));
            return o;
        }
        if (shape == 2) {
            return o; // no value
        }
        double value = random.nextInt(3) == 0 ? kind.interesting()[random.nextInt(kind.interesting().length)]
                : kind.low() + random.nextDouble() * (kind.high() - kind.low());
        int decimals = random.nextInt(4);
        BigDecimal number = BigDecimal.valueOf(value).setScale(Math.max(decimals, BigDecimal.valueOf(value).scale()
                > 6 ? 7 : decimals), java.math.RoundingMode.HALF_UP);
        if (random.nextInt(3) == 0) {
            number = BigDecimal.valueOf(value);
        }
        Quantity q = new Quantity().setValue(number);
        if (shape == 3) {
            q.setComparator(Quantity.QuantityComparator.GREATER_THAN);
        }
        int unit = random.nextInt(10);
        if (unit < 7) {
            String ucum = pick(kind.units());
            q.setSystem(Fhir.UCUM).setCode(ucum).setUnit(ucum);
        } else if (unit < 9) {
            q.setUnit(pick(UNIT_TEXT));
        } else {
            q.setSystem("http://example.org/units").setCode(pick(kind.units()));
        }
        o.setValue(q);
        return o;
    }

    private void time(Observation o) {
        Instant at = when();
        switch (random.nextInt(14)) {
            case 0 -> o.setEffective(new Period().setEnd(Date.from(at)));
            case 1 -> o.setEffective(new Period().setStart(Date.from(at)));
            case 2 -> o.setEffective(new InstantType(Date.from(at)));
            case 3 -> o.setIssued(Date.from(at));
            case 4 -> {
                // no time at all
            }
            case 5 -> o.setEffective(new Period().setStart(Date.from(at.minusSeconds(3600))).setEnd(Date.from(at)));
            default -> o.setEffective(dateTime(at));
        }
    }

    private void subject(java.util.function.Consumer<Reference> set, String subject) {
        int s = random.nextInt(30);
        if (s == 0) {
            set.accept(new Reference("Patient/someone-else"));
        } else if (s != 1) {
            set.accept(new Reference(subject));
        }
    }

    private static final Code[] CONDITION_CODES = {
            Snomed.END_STAGE_RENAL_DISEASE, Snomed.CKD_STAGE_5, Snomed.CKD_STAGE_5_ON_DIALYSIS,
            Snomed.DEPENDENCE_ON_RENAL_DIALYSIS, Snomed.END_STAGE_RENAL_FAILURE_ON_DIALYSIS, Icd10Cm.CKD_STAGE_5,
            Icd10Cm.END_STAGE_RENAL_DISEASE, Icd10Cm.DEPENDENCE_ON_RENAL_DIALYSIS, Snomed.HYPERCALCEMIA,
            Icd10Cm.HYPERCALCEMIA, Snomed.HYPERPARATHYROIDISM, Snomed.PRIMARY_HYPERPARATHYROIDISM,
            Snomed.SECONDARY_HYPERPARATHYROIDISM, Snomed.TERTIARY_HYPERPARATHYROIDISM, Icd10Cm.PRIMARY_HYPERPARATHYROIDISM,
            Icd10Cm.SECONDARY_HYPERPARATHYROIDISM_OF_RENAL_ORIGIN, Snomed.DIABETES_MELLITUS, Snomed.DIABETES_MELLITUS_TYPE_2,
            Snomed.DIABETES_MELLITUS_TYPE_1, Snomed.PREDIABETES, Icd10Cm.TYPE_2_DIABETES, Icd10Cm.PREDIABETES,
            Snomed.OBESITY, Snomed.BMI_30_PLUS_OBESITY, Snomed.MORBID_OBESITY, Icd10Cm.OVERWEIGHT_AND_OBESITY,
            Icd10Cm.OVERWEIGHT, Snomed.CROHNS_DISEASE, Icd10Cm.CROHNS_DISEASE, Snomed.CALCIPHYLAXIS,
            Icd10Cm.OTHER_DISORDERS_OF_CALCIUM_METABOLISM, Snomed.NO,
    };

    private static final String[] ICD_MORE = {"E11.9", "E1122", "E66.01", "E66.3", "Z68.30", "Z68.45", "Z68.29",
            "Z68.46", "K50.90", "N18.4", "R73.09", "E83.52", "N25.81", "E21.1"};

    private Condition condition(String id, String subject) {
        Condition c = new Condition();
        c.setId(id);
        CodeableConcept code = new CodeableConcept();
        int kind = random.nextInt(12);
        if (kind == 0) {
            code.addCoding().setSystem(CodeSystems.ICD_10_CM).setCode(pick(ICD_MORE));
        } else if (kind == 1) {
            code.addCoding(Icd10Cm.OTHER_DISORDERS_OF_CALCIUM_METABOLISM.toCoding());
            code.setText(random.nextBoolean() ? "Calciphylaxis of the thigh" : "Milk-alkali syndrome");
        } else if (kind == 2) {
            code.setText("kidney failure"); // text only
        } else if (kind != 3) {
            code.addCoding(pick(CONDITION_CODES).toCoding());
            if (random.nextInt(6) == 0) {
                code.addCoding(pick(CONDITION_CODES).toCoding());
            }
        }
        c.setCode(code);
        subject(c::setSubject, subject);
        String clinical = pick(CLINICAL);
        if (clinical != null) {
            c.setClinicalStatus(Fhir.concept(Fhir.CLINICAL, clinical, null));
        }
        String verification = pick(VERIFICATION);
        if (verification != null) {
            c.setVerificationStatus(Fhir.concept(Fhir.VERIFICATION, verification, null));
        }
        int abatement = random.nextInt(8);
        if (abatement == 0) {
            c.setAbatement(dateTime(daysAgo(random.nextInt(200))));
        } else if (abatement == 1) {
            c.setAbatement(dateTime(now.plusSeconds(86_400L * (1 + random.nextInt(30)))));
        } else if (abatement == 2) {
            c.setAbatement(new StringType("in childhood"));
        }
        return c;
    }

    private static final Code[] PROCEDURE_CODES = {Snomed.RENAL_DIALYSIS, Snomed.HEMODIALYSIS,
            Snomed.PERITONEAL_DIALYSIS, Snomed.DIALYSIS_PROCEDURE, Snomed.DIABETES_MELLITUS};

    private Procedure procedure(String id, String subject) {
        Procedure p = new Procedure();
        p.setId(id);
        p.setCode(new CodeableConcept().addCoding(pick(PROCEDURE_CODES).toCoding()));
        p.setStatus(pick(new Procedure.ProcedureStatus[]{Procedure.ProcedureStatus.COMPLETED,
                Procedure.ProcedureStatus.COMPLETED, Procedure.ProcedureStatus.INPROGRESS,
                Procedure.ProcedureStatus.NOTDONE, Procedure.ProcedureStatus.ENTEREDINERROR}));
        subject(p::setSubject, subject);
        Instant at = when();
        switch (random.nextInt(5)) {
            case 0 -> p.setPerformed(new Period().setStart(Date.from(at.minus(Duration.ofDays(random.nextInt(200)))))
                    .setEnd(Date.from(at)));
            case 1 -> p.setPerformed(new Period().setStart(Date.from(at)));
            case 2 -> {
                // not dated
            }
            default -> p.setPerformed(dateTime(at));
        }
        return p;
    }

    private Observation dialysisStatus(String id, String subject) {
        Observation o = new Observation();
        o.setId(id);
        o.setStatus(Observation.ObservationStatus.fromCode(pick(OBS_STATUS)));
        o.setCode(new CodeableConcept().addCoding(random.nextBoolean() ? Snomed.DEPENDENCE_ON_RENAL_DIALYSIS.toCoding()
                : DialysisStatus.ON_DIALYSIS.toCoding()));
        subject(o::setSubject, subject);
        o.setEffective(dateTime(when()));
        switch (random.nextInt(5)) {
            case 0 -> o.setValue(new BooleanType(true));
            case 1 -> o.setValue(new BooleanType(false));
            case 2 -> o.setValue(new CodeableConcept().addCoding(Snomed.NO.toCoding()));
            case 3 -> o.setValue(new CodeableConcept().addCoding(Snomed.NEGATIVE.toCoding()));
            default -> o.setValue(new CodeableConcept().setText("yes"));
        }
        return o;
    }

    private static final String[] DRUG_NAMES = {"Warfarin 5 mg tablet", "prednisone oral", "Hydrocortisone cream",
            "dexamethasone ophthalmic solution", "iron dextran", "Iron-Dextran injection", "ferrous sulfate",
            "Albumin Human 25%", "albumin", "methylprednisolone injection", "aspirin"};

    private CodeableConcept drug() {
        int kind = random.nextInt(10);
        if (kind < 2) {
            return new CodeableConcept().setText(pick(DRUG_NAMES));
        }
        if (kind == 2) {
            CodeableConcept byDisplay = new CodeableConcept();
            byDisplay.addCoding().setDisplay(pick(DRUG_NAMES));
            return byDisplay;
        }
        List<Code> codes = new ArrayList<>(RxNorm.WARFARIN_CLINICAL_DRUGS);
        codes.addAll(RxNorm.GLUCOCORTICOID_INGREDIENTS);
        codes.addAll(RxNorm.GLUCOCORTICOID_SYSTEMIC_CLINICAL_DRUGS);
        codes.add(RxNorm.WARFARIN);
        codes.add(RxNorm.HYDROCORTISONE_TOPICAL_CREAM);
        codes.add(RxNorm.IRON_DEXTRAN);
        codes.add(RxNorm.IRON_DEXTRAN_50_MG_PER_ML_INJECTABLE);
        codes.add(RxNorm.ALBUMIN_HUMAN);
        codes.add(new Code(CodeSystems.RXNORM, "1191", "aspirin"));
        return new CodeableConcept().addCoding(pick(codes).toCoding());
    }

    private void medication(String id, String subject, List<Resource> resources) {
        CodeableConcept drug = drug();
        boolean byReference = random.nextInt(4) == 0;
        Reference reference = null;
        if (byReference) {
            int how = random.nextInt(4);
            if (how == 3) {
                reference = new Reference("Medication/missing-" + id);
            } else {
                Medication m = new Medication();
                m.setId(id + "-med");
                m.setCode(drug);
                if (how == 0) {
                    resources.add(m);
                    reference = new Reference("Medication/" + id + "-med");
                } else {
                    m.setId("med");
                    reference = new Reference("#med");
                    if (random.nextBoolean()) {
                        resources.add(statementWith(id, subject, reference, m));
                        return;
                    }
                    MedicationRequest r = request(id, subject);
                    r.addContained(m);
                    r.setMedication(reference);
                    resources.add(r);
                    return;
                }
            }
        }
        if (random.nextBoolean()) {
            MedicationRequest r = request(id, subject);
            if (reference != null) {
                r.setMedication(reference);
            } else {
                r.setMedication(drug);
            }
            resources.add(r);
        } else {
            resources.add(statementWith(id, subject, reference, null).setMedication(
                    reference != null ? reference : drug));
        }
    }

    private MedicationRequest request(String id, String subject) {
        MedicationRequest r = new MedicationRequest();
        r.setId(id);
        r.setStatus(pick(new MedicationRequest.MedicationRequestStatus[]{
                MedicationRequest.MedicationRequestStatus.ACTIVE, MedicationRequest.MedicationRequestStatus.ACTIVE,
                MedicationRequest.MedicationRequestStatus.ONHOLD, MedicationRequest.MedicationRequestStatus.STOPPED,
                MedicationRequest.MedicationRequestStatus.COMPLETED, MedicationRequest.MedicationRequestStatus.DRAFT}));
        r.setIntent(MedicationRequest.MedicationRequestIntent.ORDER);
        subject(r::setSubject, subject);
        return r;
    }

    private MedicationStatement statementWith(String id, String subject, Reference reference, Medication contained) {
        MedicationStatement s = new MedicationStatement();
        s.setId(id);
        s.setStatus(pick(new MedicationStatement.MedicationStatementStatus[]{
                MedicationStatement.MedicationStatementStatus.ACTIVE,
                MedicationStatement.MedicationStatementStatus.INTENDED,
                MedicationStatement.MedicationStatementStatus.COMPLETED,
                MedicationStatement.MedicationStatementStatus.STOPPED}));
        subject(s::setSubject, subject);
        if (contained != null) {
            s.addContained(contained);
            s.setMedication(reference);
        }
        return s;
    }
}
