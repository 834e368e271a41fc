package calciscreen.screening.cds;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/**
 * The development CDS client: an EC P-384 key generated once and kept under the screening state dir
 * ({@value #KEY_FILE}), whose public half the service trusts by default, and which signs the JWTs that
 * {@code ./calciscreen token --cds} prints. A real EHR signs with its own key; configure it under
 * {@code calciscreen.cds.trusted-clients}.
 */
public final class DevCdsClient {

    public static final String KEY_FILE = "cds-dev-client.jwk.json";

    private final String issuer;
    private final ECKey key;

    private DevCdsClient(String issuer, ECKey key) {
        this.issuer = issuer;
        this.key = key;
    }

    /** Loads the key from the state dir, generating it first if there is none. */
    public static DevCdsClient loadOrCreate(Path stateDir, String issuer) {
        Path file = stateDir.resolve(KEY_FILE);
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(stateDir);
                ECKey generated = new ECKeyGenerator(Curve.P_384).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES384)
                        .keyID(UUID.randomUUID().toString()).generate();
                Path tmp = Files.createTempFile(stateDir, "cds-dev-client", ".tmp");
                try {
                    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException ignored) {
                    // not a POSIX file system
                }
                Files.writeString(tmp, generated.toJSONString(), StandardCharsets.UTF_8);
                try {
                    // a concurrent first start keeps the key that landed first
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file);
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    Files.deleteIfExists(tmp);
                }
            }
            return new DevCdsClient(issuer, ECKey.parse(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the development CDS client key " + file, e);
        } catch (java.text.ParseException | JOSEException e) {
            throw new IllegalStateException("the development CDS client key " + file + " is not a usable EC JWK: "
                    + e.getMessage() + " (delete it to generate a new one)", e);
        }
    }

    public String issuer() {
        return issuer;
    }

    public ECKey publicKey() {
        return key.toPublicJWK();
    }

    /** A JWT as a CDS client sends it: iss = sub = the client, aud = the service endpoint, a fresh jti, 5 min. */
    public String sign(String audience, Duration lifetime) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer).subject(issuer).audience(audience)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(lifetime)))
                .jwtID(UUID.randomUUID().toString()).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES384).keyID(key.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(new ECDSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign with the development CDS client key", e);
        }
        return jwt.serialize();
    }
}
