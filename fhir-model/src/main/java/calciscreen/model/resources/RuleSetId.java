package calciscreen.model.resources;

import java.util.Optional;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;

/**
 * A rule set's identity, {@code <url>|<version>} (docs/architecture.md: {@code http://calciscreen.example/fhir/rules/calciphylaxis|1.0.0}).
 *
 * <p>As a Coding (RiskAssessment.method) it is split at the last {@code /} of the url: {@code system} is the family
 * of rule sets ({@code http://calciscreen.example/fhir/rules}), {@code code} the rule set's name
 * ({@code calciphylaxis}) and {@code version} its version ({@code 1.0.0}), so that {@code system + "/" + code + "|" +
 * version} gives the canonical back. This keeps the code free of {@code |}, which a token search
 * ({@code RiskAssessment?method=system|code}) would otherwise have to escape; every version of a rule set shares one
 * system and code, and {@code Coding.version} (the version of the "code system" of rule sets) tells them apart.
 */
public record RuleSetId(String url, String version) {

    public RuleSetId {
        url = Fhir.require(url, "a rule set url");
        version = Fhir.require(version, "a rule set version");
        int slash = url.lastIndexOf('/');
        if (slash <= 0 || slash == url.length() - 1 || url.contains("|")) {
            throw new IllegalArgumentException("not a rule set url: " + url);
        }
    }

    /** {@code http://calciscreen.example/fhir/rules/calciphylaxis|1.0.0} -> url and version. */
    public static RuleSetId parse(String canonical) {
        String c = Fhir.require(canonical, "a rule set canonical");
        int bar = c.indexOf('|');
        if (bar < 0) {
            throw new IllegalArgumentException("a rule set canonical names its version (<url>|<version>): " + c);
        }
        return new RuleSetId(c.substring(0, bar), c.substring(bar + 1));
    }

    /** {@code <url>|<version>}. */
    public String canonical() {
        return url + "|" + version;
    }

    /** The family of rule sets, the Coding's system: the url up to its last {@code /}. */
    public String system() {
        return url.substring(0, url.lastIndexOf('/'));
    }

    /** The rule set's name, the Coding's code: the url after its last {@code /}. */
    public String name() {
        return url.substring(url.lastIndexOf('/') + 1);
    }

    /** system = {@link #system()}, code = {@link #name()}, version = {@link #version()}, display "Rule set <name> <version>". */
    public Coding toCoding() {
        return new Coding(system(), name(), "Rule set " + name() + " " + version).setVersion(version);
    }

    /** RiskAssessment.method: {@link #toCoding()} with the canonical as text. */
    public CodeableConcept toMethod() {
        return new CodeableConcept().addCoding(toCoding()).setText(canonical());
    }

    /** The rule set a Coding written by {@link #toCoding()} names; empty when it lacks system, code or version. */
    public static Optional<RuleSetId> of(Coding coding) {
        if (coding == null || !coding.hasSystem() || !coding.hasCode() || !coding.hasVersion()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new RuleSetId(coding.getSystem() + "/" + coding.getCode(), coding.getVersion()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return canonical();
    }
}
