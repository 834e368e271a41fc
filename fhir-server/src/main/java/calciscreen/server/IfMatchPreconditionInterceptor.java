package calciscreen.server;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * An update whose {@code If-Match} names a version that is no longer current is answered
 * 412 Precondition Failed, as the FHIR specification (http.html#concurrency) says; HAPI answers 409.
 * A version conflict without If-Match (two writers racing) stays 409.
 */
@Interceptor
public class IfMatchPreconditionInterceptor {

    @Hook(Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION)
    public BaseServerResponseException preconditionFailed(
            RequestDetails request, Throwable exception, HttpServletRequest servletRequest, HttpServletResponse response) {
        if (exception instanceof ResourceVersionConflictException conflict
                && request.getHeader(Constants.HEADER_IF_MATCH) != null) {
            PreconditionFailedException failed = new PreconditionFailedException(
                    "If-Match " + request.getHeader(Constants.HEADER_IF_MATCH)
                            + " is not the current version of " + request.getId() + ": " + conflict.getMessage());
            return failed;
        }
        return null;
    }
}
