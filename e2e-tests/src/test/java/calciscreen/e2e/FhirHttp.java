package calciscreen.e2e;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Raw FHIR requests, as an attacker or a careless client sends them: any method, body, token and headers, so that a
 * test sees exactly what the server answers (status, headers, body) without a FHIR client's interpretation.
 */
final class FhirHttp {

    static final String JSON = "application/fhir+json";

    private final Stack stack;

    FhirHttp(Stack stack) {
        this.stack = stack;
    }

    /** {@code headers} come in name, value pairs. A PATCH body is sent as JSON Patch. */
    HttpResponse<String> send(String method, String path, String body, String token, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stack.fhirBase() + path.replace("|", "%7C")))
                .header("Accept", JSON)
                .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (!body.isEmpty()) {
            request.header("Content-Type", "PATCH".equals(method) ? "application/json-patch+json" : JSON);
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return stack.send(request.build());
    }

    /** A {@code POST _search} with a form body, as a search too long for a URL is sent. */
    HttpResponse<String> postSearch(String type, String form, String token) {
        return stack.send(HttpRequest.newBuilder(URI.create(stack.fhirBase() + "/" + type + "/_search"))
                .header("Accept", JSON).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
    }

    HttpResponse<String> get(String path, String token) {
        return send("GET", path, "", token);
    }
}
