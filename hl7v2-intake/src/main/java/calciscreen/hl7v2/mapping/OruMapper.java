package calciscreen.hl7v2.mapping;

import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.v251.group.ORU_R01_OBSERVATION;
import ca.uhn.hl7v2.model.v251.group.ORU_R01_ORDER_OBSERVATION;
import ca.uhn.hl7v2.model.v251.group.ORU_R01_PATIENT_RESULT;
import ca.uhn.hl7v2.model.v251.group.ORU_R01_SPECIMEN;
import ca.uhn.hl7v2.model.v251.message.ORU_R01;
import ca.uhn.hl7v2.model.v251.segment.NTE;
import ca.uhn.hl7v2.model.v251.segment.OBR;
import ca.uhn.hl7v2.model.v251.segment.ORC;
import ca.uhn.hl7v2.model.v251.segment.SPM;
import calciscreen.hl7v2.IntakeProperties.Facility;
import calciscreen.model.CanonicalUrls;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Specimen;

/**
 * ORU^R01 as one FHIR transaction, after the V2-to-FHIR segment maps: PID to Patient (created once, found by its
 * identifier), ORC/OBR to ServiceRequest and DiagnosticReport, SPM to Specimen, OBX to Observation.
 * Each Observation's identifier is the filler order number with OBX-3 and OBX-4, so that a corrected or deleted
 * result (OBX-11 C, D) is a new version of the same Observation.
 */
public final class OruMapper {

    /** Identifier systems of results, reports and orders: {@code <this>/<filler namespace or MSH-4>}. */
    public static final String ORDER_IDENTIFIER_BASE = CanonicalUrls.BASE + "/sid/hl7v2-order";
    public static final String RESULT_IDENTIFIER_BASE = CanonicalUrls.BASE + "/sid/hl7v2-result";
    static final String OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category";
    static final String V2_0074 = "http://terminology.hl7.org/CodeSystem/v2-0074";

    private OruMapper() {}

