package calciscreen.screening.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What one rule found, criterion by criterion: the reason of each criterion met, the resources it rests on, and the
 * first value used. A rule fills it, then asks for its result once. Evidence lists are kept as given (a patient's
 * dialysis sessions are one list of the context) and joined once, into the result.
 */
final class Findings {

    private record Finding(Reason why, List<String> sources) {
    }

    private final List<Finding> found = new ArrayList<>(2);
    private Optional<Measurement> measurement = Optional.empty();

    /** A criterion met by the value {@code m}. */
    void add(Reason why, List<String> sources, Measurement m) {
        add(why, sources);
        if (measurement.isEmpty()) {
            measurement = Optional.of(m);
        }
    }

    /** A criterion met by {@code sources}, when there are any. */
    void add(Reason why, List<String> sources) {
        if (!sources.isEmpty()) {
            found.add(new Finding(why, sources));
        }
    }

    boolean any() {
        return !found.isEmpty();
    }

    /** Fired, each source once. */
    RuleResult fired(RuleId rule, int points) {
        return fired(rule, points, false);
    }

    /** Fired; {@code distinct}: the sources are known to be each once already. */
    RuleResult fired(RuleId rule, int points, boolean distinct) {
        List<String> sources = sources();
        return new RuleResult(rule, new Verdict.Fired(reason()), points, measurement,
                distinct ? sources : eachOnce(sources));
    }

    /** The reasons in the order found, each once (two medications of one kind say it once). */
    private Reason reason() {
        if (found.size() == 1) {
            return found.get(0).why();
        }
        List<Reason> reasons = new ArrayList<>(found.size());
        for (Finding f : found) {
            if (!reasons.contains(f.why())) {
                reasons.add(f.why());
            }
        }
        return reasons.size() == 1 ? reasons.get(0) : new Reason.All(reasons);
    }

    /** The evidence in the order found: the one list as given, or all of them in one new list. */
    private List<String> sources() {
        if (found.size() == 1) {
            return found.get(0).sources();
        }
        int size = 0;
        for (Finding f : found) {
            size += f.sources().size();
        }
        String[] all = new String[size];
        int i = 0;
        for (Finding f : found) {
            for (String source : f.sources()) {
                all[i++] = source;
            }
        }
        return List.of(all);
    }

    /** Each once, in the order first found; a short list without duplicates (the usual case) as it is. */
    static List<String> eachOnce(List<String> sources) {
        if (sources.size() > 8) {
            return PatientContext.eachOnce(sources.stream());
        }
        for (int i = 1; i < sources.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (sources.get(i).equals(sources.get(j))) {
                    return PatientContext.eachOnce(sources.stream());
                }
            }
        }
        return sources;
    }
}
