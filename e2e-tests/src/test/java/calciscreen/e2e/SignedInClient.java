package calciscreen.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A browser as far as HTTP goes: keeps cookies, follows redirects across hosts (to the issuer and back), and sends
 * the CSRF header the worklist page sends. Each instance is one person's browser.
 */
final class SignedInClient {

    final String base;
    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final HttpClient http;

    SignedInClient(String base) {
        this(base, HttpClient.Redirect.NORMAL);
    }

    SignedInClient(String base, HttpClient.Redirect redirects) {
        this.base = base;
        this.http = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(redirects)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** Opens the worklist as a browser does: to the issuer, signed in there, and back. Answers the last response. */
    HttpResponse<String> signIn() {
        return page("/worklist");
    }

    /**
     * Opens the worklist and signs in at the embedded issuer's form (Spring Security's, with its own CSRF field), as a
     * person types it. Answers the last response (the worklist page when the password was right).
     */
    HttpResponse<String> signInWithForm(String username, String password) {
        return signInWithForm("/worklist", username, password);
    }

    /** The same from {@code path} (an EHR launch, say): whatever sends the browser to the form. */
    HttpResponse<String> signInWithForm(String path, String username, String password) {
        HttpResponse<String> form = page(path);
        java.util.regex.Matcher csrf = java.util.regex.Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"")
                .matcher(form.body());
        if (!form.uri().getPath().equals("/login") || !csrf.find()) {
            return form;
        }
        return send(HttpRequest.newBuilder(form.uri()).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "text/html")
                .POST(HttpRequest.BodyPublishers.ofString("username=" + enc(username) + "&password=" + enc(password)
                        + "&_csrf=" + enc(csrf.group(1)))));
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    HttpResponse<String> page(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Accept", "text/html,*/*").GET());
    }

    HttpResponse<String> json(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Accept", "application/json").GET());
    }

    /** A POST of JSON as the page makes it: with the X-XSRF-TOKEN header from the cookie, or {@code csrf} instead. */
    HttpResponse<String> post(String path, String body, Optional<String> csrf) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        csrf.ifPresent(token -> request.header("X-XSRF-TOKEN", token));
        return send(request);
    }

    HttpResponse<String> postWithCsrf(String path, String body) {
        return post(path, body, cookie("XSRF-TOKEN"));
    }

    /** The sign-out form: a POST with the CSRF token as its _csrf field. */
    HttpResponse<String> signOut() {
        return send(HttpRequest.newBuilder(URI.create(base + "/signin/sign-out"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("_csrf=" + cookie("XSRF-TOKEN").orElse(""))));
    }

    Optional<String> cookie(String name) {
        return cookies.getCookieStore().get(URI.create(base)).stream().filter(c -> c.getName().equals(name))
                .map(HttpCookie::getValue).findFirst();
    }

    /** Every Set-Cookie header along the redirects that led to {@code response}. */
    static List<String> setCookies(HttpResponse<?> response) {
        List<String> all = new ArrayList<>();
        for (Optional<? extends HttpResponse<?>> r = Optional.of(response); r.isPresent(); r = r.get().previousResponse()) {
            all.addAll(r.get().headers().allValues("Set-Cookie"));
        }
        return all;
    }

    /** The URLs a response's redirects went through, first first. */
    static List<String> path(HttpResponse<?> response) {
        List<String> urls = new ArrayList<>();
        for (Optional<? extends HttpResponse<?>> r = Optional.of(response); r.isPresent(); r = r.get().previousResponse()) {
            urls.add(0, r.get().uri().toString());
        }
        return urls;
    }

    HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