    public static void map(ORU_R01 message, MessageFacts facts, Facility facility, Transaction.Builder tx)
            throws HL7Exception {
        ZoneId zone = facility.zone();
        char componentSeparator = message.getMSH().getEncodingCharacters().getValue().charAt(0);
        Date issuedDefault = Hl7Time.dateTime(facts.time(), zone, reason -> Rejection.at("MSH", 1, 7,
                ErrorCode.DATA_TYPE_ERROR, "message time: " + reason)).map(DateTimeType::getValue).orElse(null);
        int pids = 0;
        int obrs = 0;
        int obxs = 0;
        int spms = 0;
        if (message.getPATIENT_RESULTReps() == 0) {
            throw Rejection.at("PID", 1, 3, ErrorCode.REQUIRED_FIELD_MISSING, "no patient (PID) in the message");
        }
        for (ORU_R01_PATIENT_RESULT patientResult : message.getPATIENT_RESULTAll()) {
            pids++;
            PatientMapper.MappedPatient patient = PatientMapper.map(patientResult.getPATIENT().getPID(), pids,
                    facts.facility(), facility);
            tx.patient(patient.key());
            Reference subject = tx.createOnce(patient.patient(), patient.match());
            if (patientResult.getORDER_OBSERVATIONReps() == 0) {
                throw Rejection.at("OBR", 1, 0, ErrorCode.SEGMENT_SEQUENCE_ERROR, "no order (OBR) with results");
            }
            for (ORU_R01_ORDER_OBSERVATION order : patientResult.getORDER_OBSERVATIONAll()) {
                obrs++;
                OBR obr = order.getOBR();
                ORC orc = order.getORC();
                int obrAt = obrs;
                String filler = Fields.entity(obr.getFillerOrderNumber());
                if (filler.isEmpty()) {
                    filler = Fields.entity(orc.getFillerOrderNumber());
                }
                if (filler.isEmpty()) {
                    throw Rejection.at("OBR", obrAt, 3, ErrorCode.REQUIRED_FIELD_MISSING,
                            "no filler order number (OBR-3 or ORC-3): results could not be found again when corrected");
                }
                String placer = Fields.entity(obr.getPlacerOrderNumber());
                if (placer.isEmpty()) {
                    placer = Fields.entity(orc.getPlacerOrderNumber());
                }
                String orderSystem = ORDER_IDENTIFIER_BASE + "/" + Codings.segment(facts.facility());
                Identifier fillerId = new Identifier().setSystem(orderSystem).setValue(filler)
                        .setType(type("FILL"));
                CodeableConcept service = Codings.concept(Fields.triplets(obr.getUniversalServiceIdentifier()),
                        facts.facility(), facility.localCodes()).orElseThrow(() -> Rejection.at("OBR", obrAt, 4,
                        ErrorCode.REQUIRED_FIELD_MISSING, "no universal service identifier (OBR-4)"));
                DateTimeType observed = Hl7Time.dateTime(Fields.time(obr.getObservationDateTime()), zone,
                        reason -> Rejection.at("OBR", obrAt, 7, ErrorCode.DATA_TYPE_ERROR, reason)).orElse(null);
                Date issued = Hl7Time.dateTime(Fields.time(obr.getResultsRptStatusChngDateTime()), zone,
                        reason -> Rejection.at("OBR", obrAt, 22, ErrorCode.DATA_TYPE_ERROR, reason))
                        .map(DateTimeType::getValue).orElse(issuedDefault);

                ServiceRequest request = new ServiceRequest();
                request.addIdentifier(fillerId.copy());
                if (!placer.isEmpty()) {
                    request.addIdentifier().setSystem(orderSystem).setValue(placer).setType(type("PLAC"));
                }
                request.setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE)
                        .setIntent(ServiceRequest.ServiceRequestIntent.ORDER).setCode(service).setSubject(subject);
                Reference basedOn = tx.put(request, fillerId);

                List<Reference> specimens = new ArrayList<>();
                for (ORU_R01_SPECIMEN group : order.getSPECIMENAll()) {
                    spms++;
                    specimen(group.getSPM(), spms, facts, facility, subject, tx).ifPresent(specimens::add);
                }

                DiagnosticReport report = new DiagnosticReport();
                report.addIdentifier(fillerId.copy());
                report.addCategory(new CodeableConcept().addCoding(new Coding(V2_0074, "LAB", "Laboratory")));
                report.setCode(service).setSubject(subject).addBasedOn(basedOn).setSpecimen(specimens);
                if (observed != null) {
                    report.setEffective(observed.copy());
                }
                if (issued != null) {
                    report.setIssuedElement(new InstantType(issued));
                }

                String resultSystem = RESULT_IDENTIFIER_BASE + "/" + Codings.segment(facts.facility());
                List<Observation.ObservationStatus> statuses = new ArrayList<>();
                for (ORU_R01_OBSERVATION observation : order.getOBSERVATIONAll()) {
                    if (observation.getOBX().isEmpty()) {
                        continue;
                    }
                    obxs++;
                    int obxAt = obxs;
                    ResultMapper obx = new ResultMapper(observation.getOBX(), obxAt, componentSeparator);
                    Observation result = new Observation();
                    Identifier identity = new Identifier().setSystem(resultSystem)
                            .setValue(filler + "/" + obx.identityPart());
                    if (tx.has("Observation", identity)) {
                        throw obx.reject(4, ErrorCode.DUPLICATE_KEY_IDENTIFIER, "two results with the same code "
                                + "(OBX-3) and sub-id (OBX-4) in one order: give each its own OBX-4");
                    }
                    Observation.ObservationStatus status = obx.status();
                    statuses.add(status);
                    result.addIdentifier(identity).setStatus(status)
                            .addCategory(new CodeableConcept().addCoding(new Coding(OBSERVATION_CATEGORY,
                                    "laboratory", "Laboratory")))
                            .setCode(obx.code(facts.facility(), facility.localCodes()))
                            .setSubject(subject).addBasedOn(basedOn);
                    DateTimeType effective = Hl7Time.dateTime(Fields.time(observation.getOBX()
                            .getDateTimeOfTheObservation()), zone, reason -> obx.reject(14, ErrorCode.DATA_TYPE_ERROR,
                            reason)).orElse(observed);
                    if (effective != null) {
                        result.setEffective(effective.copy());
                    }
                    if (issued != null) {
                        result.setIssuedElement(new InstantType(issued));
                    }
                    obx.fill(result, status);
                    if (!specimens.isEmpty()) {
                        result.setSpecimen(specimens.get(0));
                    }
                    for (NTE note : observation.getNTEAll()) {
                        String text = String.join("\n", java.util.Arrays.stream(note.getComment())
                                .map(Fields::text).filter(t -> !t.isEmpty()).toList());
                        if (!text.isEmpty()) {
                            result.addNote().setText(text);
                        }
                    }
                    report.addResult(tx.put(result, identity));
                    tx.countResult();
                }
                if (report.getResult().isEmpty()) {
                    throw Rejection.at("OBX", obxs + 1, 0, ErrorCode.SEGMENT_SEQUENCE_ERROR,
                            "order OBR[" + obrAt + "] carries no result (OBX)");
                }
                report.setStatus(reportStatus(Fields.text(obr.getResultStatus()), statuses, obrAt));
                tx.put(report, fillerId);
            }
        }
    }

    /** OBR-25 (table 0123); empty: from the results' statuses. */
    static DiagnosticReport.DiagnosticReportStatus reportStatus(String code, List<Observation.ObservationStatus> results,
                                                                int obrAt) {
        return switch (code.toUpperCase(Locale.ROOT)) {
            case "F" -> DiagnosticReport.DiagnosticReportStatus.FINAL;
            case "C" -> DiagnosticReport.DiagnosticReportStatus.CORRECTED;
            case "P" -> DiagnosticReport.DiagnosticReportStatus.PRELIMINARY;
            case "A", "R" -> DiagnosticReport.DiagnosticReportStatus.PARTIAL;
            case "I", "O", "S" -> DiagnosticReport.DiagnosticReportStatus.REGISTERED;
            case "X" -> DiagnosticReport.DiagnosticReportStatus.CANCELLED;
            case "" -> results.contains(Observation.ObservationStatus.PRELIMINARY)
                    ? DiagnosticReport.DiagnosticReportStatus.PRELIMINARY
                    : results.contains(Observation.ObservationStatus.CORRECTED)
                    ? DiagnosticReport.DiagnosticReportStatus.CORRECTED : DiagnosticReport.DiagnosticReportStatus.FINAL;
            default -> throw Rejection.at("OBR", obrAt, 25, ErrorCode.TABLE_VALUE_NOT_FOUND,
                    "result status '" + code + "' is not in HL7 table 0123");
        };
    }

    private static java.util.Optional<Reference> specimen(SPM spm, int occurrence, MessageFacts facts, Facility facility,
                                                          Reference subject, Transaction.Builder tx) {
        String id = Fields.entity(spm.getSpecimenID().getFillerAssignedIdentifier());
        if (id.isEmpty()) {
            id = Fields.entity(spm.getSpecimenID().getPlacerAssignedIdentifier());
        }
        if (id.isEmpty()) {
            return java.util.Optional.empty(); // a specimen that cannot be found again is not written
        }
        ZoneId zone = facility.zone();
        Identifier identifier = new Identifier().setSystem(ORDER_IDENTIFIER_BASE + "/" + Codings.segment(facts.facility())
                + "/specimen").setValue(id);
        Specimen specimen = new Specimen();
        specimen.addIdentifier(identifier).setSubject(subject);
        Codings.concept(Fields.triplets(spm.getSpecimenType()), facts.facility(), java.util.Map.of())
                .ifPresent(specimen::setType);
        Hl7Time.dateTime(Fields.time(spm.getSpecimenCollectionDateTime().getRangeStartDateTime()), zone,
                reason -> Rejection.at("SPM", occurrence, 17, ErrorCode.DATA_TYPE_ERROR, reason))
                .ifPresent(t -> specimen.getCollection().setCollected(t));
        Hl7Time.dateTime(Fields.time(spm.getSpecimenReceivedDateTime()), zone,
                reason -> Rejection.at("SPM", occurrence, 18, ErrorCode.DATA_TYPE_ERROR, reason))
                .ifPresent(t -> specimen.setReceivedTimeElement(t));
        if (tx.has("Specimen", identifier)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(tx.put(specimen, identifier));
    }

    static CodeableConcept type(String code) {
        return new CodeableConcept().addCoding(new Coding(PatientMapper.V2_0203, code, null));
    }
}
