package calciscreen.server;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.jpa.model.entity.BaseResourceIndexedSearchParam;
import ca.uhn.fhir.jpa.model.entity.ResourceIndexedSearchParamString;
import ca.uhn.fhir.jpa.model.entity.ResourceIndexedSearchParamToken;
import ca.uhn.fhir.jpa.searchparam.MatchUrlService;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.jpa.searchparam.extractor.ISearchParamExtractor;
import ca.uhn.fhir.jpa.searchparam.extractor.ResourceIndexedSearchParams;
import ca.uhn.fhir.jpa.searchparam.matcher.InMemoryMatchResult;
import ca.uhn.fhir.jpa.searchparam.matcher.InMemoryResourceMatcher;
import ca.uhn.fhir.jpa.searchparam.matcher.SearchParamMatcher;
import ca.uhn.fhir.rest.api.RestSearchParameterTypeEnum;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import ca.uhn.fhir.jpa.subscription.match.matcher.subscriber.SubscriptionCriteriaParser;
import ca.uhn.fhir.jpa.subscription.match.registry.ActiveSubscription;
import ca.uhn.fhir.jpa.subscription.match.registry.SubscriptionRegistry;
import ca.uhn.fhir.jpa.subscription.submit.interceptor.SynchronousSubscriptionMatcherInterceptor;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.messaging.BaseResourceMessage.OperationTypeEnum;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * HAPI's after-commit subscription matcher, passing over the writes that no active Subscription can match.
 *
 * <p>HAPI makes a message of every write (the resource encoded once more, as its payload), hands it to the matching
 * channel, parses it back there and only then compares it with each Subscription's criteria. A server whose
 * Subscriptions watch a few lab codes would pay that for every Encounter, DocumentReference and heart rate, which on a
 * dialysis population are most writes (docs/benchmarks/ has the counts). Here each write is first matched in memory, with the
 * matcher HAPI's in-memory subscription matching uses ({@link SearchParamMatcher}) and the criteria of each active
 * Subscription (parsed once, not at every write); a write that none matches is not submitted, which is what HAPI
 * would have concluded after the channel. A criteria of token and date parameters only (codes, statuses, a date
 * window: all of the screening's) is matched from just those two kinds of index, extracted for just the parameters it
 * names; HAPI's matcher would first extract the write's whole index, its references too. Always submitted, as before: Subscriptions themselves (HAPI activates them
 * through the same channel), deletes, and writes that a criteria cannot be matched against in memory (HAPI then asks
 * the database).
 */
public class WatchedWritesMatcherInterceptor extends SynchronousSubscriptionMatcherInterceptor {

    @Autowired
    private FhirContext fhirContext;

    @Autowired
    private SubscriptionRegistry subscriptions;

    @Autowired
    private SearchParamMatcher matcher;

    @Autowired
    private MatchUrlService matchUrls;

    @Autowired
    private ISearchParamExtractor extractor;

    @Autowired
    private InMemoryResourceMatcher inMemoryMatcher;

    @Autowired
    private ISearchParamRegistry searchParams;

    /** A criteria as search parameters; {@code tokenAndDateParams} names them when they are all tokens and dates. */
    private record Criteria(SearchParameterMap parameters, Optional<Set<String>> tokenAndDateParams) {}

    private static final int MAX_PARSED_CRITERIA = 256;

    private final Map<String, Optional<Criteria>> parsedCriteria = new ConcurrentHashMap<>();

    @Override
    protected void processResourceModifiedEvent(IBaseResource resource, OperationTypeEnum operation,
                                                RequestDetails request) {
        if (operation == OperationTypeEnum.DELETE || anySubscriptionMayMatch(resource)) {
            super.processResourceModifiedEvent(resource, operation, request);
        }
    }

    private boolean anySubscriptionMayMatch(IBaseResource resource) {
        String type = fhirContext.getResourceType(resource);
        if ("Subscription".equals(type)) {
            return true;
        }
        for (ActiveSubscription subscription : subscriptions.getAll()) {
            SubscriptionCriteriaParser.SubscriptionCriteria criteria = subscription.getCriteria();
            if (criteria == null || criteria.getType() != SubscriptionCriteriaParser.TypeEnum.SEARCH_EXPRESSION) {
                return true; // topic-based, multi-type or "*" criteria: left to HAPI
            }
            if (!criteria.getApplicableResourceTypes().contains(type)) {
                continue;
            }
            try {
                Optional<Criteria> parsed = parsed(subscription.getSubscription().getCriteriaString(), resource);
                if (parsed.isEmpty() || matchesEveryResource(parsed.get().parameters())) {
                    return true;
                }
                InMemoryMatchResult match = match(parsed.get(), resource);
                if (!match.supported() || match.matched()) {
                    return true;
                }
            } catch (RuntimeException e) {
                return true; // HAPI's own matching will say what is wrong; a write is never lost to this filter
            }
        }
        return false;
    }

    /**
     * A criteria with no parameter at all ({@code Condition?}) matches every resource of its type: no need to extract
     * anything from the resource (in a profile of a Synthea ingest, extraction was most of this filter's time).
     */
    private static boolean matchesEveryResource(SearchParameterMap parameters) {
        return parameters.isEmpty() && parameters.getLastUpdated() == null;
    }

    private InMemoryMatchResult match(Criteria criteria, IBaseResource resource) {
        if (criteria.tokenAndDateParams().isEmpty()) {
            return matcher.match(criteria.parameters(), resource);
        }
        Set<String> named = criteria.tokenAndDateParams().get();
        ISearchParamExtractor.ISearchParamFilter only =
                all -> all.stream().filter(param -> named.contains(param.getName())).toList();
        ResourceIndexedSearchParams indexed = ResourceIndexedSearchParams.withSets();
        for (BaseResourceIndexedSearchParam token : extractor.extractSearchParamTokens(resource, only)) {
            if (token instanceof ResourceIndexedSearchParamToken value) {
                indexed.myTokenParams.add(value);
            } else if (token instanceof ResourceIndexedSearchParamString text) { // a token HAPI also indexes as text
                indexed.myStringParams.add(text);
            }
        }
        indexed.myDateParams.addAll(extractor.extractSearchParamDates(resource, only));
        return inMemoryMatcher.match(criteria.parameters(), resource, fhirContext.getResourceDefinition(resource),
                indexed);
    }

    /**
     * The criteria's parameters when each is a token or a date parameter of the type, with no modifier HAPI would
     * need anything else for ({@code _id}, {@code _tag} and the like, {@code _lastUpdated}, chains, {@code _has});
     * empty otherwise.
     */
    private Optional<Set<String>> tokenAndDateParams(SearchParameterMap parameters, String type) {
        if (parameters.getLastUpdated() != null || !parameters.getIncludes().isEmpty()
                || !parameters.getRevIncludes().isEmpty()) {
            return Optional.empty();
        }
        for (String name : parameters.keySet()) {
            RuntimeSearchParam param = name.startsWith("_") ? null : searchParams.getActiveSearchParam(type, name,
                    ISearchParamRegistry.SearchParamLookupContextEnum.SEARCH);
            if (param == null || (param.getParamType() != RestSearchParameterTypeEnum.TOKEN
                    && param.getParamType() != RestSearchParameterTypeEnum.DATE)) {
                return Optional.empty();
            }
        }
        return Optional.of(Set.copyOf(parameters.keySet()));
    }

    /**
     * The criteria as search parameters, parsed once per criteria (as HAPI's in-memory matcher parses them for
     * every write); matching with them extracts only the parameters they name, not all of the resource's.
     */
    private Optional<Criteria> parsed(String criteria, IBaseResource resource) {
        if (parsedCriteria.size() > MAX_PARSED_CRITERIA) {
            parsedCriteria.clear(); // criteria that move (a date window rewritten every day) would pile up
        }
        return parsedCriteria.computeIfAbsent(criteria, c -> {
            try {
                SearchParameterMap parameters =
                        matchUrls.translateMatchUrl(c, fhirContext.getResourceDefinition(resource));
                parameters.clean();
                return Optional.of(new Criteria(parameters,
                        tokenAndDateParams(parameters, fhirContext.getResourceType(resource))));
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        });
    }
}
