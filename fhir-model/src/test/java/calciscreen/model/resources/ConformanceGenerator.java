package calciscreen.model.resources;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.ValidationSupportContext;
import ca.uhn.fhir.parser.IParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.StructureDefinition;

/**
 * Generates src/main/resources/conformance from {@link ConformanceSources}: every StructureDefinition gets its
 * snapshot from HAPI's {@link SnapshotGeneratingValidationSupport} (core definitions from
 * {@link DefaultProfileValidationSupport}, ours from a {@link PrePopulatedValidationSupport} filled as we go, so the
 * profiles see the extensions' snapshots).
 *
 * <p>Regenerate after changing the sources: run {@link #main} from the module folder, or
 * {@code mvn -o test -pl fhir-model -Dtest=ConformanceFilesTest -Dcalciscreen.conformance.write=true}.
 */
public final class ConformanceGenerator {

    static final Path OUTPUT = Path.of("src", "main", "resources", Conformance.DIRECTORY);
    static final String WEB_URL = "http://calciscreen.example/fhir/";

    private ConformanceGenerator() {
    }

    /** File name -> pretty JSON (with a final newline), in {@link Conformance#FILES} order. */
    static Map<String, String> generate(FhirContext context) {
        PrePopulatedValidationSupport ours = new PrePopulatedValidationSupport(context);
        SnapshotGeneratingValidationSupport snapshots = new SnapshotGeneratingValidationSupport(context);
        ValidationSupportChain chain = new ValidationSupportChain(
                new DefaultProfileValidationSupport(context), ours, snapshots);
        ValidationSupportContext supportContext = new ValidationSupportContext(chain);
        IParser json = context.newJsonParser().setPrettyPrint(true);

        List<MetadataResource> sources = ConformanceSources.all();
        if (sources.size() != Conformance.FILES.size()) {
            throw new IllegalStateException("ConformanceSources and Conformance.FILES disagree");
        }
        Map<String, String> files = new LinkedHashMap<>();
        for (int i = 0; i < sources.size(); i++) {
            MetadataResource resource = sources.get(i);
            if (resource instanceof StructureDefinition sd) {
                StructureDefinition withSnapshot = (StructureDefinition) snapshots.generateSnapshot(supportContext, sd,
                        sd.getUrl(), WEB_URL, sd.getName());
                if (withSnapshot == null || !withSnapshot.hasSnapshot()) {
                    throw new IllegalStateException("no snapshot generated for " + sd.getUrl());
                }
                resource = withSnapshot;
            }
            String expectedFile = resource.fhirType() + "-" + resource.getIdElement().getIdPart() + ".json";
            if (!expectedFile.equals(Conformance.FILES.get(i))) {
                throw new IllegalStateException(expectedFile + " is not " + Conformance.FILES.get(i));
            }
            ours.addResource(resource);
            files.put(expectedFile, json.encodeResourceToString(resource) + "\n");
        }
        return files;
    }

    static void write(Map<String, String> files, Path folder) throws IOException {
        Files.createDirectories(folder);
        for (Map.Entry<String, String> file : files.entrySet()) {
            Files.writeString(folder.resolve(file.getKey()), file.getValue(), StandardCharsets.UTF_8);
        }
    }

    public static void main(String[] args) throws IOException {
        write(generate(FhirContext.forR4()), args.length > 0 ? Path.of(args[0]) : OUTPUT);
    }
}
