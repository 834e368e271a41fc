package calciscreen.hl7v2.mapping;

import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Varies;
import ca.uhn.hl7v2.model.v251.datatype.IS;
import ca.uhn.hl7v2.model.v251.segment.OBX;
import calciscreen.model.units.Ucum;
import calciscreen.model.units.UnitReading;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Observation.ObservationStatus;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Range;
import org.hl7.fhir.r4.model.Ratio;
import org.hl7.fhir.r4.model.SimpleQuantity;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Type;

/**
 * The parts of an Observation that come from one OBX (V2-to-FHIR "OBX to Observation"): status (OBX-11), code
 * (OBX-3), value by its type (OBX-2, OBX-5) with its unit (OBX-6), reference range (OBX-7) and interpretation
 * (OBX-8). Identity, subject, times and links are set by {@link OruMapper}.
 */
final class ResultMapper {

    static final String INTERPRETATION_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";
    static final String DATA_ABSENT_SYSTEM = "http://terminology.hl7.org/CodeSystem/data-absent-reason";
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)");
    private static final Pattern COMPARED = Pattern.compile("(<=|>=|<|>)\\s*(" + NUMBER.pattern() + ")");
    private static final Pattern RANGE = Pattern.compile("(" + NUMBER.pattern() + ")\\s*-\\s*(" + NUMBER.pattern() + ")");

    private final OBX obx;
    private final int occurrence;
    private final char componentSeparator;

    ResultMapper(OBX obx, int occurrence, char componentSeparator) {
        this.obx = obx;
        this.occurrence = occurrence;
        this.componentSeparator = componentSeparator;
    }

    Rejection reject(int field, ErrorCode code, String reason) {
        return Rejection.at("OBX", occurrence, field, code, reason);
    }

    /** OBX-11 as FHIR status (V2-to-FHIR's map of table 0085). */
    ObservationStatus status() {
        String status = Fields.text(obx.getObservationResultStatus()).toUpperCase(Locale.ROOT);
        return switch (status) {
            case "F", "U" -> ObservationStatus.FINAL;
            case "C" -> ObservationStatus.CORRECTED;
            case "P", "R", "S" -> ObservationStatus.PRELIMINARY;
            case "I", "O" -> ObservationStatus.REGISTERED;
            case "X", "N" -> ObservationStatus.CANCELLED;
            case "D", "W" -> ObservationStatus.ENTEREDINERROR;
            case "" -> throw reject(11, ErrorCode.REQUIRED_FIELD_MISSING, "no result status (OBX-11)");
            default -> throw reject(11, ErrorCode.TABLE_VALUE_NOT_FOUND,
                    "result status '" + status + "' is not in HL7 table 0085");
        };
    }

    /** OBX-3; a result with no code can never be read. */
    CodeableConcept code(String facility, Map<String, String> localCodes) {
        return Codings.concept(Fields.triplets(obx.getObservationIdentifier()), facility, localCodes)
                .orElseThrow(() -> reject(3, ErrorCode.REQUIRED_FIELD_MISSING, "no observation code (OBX-3)"));
    }

    /** OBX-3 component 1 and OBX-4 as sent: with the filler order number, the result's identity. */
    String identityPart() {
        return Fields.text(obx.getObservationIdentifier().getIdentifier()) + "/" + Fields.text(obx.getObservationSubID());
    }

    /** Sets value (or why there is none), reference range and interpretation. */
    void fill(Observation observation, ObservationStatus status) {
        Type value = value();
        if (value != null) {
            observation.setValue(value);
        } else if (status != ObservationStatus.ENTEREDINERROR) {
            observation.setDataAbsentReason(new CodeableConcept().addCoding(new org.hl7.fhir.r4.model.Coding(
                    DATA_ABSENT_SYSTEM, status == ObservationStatus.CANCELLED ? "not-performed" : "unknown", null)));
        }
        String range = Fields.text(obx.getReferencesRange());
        if (!range.isEmpty()) {
            observation.addReferenceRange(referenceRange(range));
        }
        for (IS flag : obx.getAbnormalFlags()) {
            String code = Fields.text(flag);
            if (!code.isEmpty()) {
                observation.addInterpretation(new CodeableConcept().addCoding(
                        new org.hl7.fhir.r4.model.Coding(INTERPRETATION_SYSTEM, code.toUpperCase(Locale.ROOT), null)));
            }
        }
    }

    private Type value() {
        List<String> values = new ArrayList<>();
        for (Varies varies : obx.getObservationValue()) {
            String encoded = encode(varies);
            if (!encoded.isBlank()) {
                values.add(encoded);
            }
        }
        if (values.isEmpty()) {
            return null;
        }
        String type = Fields.text(obx.getValueType()).toUpperCase(Locale.ROOT);
        String first = values.get(0);
        return switch (type) {
            case "NM" -> numeric(first);
            case "SN" -> structuredNumeric(first);
            case "ST", "TX", "FT" -> new StringType(String.join("\n", values));
            case "CE", "CWE" -> Codings.concept(pad(first.split(Pattern.quote(String.valueOf(componentSeparator)), -1)),
                    "", Map.of()).orElseThrow(() -> reject(5, ErrorCode.DATA_TYPE_ERROR, "coded value without a code"));
            case "" -> throw reject(2, ErrorCode.REQUIRED_FIELD_MISSING, "a value (OBX-5) without a value type (OBX-2)");
            default -> throw reject(2, ErrorCode.DATA_TYPE_ERROR, "value type '" + type
                    + "' is not read here (NM, SN, ST, TX, FT, CE, CWE are)");
        };
    }

    /** NM; a number sent with a comparator ({@code >5000}) is read as SN would be. */
    private Quantity numeric(String text) {
        String value = text.trim();
        Matcher compared = COMPARED.matcher(value);
        if (compared.matches()) {
            return quantity(compared.group(2)).setComparator(Quantity.QuantityComparator.fromCode(compared.group(1)));
        }
        if (!NUMBER.matcher(value).matches()) {
            throw reject(5, ErrorCode.DATA_TYPE_ERROR, "'" + value + "' is not a number (OBX-2 is NM)");
        }
        return quantity(value);
    }

    /** SN: comparator^number^separator^number: {@code >^5000}, {@code ^10^-^20} (a range), {@code ^1^:^128} (a ratio). */
    private Type structuredNumeric(String text) {
        String[] c = pad(text.split(Pattern.quote(String.valueOf(componentSeparator)), -1));
        String comparator = c[0].trim();
        String first = c[1].trim();
        String separator = c[2].trim();
        String second = c[3].trim();
        if (!NUMBER.matcher(first).matches()) {
            throw reject(5, ErrorCode.DATA_TYPE_ERROR, "structured numeric '" + text + "' has no number in its second component");
        }
        if (separator.isEmpty()) {
            Quantity quantity = quantity(first);
            if (!comparator.isEmpty() && !comparator.equals("=")) {
                if (!List.of("<", ">", "<=", ">=").contains(comparator)) {
                    throw reject(5, ErrorCode.DATA_TYPE_ERROR, "comparator '" + comparator + "' is not read here");
                }
                quantity.setComparator(Quantity.QuantityComparator.fromCode(comparator));
            }
            return quantity;
        }
        if (!comparator.isEmpty() || !NUMBER.matcher(second).matches()) {
            throw reject(5, ErrorCode.DATA_TYPE_ERROR, "structured numeric '" + text + "' is not read here");
        }
        return switch (separator) {
            case "-" -> new Range().setLow(simple(quantity(first))).setHigh(simple(quantity(second)));
            case ":", "/" -> new Ratio().setNumerator(quantity(first)).setDenominator(new Quantity().setValue(new BigDecimal(second)));
            default -> throw reject(5, ErrorCode.DATA_TYPE_ERROR, "separator '" + separator + "' is not read here");
        };
    }

    /** A value with OBX-6's unit: UCUM when the unit is a spelling the screening knows (or sent as UCUM). */
    private Quantity quantity(String number) {
        Quantity quantity = new Quantity().setValue(new BigDecimal(number.startsWith("+") ? number.substring(1) : number));
        String unit = Fields.text(obx.getUnits().getIdentifier());
        String unitText = Fields.text(obx.getUnits().getText());
        String unitSystem = Fields.text(obx.getUnits().getNameOfCodingSystem());
        if (unit.isEmpty()) {
            unit = unitText;
        }
        if (unit.isEmpty()) {
            return quantity;
        }
        quantity.setUnit(unit);
        if (Ucum.lookup(unit, "unit") instanceof UnitReading.Recognized known) {
            quantity.setSystem(Ucum.SYSTEM).setCode(known.ucum());
        } else if (unitSystem.equalsIgnoreCase("UCUM")) {
            quantity.setSystem(Ucum.SYSTEM).setCode(unit);
        }
        return quantity;
    }

    private static SimpleQuantity simple(Quantity quantity) {
        SimpleQuantity simple = new SimpleQuantity();
        simple.setValue(quantity.getValue()).setUnit(quantity.getUnit()).setSystem(quantity.getSystem())
                .setCode(quantity.getCode());
        return simple;
    }

    /** OBX-7: {@code 8.5-10.2}, {@code >60}, {@code <5}; anything else is kept as text. */
    private Observation.ObservationReferenceRangeComponent referenceRange(String range) {
        Observation.ObservationReferenceRangeComponent component = new Observation.ObservationReferenceRangeComponent();
        Matcher between = RANGE.matcher(range);
        Matcher compared = COMPARED.matcher(range);
        if (between.matches()) {
            component.setLow(simple(quantity(between.group(1)))).setHigh(simple(quantity(between.group(4))));
        } else if (compared.matches() && compared.group(1).startsWith(">")) {
            component.setLow(simple(quantity(compared.group(2))));
        } else if (compared.matches()) {
            component.setHigh(simple(quantity(compared.group(2))));
        } else {
            component.setText(range);
        }
        return component;
    }

    private String encode(Varies varies) {
        try {
            return varies.getData() == null ? "" : varies.getData().encode();
        } catch (HL7Exception e) {
            throw reject(5, ErrorCode.DATA_TYPE_ERROR, "value cannot be read: " + e.getMessage());
        }
    }

    private static String[] pad(String[] parts) {
        String[] padded = new String[Math.max(6, parts.length)];
        java.util.Arrays.fill(padded, "");
        System.arraycopy(parts, 0, padded, 0, parts.length);
        return padded;
    }
}
