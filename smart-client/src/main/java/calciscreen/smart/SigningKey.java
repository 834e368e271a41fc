package calciscreen.smart;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;

/**
 * An RSA signing key (a SMART client's, or the embedded authorization server's), kept as a private JWK in a file:
 * read when it is there, generated and written with owner-only permissions the first time. Its public half is what
 * the other side trusts.
 */
public final class SigningKey {

    /** SMART Backend Services asks for RS384 (or ES384) signatures; the embedded server signs its tokens so too. */
    public static final JWSAlgorithm ALGORITHM = JWSAlgorithm.RS384;

    private final RSAKey key;

    private SigningKey(RSAKey key) {
        this.key = key;
    }

    /** The key in {@code file}; fails when the file is missing or is not a private RSA JWK. */
    public static SigningKey read(Path file) {
        try {
            RSAKey key = RSAKey.parse(Files.readString(file));
            if (!key.isPrivate()) {
                throw new IllegalArgumentException(file + " holds a public key; signing needs the private key");
            }
            return new SigningKey(key);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the signing key " + file, e);
        } catch (ParseException e) {
            throw new IllegalArgumentException(file + " is not an RSA JWK: " + e.getMessage(), e);
        }
    }

    /** The key in {@code file}, generated and written there first when the file does not exist yet. */
    public static SigningKey readOrGenerate(Path file) {
        if (Files.exists(file)) {
            return read(file);
        }
        try {
            RSAKey key = new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).algorithm(ALGORITHM)
                    .keyIDFromThumbprint(true).generate();
            OwnerOnlyFile.write(file, key.toJSONString());
            return new SigningKey(key);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate an RSA key", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the signing key " + file, e);
        }
    }

    public RSAKey privateKey() {
        return key;
    }

    /** The key id, in each assertion's header so the server picks the right public key. */
    public String keyId() {
        return key.getKeyID();
    }

    /** The public JWK Set to register with (or publish to) the authorization server. */
    public JWKSet publicJwkSet() {
        return new JWKSet(key.toPublicJWK());
    }
}
