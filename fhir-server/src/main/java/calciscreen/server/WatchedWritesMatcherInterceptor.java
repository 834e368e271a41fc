package calciscreen.server;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.searchparam.MatchUrlService;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.jpa.searchparam.matcher.InMemoryMatchResult;
import ca.uhn.fhir.jpa.searchparam.matcher.SearchParamMatcher;
import ca.uhn.fhir.jpa.subscription.match.matcher.subscriber.SubscriptionCriteriaParser;
import ca.uhn.fhir.jpa.subscription.match.registry.ActiveSubscription;
import ca.uhn.fhir.jpa.subscription.match.registry.SubscriptionRegistry;
import ca.uhn.fhir.jpa.subscription.submit.interceptor.SynchronousSubscriptionMatcherInterceptor;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.messaging.BaseResourceMessage.OperationTypeEnum;
import java.util.Map;
import java.util.Optional;
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
 * would have concluded after the channel. Always submitted, as before: Subscriptions themselves (HAPI activates them
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

    private static final int MAX_PARSED_CRITERIA = 256;

    private final Map<String, Optional<SearchParameterMap>> parsedCriteria = new ConcurrentHashMap<>();

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
                Optional<SearchParameterMap> parameters =
                        parsed(subscription.getSubscription().getCriteriaString(), resource);
                if (parameters.isEmpty() || matchesEveryResource(parameters.get())) {
                    return true;
                }
                InMemoryMatchResult match = matcher.match(parameters.get(), resource);
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

    /**
     * The criteria as search parameters, parsed once per criteria (as HAPI's in-memory matcher parses them for
     * every write); matching with them extracts only the parameters they name, not all of the resource's.
     */
    private Optional<SearchParameterMap> parsed(String criteria, IBaseResource resource) {
        if (parsedCriteria.size() > MAX_PARSED_CRITERIA) {
            parsedCriteria.clear(); // criteria that move (a date window rewritten every day) would pile up
        }
        return parsedCriteria.computeIfAbsent(criteria, c -> {
            try {
                SearchParameterMap parameters =
                        matchUrls.translateMatchUrl(c, fhirContext.getResourceDefinition(resource));
                parameters.clean();
                return Optional.of(parameters);
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        });
    }
}
