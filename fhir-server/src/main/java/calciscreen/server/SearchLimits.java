package calciscreen.server;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.util.Map;

/**
 * Caps what one search may ask for: the values of one parameter ({@code _id=a,b,c} or repeated) and the parameters of
 * one search. HAPI has no such limit: a {@code POST _search} with 20,000 ids keeps a request thread and a database
 * connection busy for seconds. Beyond either cap the search is refused with 400 and an OperationOutcome naming it.
 * Searches inside a batch or transaction count the same way.
 */
@Interceptor
public final class SearchLimits {

    private final int maxValuesPerParameter;
    private final int maxParameters;

    public SearchLimits(int maxValuesPerParameter, int maxParameters) {
        this.maxValuesPerParameter = maxValuesPerParameter;
        this.maxParameters = maxParameters;
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void withinLimits(RequestDetails request, RestOperationTypeEnum operation) {
        SearchesOfARequest.forEach(request, operation, (type, parameters) -> check(parameters));
    }

    private void check(Map<String, String[]> parameters) {
        int count = 0;
        for (Map.Entry<String, String[]> parameter : parameters.entrySet()) {
            int values = 0;
            for (String value : parameter.getValue()) {
                values += orValues(value);
            }
            if (values > maxValuesPerParameter) {
                throw new InvalidRequestException("the search parameter " + parameter.getKey() + " has " + values
                        + " values; at most " + maxValuesPerParameter + " are allowed per parameter "
                        + "(calciscreen.server.search.max-values-per-parameter): search in several requests");
            }
            count += parameter.getValue().length;
        }
        if (count > maxParameters) {
            throw new InvalidRequestException("the search has " + count + " parameters; at most " + maxParameters
                    + " are allowed (calciscreen.server.search.max-parameters)");
        }
    }

    /** {@code a,b,c} is three values; a comma escaped as {@code \,} is part of a value. */
    static int orValues(String value) {
        int values = 1;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == ',') {
                values++;
            }
        }
        return values;
    }
}
