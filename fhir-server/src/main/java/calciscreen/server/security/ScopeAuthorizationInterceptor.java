package calciscreen.server.security;

import calciscreen.server.security.SmartScopes.Interaction;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationInterceptor;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRule;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleBuilder;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleBuilderAppliesTo;
import ca.uhn.fhir.rest.server.interceptor.auth.PolicyEnum;
import ca.uhn.fhir.rest.server.interceptor.auth.RuleBuilder;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationFlagsEnum;
import ca.uhn.fhir.rest.server.interceptor.auth.IRuleApplier;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Enforces the token's SMART scopes per resource type and interaction with HAPI's {@link AuthorizationInterceptor}, so
 * that transactions are checked entry by entry and a search that returns (or {@code _include}s) a type the client may
 * not read is refused. What HAPI's rule set cannot tell apart is granted together: {@code r} and {@code s} (HAPI's
 * read covers read, search and history), and an update may create a resource at a new id. Anything no scope grants
 * is refused with 403.
 */
public class ScopeAuthorizationInterceptor extends AuthorizationInterceptor {

    private final Map<Set<String>, List<IAuthRule>> rulesByScopes = new ConcurrentHashMap<>();

    public ScopeAuthorizationInterceptor() {
        super(PolicyEnum.DENY);
    }

    @Override
    public List<IAuthRule> buildRuleList(RequestDetails request) {
        return rulesByScopes.computeIfAbsent(scopesOfCaller(), ScopeAuthorizationInterceptor::rulesFor);
    }

    /** What the caller's token grants (nothing for an anonymous caller). */
    static SmartScopes callerScopes() {
        return SmartScopes.parse(scopesOfCaller());
    }

    private static Set<String> scopesOfCaller() {
        Authentication caller = SecurityContextHolder.getContext().getAuthentication();
        Set<String> scopes = new TreeSet<>();
        if (caller != null && caller.isAuthenticated()) {
            for (GrantedAuthority authority : caller.getAuthorities()) {
                if (authority.getAuthority().startsWith("SCOPE_")) {
                    scopes.add(authority.getAuthority().substring("SCOPE_".length()));
                }
            }
        }
        return scopes;
    }

    static List<IAuthRule> rulesFor(Set<String> scopeStrings) {
        SmartScopes scopes = SmartScopes.parse(scopeStrings);
        IAuthRuleBuilder rules = new RuleBuilder();
        rules.allow("metadata").metadata();
        rules.allow("transactions and batches, entry by entry").transaction().withAnyOperation().andApplyNormalRules();
        if (scopes.grantsEverything()) {
            rules.allow("system/*.cruds: operations").operation().withAnyName().atAnyLevel().andAllowAllResponses();
            rules.allow("system/*.cruds: patch").patch().allRequests();
        }
        scopes.byType().forEach((type, granted) -> {
            String scope = "system/" + type + "." + letters(granted);
            if (granted.contains(Interaction.READ) || granted.contains(Interaction.SEARCH)) {
                on(type, rules.allow(scope).read(), IAuthRuleBuilderAppliesTo::allResources).withAnyId();
            }
            if (granted.contains(Interaction.CREATE)) {
                on(type, rules.allow(scope).create(), IAuthRuleBuilderAppliesTo::allResources).withAnyId();
                on(type, rules.allow(scope).createConditional(), IAuthRuleBuilderAppliesTo::allResources);
            }
            if (granted.contains(Interaction.UPDATE)) {
                if (!granted.contains(Interaction.CREATE)) {
                    on(type, rules.deny(scope + " (no c)").create(), IAuthRuleBuilderAppliesTo::allResources).withAnyId();
                }
                on(type, rules.allow(scope).write(), IAuthRuleBuilderAppliesTo::allResources).withAnyId();
                on(type, rules.allow(scope).updateConditional(), IAuthRuleBuilderAppliesTo::allResources);
            }
            if (granted.contains(Interaction.DELETE)) {
                on(type, rules.allow(scope).delete(), IAuthRuleBuilderAppliesTo::allResources).withAnyId();
                on(type, rules.allow(scope).deleteConditional(), IAuthRuleBuilderAppliesTo::allResources);
            }
        });
        rules.denyAll(scopes.isEmpty() ? "the token carries no system/ or user/ scope" : "no scope of the token grants this");
        List<IAuthRule> all = new java.util.ArrayList<>();
        all.add(new ContainerBundles());
        all.addAll(rules.build());
        return all;
    }

    /**
     * A batch answers with a Bundle of search-result Bundles; HAPI checks every resource in a response, nested ones
     * included, so the containers themselves would be refused. They are let through as output; what they hold is
     * still checked resource by resource. A stored Bundle (a document, a collection) is not a container here.
     */
    static final class ContainerBundles implements IAuthRule {

        private static final Set<String> CONTAINERS = Set.of("searchset", "history", "batch-response",
                "transaction-response");

        @Override
        public Verdict applyRule(RestOperationTypeEnum operation, RequestDetails request, IBaseResource input,
                                 IIdType inputId, IBaseResource output, IRuleApplier applier,
                                 Set<AuthorizationFlagsEnum> flags, Pointcut pointcut) {
            if (output instanceof org.hl7.fhir.r4.model.Bundle bundle && bundle.getType() != null
                    && CONTAINERS.contains(bundle.getType().toCode())) {
                return new Verdict(PolicyEnum.ALLOW, this);
            }
            return null;
        }

        @Override
        public String getName() {
            return "search and batch result containers";
        }
    }

    private static <T> T on(String type, IAuthRuleBuilderAppliesTo<T> rule, Function<IAuthRuleBuilderAppliesTo<T>, T> any) {
        return SmartScopes.ANY_TYPE.equals(type) ? any.apply(rule) : rule.resourcesOfType(type);
    }

    private static String letters(Set<Interaction> granted) {
        StringBuilder letters = new StringBuilder();
        for (Interaction interaction : granted) {
            letters.append("cruds".charAt(interaction.ordinal()));
        }
        return letters.toString();
    }
}
