package calciscreen.screening.cds;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.nio.file.Files;
import java.security.Key;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * "Trusting CDS Clients" (CDS Hooks 2.0): each call carries {@code Authorization: Bearer <JWT>} signed by the CDS
 * client (RS384 or ES384) with {@code iss} (a configured client), {@code aud} (this service's endpoint URL),
 * {@code exp} (soon), {@code jti} (never seen before). The signature is checked against that client's configured
 * JWK Set only; a {@code jku} header is not followed.
 */
public class CdsClientTrust {

    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS384, JWSAlgorithm.ES384);
    private static final Duration SKEW = Duration.ofSeconds(60);

    private final Map<String, JWKSource<SecurityContext>> clients;
    private final Duration maxLifetime;
    private final Clock clock;
    private final Map<String, Instant> seenJti = new ConcurrentHashMap<>();

    public CdsClientTrust(Map<String, JWKSource<SecurityContext>> clients, Duration maxLifetime, Clock clock) {
        this.clients = Map.copyOf(clients);
        this.maxLifetime = maxLifetime;
        this.clock = clock;
    }

    /** The trusted clients from configuration (and the development client when given). */
    public static CdsClientTrust from(CdsProperties properties, DevCdsClient devClient, Clock clock) {
        Map<String, JWKSource<SecurityContext>> clients = new LinkedHashMap<>();
        if (devClient != null) {
            clients.put(devClient.issuer(), new ImmutableJWKSet<>(new JWKSet(devClient.publicKey())));
        }
        for (CdsProperties.TrustedClient c : properties.trustedClients()) {
            if (c.issuer() == null || c.issuer().isBlank()) {
                throw new IllegalStateException("calciscreen.cds.trusted-clients: every client needs an issuer");
            }
            int given = (c.jwksUrl() == null ? 0 : 1) + (c.jwks() == null ? 0 : 1) + (c.jwksFile() == null ? 0 : 1);
            if (given != 1) {
                throw new IllegalStateException("calciscreen.cds.trusted-clients " + c.issuer()
                        + ": give exactly one of jwks-url, jwks, jwks-file");
            }
            try {
                JWKSource<SecurityContext> source;
                if (c.jwksUrl() != null) {
                    source = JWKSourceBuilder.create(URI.create(c.jwksUrl()).toURL()).build();
                } else if (c.jwks() != null) {
                    source = new ImmutableJWKSet<>(JWKSet.parse(c.jwks()));
                } else {
                    source = new ImmutableJWKSet<>(JWKSet.parse(Files.readString(c.jwksFile())));
                }
                clients.put(c.issuer(), source);
            } catch (Exception e) {
                throw new IllegalStateException("calciscreen.cds.trusted-clients " + c.issuer()
                        + ": cannot read its JWK Set: " + e.getMessage(), e);
            }
        }
        return new CdsClientTrust(clients, properties.maxTokenLifetime(), clock);
    }

    public Set<String> issuers() {
        return clients.keySet();
    }

    /** Checks the call's Authorization header; answers the client's issuer or throws a 401 with the reason. */
    public String verify(String authorization, String audience) {
        if (authorization == null || authorization.isBlank()) {
            throw CdsException.unauthorized("missing Authorization header: a CDS client signs each call with a JWT "
                    + "(Authorization: Bearer <JWT>; ./calciscreen token --cds prints one for the development client)");
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw CdsException.unauthorized("the Authorization header must be `Bearer <JWT>`");
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(authorization.substring(7).trim());
            claims = jwt.getJWTClaimsSet();
        } catch (java.text.ParseException e) {
            throw CdsException.unauthorized("the bearer token is not a signed JWT");
        }
        JWSHeader header = jwt.getHeader();
        if (!ALGORITHMS.contains(header.getAlgorithm())) {
            throw CdsException.unauthorized("the JWT is signed with " + header.getAlgorithm()
                    + "; CDS clients sign with RS384 or ES384");
        }
        String issuer = claims.getIssuer();
        JWKSource<SecurityContext> source = issuer == null ? null : clients.get(issuer);
        if (source == null) {
            throw CdsException.unauthorized("the JWT's issuer " + (issuer == null ? "(none)" : "`" + issuer + "`")
                    + " is not a trusted CDS client");
        }
        boolean verified = false;
        try {
            List<JWK> keys = source.get(new JWKSelector(JWKMatcher.forJWSHeader(header)), null);
            DefaultJWSVerifierFactory verifiers = new DefaultJWSVerifierFactory();
            for (JWK jwk : keys) {
                Key key = jwk instanceof com.nimbusds.jose.jwk.AsymmetricJWK a ? a.toPublicKey() : null;
                if (key != null && jwt.verify(verifiers.createJWSVerifier(header, key))) {
                    verified = true;
                    break;
                }
            }
        } catch (Exception e) {
            throw CdsException.unauthorized("the JWT signature cannot be checked against the JWK Set of `" + issuer
                    + "`: " + e.getMessage());
        }
        if (!verified) {
            throw CdsException.unauthorized("the JWT signature does not match any key of the trusted client `"
                    + issuer + "`");
        }
        if (claims.getAudience() == null || !claims.getAudience().contains(audience)) {
            throw CdsException.unauthorized("the JWT's audience must be this service's endpoint " + audience);
        }
        Instant now = clock.instant();
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            throw CdsException.unauthorized("the JWT has no expiry (exp)");
        }
        if (exp.toInstant().plus(SKEW).isBefore(now)) {
            throw CdsException.unauthorized("the JWT expired at " + exp.toInstant());
        }
        if (exp.toInstant().isAfter(now.plus(maxLifetime).plus(SKEW))) {
            throw CdsException.unauthorized("the JWT expires too late: at most " + maxLifetime.toMinutes()
                    + " minutes from now");
        }
        Date issued = claims.getIssueTime();
        if (issued == null) {
            throw CdsException.unauthorized("the JWT has no issue time (iat)");
        }
        if (issued.toInstant().isAfter(now.plus(SKEW))) {
            throw CdsException.unauthorized("the JWT was issued in the future (iat " + issued.toInstant() + ")");
        }
        if (issued.toInstant().isBefore(now.minus(maxLifetime).minus(SKEW))) {
            throw CdsException.unauthorized("the JWT was issued more than " + maxLifetime.toMinutes()
                    + " minutes ago (iat " + issued.toInstant() + ")");
        }
        Date notBefore = claims.getNotBeforeTime();
        if (notBefore != null && notBefore.toInstant().isAfter(now.plus(SKEW))) {
            throw CdsException.unauthorized("the JWT is not valid before " + notBefore.toInstant() + " (nbf)");
        }
        String jti = claims.getJWTID();
        if (jti == null || jti.isBlank()) {
            throw CdsException.unauthorized("the JWT has no jti");
        }
        seenJti.values().removeIf(until -> until.isBefore(now));
        if (seenJti.putIfAbsent(issuer + " " + jti, exp.toInstant().plus(SKEW)) != null) {
            throw CdsException.unauthorized("the JWT was used before (jti " + jti + "): sign a new one for each call");
        }
        return issuer;
    }
}
