package calciscreen.server.security;

import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a token's SMART scopes allow, per resource type: the v2 spelling ({@code system/Observation.cruds},
 * {@code system/*.rs}) and the v1 one ({@code system/Observation.read|write|*}). {@code system/} scopes (backend
 * services) and {@code user/} scopes (a signed-in person's token: what their role allows) count alike;
 * {@code patient/} scopes grant nothing here (no token is confined to one patient's compartment).
 */
public final class SmartScopes {

    /** The SMART v2 interactions, in the order the scope syntax lists them. */
    public enum Interaction { CREATE, READ, UPDATE, DELETE, SEARCH }

    public static final String ANY_TYPE = "*";
    private static final Pattern SCOPE = Pattern.compile("(?:system|user)/([A-Za-z]+|\\*)\\.(\\*|read|write|c?r?u?d?s?)");

    private final Map<String, Set<Interaction>> byType;

    private SmartScopes(Map<String, Set<Interaction>> byType) {
        this.byType = byType;
    }

    public static SmartScopes parse(Collection<String> scopes) {
        Map<String, Set<Interaction>> byType = new LinkedHashMap<>();
        for (String scope : scopes) {
            Matcher matcher = SCOPE.matcher(scope.trim());
            if (!matcher.matches() || matcher.group(2).isEmpty()) {
                continue;
            }
            byType.computeIfAbsent(matcher.group(1), type -> EnumSet.noneOf(Interaction.class))
                    .addAll(interactions(matcher.group(2)));
        }
        return new SmartScopes(byType);
    }

    private static Set<Interaction> interactions(String permissions) {
        switch (permissions) {
            case "*":
                return EnumSet.allOf(Interaction.class);
            case "read":
                return EnumSet.of(Interaction.READ, Interaction.SEARCH);
            case "write":
                return EnumSet.of(Interaction.CREATE, Interaction.UPDATE, Interaction.DELETE);
            default:
                Set<Interaction> granted = EnumSet.noneOf(Interaction.class);
                for (char letter : permissions.toCharArray()) {
                    granted.add(Interaction.values()["cruds".indexOf(letter)]);
                }
                return granted;
        }
    }

    /** The granted interactions per resource type ({@link #ANY_TYPE} for all types). */
    public Map<String, Set<Interaction>> byType() {
        return byType;
    }

    /** Whether every interaction on every type is granted ({@code system/*.cruds}): operators. */
    public boolean grantsEverything() {
        return byType.getOrDefault(ANY_TYPE, Set.of()).containsAll(EnumSet.allOf(Interaction.class));
    }

    /**
     * Whether {@code scope} asks for nothing beyond these scopes: {@code system/Observation.c} is within
     * {@code system/Observation.cruds}, {@code system/Flag.rs} within {@code system/*.rs}. A scope that is not a
     * {@code system/} or {@code user/} scope of this syntax is within only if listed verbatim (checked by the caller).
     */
    public boolean covers(String scope) {
        SmartScopes asked = parse(java.util.List.of(scope));
        if (asked.isEmpty()) {
            return false;
        }
        return asked.byType.entrySet().stream().allMatch(entry -> {
            Set<Interaction> granted = EnumSet.noneOf(Interaction.class);
            granted.addAll(byType.getOrDefault(entry.getKey(), Set.of()));
            granted.addAll(byType.getOrDefault(ANY_TYPE, Set.of()));
            return granted.containsAll(entry.getValue());
        });
    }

    /** Whether {@code interaction} on {@code type} is granted, by a scope naming the type or by {@code system/*}. */
    public boolean grants(String type, Interaction interaction) {
        return byType.getOrDefault(type, Set.of()).contains(interaction)
                || byType.getOrDefault(ANY_TYPE, Set.of()).contains(interaction);
    }

    /** Whether a scope naming {@code type} itself grants {@code interaction}: no wildcard counts. */
    public boolean grantsExplicitly(String type, Interaction interaction) {
        return byType.getOrDefault(type, Set.of()).contains(interaction);
    }

    public boolean isEmpty() {
        return byType.isEmpty();
    }
}
