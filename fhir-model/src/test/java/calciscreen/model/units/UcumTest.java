package calciscreen.model.units;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.hl7.fhir.r4.model.Quantity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UcumTest {

    private static Quantity ucum(String value, String code) {
        return new Quantity().setValue(new BigDecimal(value)).setSystem(Ucum.SYSTEM).setCode(code);
    }

    private static Quantity unitText(String value, String unit) {
        return new Quantity().setValue(new BigDecimal(value)).setUnit(unit);
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {3} canonical")
    @CsvSource({
            "CALCIUM, 10.2, mg/dL, 10.2",
            "CALCIUM, 2.55, mmol/L, 10.2204",
            "CALCIUM, 5.1, meq/L, 10.2204",
            "CALCIUM, 1.32, mmol/L, 5.29056",
            "PHOSPHATE, 1.78, mmol/L, 5.51266",
            "PHOSPHATE, 5.5, mg/dL, 5.5",
            "PTH, 585, pg/mL, 585",
            "PTH, 585, ng/L, 585",
            "PTH, 62.0, pmol/L, 584.66",
            "PTH, 62.1, pmol/L, 585.603",
            "ALBUMIN, 30, g/L, 3.0",
            "ALBUMIN, 2.9, g/dL, 2.9",
            "BMI, 30, kg/m2, 30"})
    void factorsAreExactlyTheDocuments(Analyte analyte, String value, String unit, double canonical) {
        Conversion c = Ucum.toCanonical(analyte, ucum(value, unit));
        assertThat(c).isInstanceOfSatisfying(Conversion.Converted.class, converted -> {
            assertThat(converted.canonicalValue()).isEqualTo(canonical);
            assertThat(converted.value()).isEqualTo(Double.parseDouble(value));
            assertThat(converted.unit()).isEqualTo(unit);
            assertThat(converted.canonicalUnit()).isEqualTo(analyte.canonicalUnit());
        });
    }

    @ParameterizedTest(name = "unit text ''{0}'' reads as {1}")
    @CsvSource({"mg/dl, mg/dL", "MG/DL, mg/dL", "mmol/l, mmol/L", "pg/ml, pg/mL", "g/l, g/L", "g/dl, g/dL",
            "kg/m2, kg/m2", "kg/m^2, kg/m2", "ng/L, ng/L", "pmol/L, pmol/L", "mEq/L, meq/L", " mg/dL , mg/dL"})
    void knownSpellingsCaseInsensitive(String spelling, String ucum) {
        assertThat(Ucum.read(unitText("1", spelling)))
                .isInstanceOfSatisfying(UnitReading.Recognized.class, r -> assertThat(r.ucum()).isEqualTo(ucum));
    }

    @Test
    void ucumCodeWinsOverUnitText() {
        Quantity q = ucum("2.5", "mmol/L").setUnit("mg/dL");
        assertThat(Ucum.read(q)).isEqualTo(new UnitReading.Recognized("mmol/L", "mmol/L"));
    }

    @Test
    void nonUcumSystemFallsBackToTheUnitText() {
        Quantity q = unitText("2.5", "mmol/L").setSystem("http://example.org/units").setCode("MMOLL");
        assertThat(Ucum.read(q)).isInstanceOf(UnitReading.Recognized.class);
    }

    @Test
    void anythingElseIsUnrecognisedWithAReason() {
        assertThat(Ucum.read(unitText("1", "mg%"))).isInstanceOfSatisfying(UnitReading.Unrecognized.class,
                u -> assertThat(u.reason()).contains("mg%"));
        assertThat(Ucum.read(new Quantity().setValue(1))).isInstanceOf(UnitReading.Unrecognized.class);
        assertThat(Ucum.read(null)).isInstanceOf(UnitReading.Unrecognized.class);
        assertThat(Ucum.read(new Quantity().setValue(1).setSystem("http://x").setCode("mg/dL")))
                .isInstanceOf(UnitReading.Unrecognized.class);
    }

    @Test
    void aUnitNotAcceptedForTheAnalyteIsNotConverted() {
        assertThat(Ucum.toCanonical(Analyte.PHOSPHATE, ucum("2", "meq/L"))).isInstanceOfSatisfying(
                Conversion.NotConverted.class, n -> assertThat(n.reason()).contains("not accepted for phosphate"));
        assertThat(Ucum.toCanonical(Analyte.PTH, ucum("2", "mg/dL"))).isInstanceOf(Conversion.NotConverted.class);
        assertThat(Ucum.toCanonical(Analyte.BMI, ucum("2", "kg"))).isInstanceOf(Conversion.NotConverted.class);
        assertThat(Ucum.toCanonical(Analyte.CALCIUM, new Quantity().setUnit("mg/dL")))
                .isInstanceOf(Conversion.NotConverted.class);
    }

    @Test
    void theReasonListsTheAcceptedUnitsCanonicalFirstInAFixedOrder() {
        assertThat(Ucum.toCanonical(Analyte.CALCIUM, ucum("2", "g/L"))).isInstanceOfSatisfying(
                Conversion.NotConverted.class,
                n -> assertThat(n.reason()).endsWith("(accepted: [mg/dL, meq/L, mmol/L])"));
        assertThat(Analyte.PTH.acceptedUnits()).containsExactly("pg/mL", "ng/L", "pmol/L");
    }

    @Test
    void absurdButFiniteValuesConvert() {
        assertThat(Ucum.toCanonical(Analyte.CALCIUM, ucum("1e9", "mg/dL"))).isInstanceOf(Conversion.Converted.class);
        assertThat(Ucum.toCanonical(Analyte.CALCIUM, ucum("1e400", "mmol/L"))).isInstanceOf(Conversion.NotConverted.class);
    }

    @Test
    void roundingIsHalfUpAtSixDecimals() {
        assertThat(Ucum.round(9.2 + 0.8 * (4.0 - 3.5))).isEqualTo(9.6);
        assertThat(Ucum.round(0.1 + 0.2)).isEqualTo(0.3);
    }
}
