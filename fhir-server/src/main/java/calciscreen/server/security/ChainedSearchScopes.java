package calciscreen.server.security;

import calciscreen.server.security.SmartScopes.Interaction;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import calciscreen.server.SearchesOfARequest;
import java.util.Map;
import java.util.Set;

/**
 * A chained search ({@code Flag?patient.identifier=...}, {@code Flag?subject:Patient.name=...}), a reverse chain
 * ({@code _has:Observation:patient:code=...}) query every type they pass through, and their answer (even a bare {@code _summary=count}) tells what those types hold. HAPI's
 * {@code AuthorizationInterceptor} checks only the types a search returns, so each type passed through needs read
 * here, else 403: a chain over a reference names its type ({@code subject:Patient}) or passes through every type
 * the reference may point to. Searches inside a batch or transaction are checked the same way.
 */
@Interceptor
public final class ChainedSearchScopes {

    private final ISearchParamRegistry searchParams;
    private final FhirContext fhir;

    public ChainedSearchScopes(ISearchParamRegistry searchParams, FhirContext fhir) {
        this.searchParams = searchParams;
        this.fhir = fhir;
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void everyTypePassedThroughNeedsRead(RequestDetails request, RestOperationTypeEnum operation) {
        SearchesOfARequest.forEach(request, operation, this::check);
    }

    private void check(String type, Map<String, String[]> parameters) {
        SmartScopes scopes = ScopeAuthorizationInterceptor.callerScopes();
        if (scopes.grants(SmartScopes.ANY_TYPE, Interaction.READ)) {
            return;
        }
        for (String parameter : parameters.keySet()) {
            passThrough(type, parameter, scopes);
        }
    }

    /** Requires read on every type {@code parameter}, a search parameter of {@code type}, passes through. */
    private void passThrough(String type, String parameter, SmartScopes scopes) {
        if (parameter.startsWith("_has:")) {
            String[] parts = parameter.split(":", 4); // _has:Observation:patient:code
            if (parts.length == 4) {
                require(parts[1], parameter, scopes);
                passThrough(parts[1], parts[3], scopes);
            }
            return;
        }
        int dot = parameter.indexOf('.');
        if (dot < 0 || type == null) {
            return;
        }
        String head = parameter.substring(0, dot);
        String rest = parameter.substring(dot + 1);
        int colon = head.indexOf(':');
        String name = colon < 0 ? head : head.substring(0, colon);
        Set<String> targets;
        if (colon >= 0) {
            targets = Set.of(head.substring(colon + 1));
        } else {
            RuntimeSearchParam searchParam = searchParams.getActiveSearchParam(type, name,
                    ISearchParamRegistry.SearchParamLookupContextEnum.SEARCH);
            if (searchParam == null) {
                return; // not a search parameter of the type: HAPI refuses it
            }
            targets = searchParam.hasTargets() ? searchParam.getTargets() : targetsInTheModel(type, name);
        }
        for (String target : targets) {
            require(target, parameter, scopes);
            if (!SmartScopes.ANY_TYPE.equals(target)) {
                passThrough(target, rest, scopes);
            }
        }
    }

    /** The reference's target types as the R4 model declares them; none declared: any type. */
    private Set<String> targetsInTheModel(String type, String name) {
        RuntimeSearchParam declared = fhir.getResourceDefinition(type).getSearchParam(name);
        return declared != null && declared.hasTargets() ? declared.getTargets() : Set.of(SmartScopes.ANY_TYPE);
    }

    private static void require(String type, String parameter, SmartScopes scopes) {
        if (!scopes.grants(type, Interaction.READ)) {
            throw new ForbiddenOperationException("the search parameter " + parameter + " passes through "
                    + ("*".equals(type) ? "any resource type" : type) + ", which this token may not read");
        }
    }
}
