package calciscreen.model.resources;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.FhirVersionEnum;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.MetadataResource;

/**
 * Our conformance resources, as JSON on the classpath under {@code conformance/}: the CodeSystems we own, our
 * extensions, and the Flag and RiskAssessment profiles (each StructureDefinition with differential and snapshot).
 * The server PUTs each by its id at start ({@code PUT /fhir/StructureDefinition/calciphylaxis-risk-flag}), in the
 * order of {@link #FILES}: code systems, the value set, then extensions, then the profiles that use them.
 *
 * <p>The JSON is generated (fhir-model's test {@code ConformanceGenerator}); a test fails when it drifts from its
 * source. Do not edit the files by hand.
 */
public final class Conformance {

    /** Classpath folder of the files. */
    public static final String DIRECTORY = "conformance";

    public static final String SCREENING_FLAG_CODE_SYSTEM = "CodeSystem-screening-flag.json";
    public static final String DIALYSIS_STATUS_CODE_SYSTEM = "CodeSystem-dialysis-status.json";
    public static final String FLAG_ACTION_CODE_SYSTEM = "CodeSystem-flag-action.json";
    public static final String FLAG_ACTION_REASON_CODE_SYSTEM = "CodeSystem-flag-action-reason.json";
    public static final String FLAG_ACTION_INPUT_CODE_SYSTEM = "CodeSystem-flag-action-input.json";
    public static final String FLAG_ACTION_REASON_VALUE_SET = "ValueSet-flag-action-reason.json";
    public static final String RISK_SCORE_EXTENSION = "StructureDefinition-risk-score.json";
    public static final String RULE_SET_EXTENSION = "StructureDefinition-rule-set.json";
    public static final String RULE_CRITERION_EXTENSION = "StructureDefinition-rule-criterion.json";
    public static final String RULE_RESULT_EXTENSION = "StructureDefinition-rule-result.json";
    public static final String FLAG_PROFILE = "StructureDefinition-calciphylaxis-risk-flag.json";
    public static final String RISK_ASSESSMENT_PROFILE = "StructureDefinition-calciphylaxis-risk-assessment.json";

    /** Every file, in load order. */
    public static final List<String> FILES = List.of(SCREENING_FLAG_CODE_SYSTEM, DIALYSIS_STATUS_CODE_SYSTEM,
            FLAG_ACTION_CODE_SYSTEM, FLAG_ACTION_REASON_CODE_SYSTEM, FLAG_ACTION_INPUT_CODE_SYSTEM,
            FLAG_ACTION_REASON_VALUE_SET, RISK_SCORE_EXTENSION, RULE_SET_EXTENSION, RULE_CRITERION_EXTENSION,
            RULE_RESULT_EXTENSION, FLAG_PROFILE, RISK_ASSESSMENT_PROFILE);

    private Conformance() {
    }

    /** Every resource, parsed with the given (R4) context, in load order; each has its id and url. */
    public static List<MetadataResource> load(FhirContext context) {
        List<MetadataResource> resources = new ArrayList<>();
        for (String file : FILES) {
            resources.add(load(context, file));
        }
        return List.copyOf(resources);
    }

    /** One of the {@link #FILES}, parsed with the given (R4) context. */
    public static MetadataResource load(FhirContext context, String file) {
        if (context == null || context.getVersion().getVersion() != FhirVersionEnum.R4) {
            throw new IllegalArgumentException("an R4 FhirContext is required");
        }
        String path = DIRECTORY + "/" + file;
        try (InputStream in = Conformance.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + path);
            }
            try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                IBaseResource resource = context.newJsonParser().parseResource(reader);
                if (!(resource instanceof MetadataResource metadata)) {
                    throw new IllegalStateException(path + " is not a CodeSystem, ValueSet or StructureDefinition");
                }
                return metadata;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }
}
