package dev.dxreactor.cim.middleware;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import dev.dxreactor.cim.ConfigProblems;

import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How {@link AuthMiddleware} verifies tokens: the keys (each key admits exactly one algorithm family: an
 * HMAC secret HS256, an RSA key RS256, a P-256 key ES256, an Ed25519 key EdDSA), the expected issuer and
 * audience, and the clock skew tolerated on {@code exp} and {@code nbf}.
 *
 * <p>The audience is required: without it a token an identity provider issued to any other service it
 * serves would be accepted here. A service that really takes every audience says so with
 * {@link Builder#acceptTokensForAnyAudience()}.
 *
 * <pre>{@code
 * JwtConfig jwt = JwtConfig.builder()
 *         .rsaKey(publicKey)                       // or hmacKey(secret), ecKey(..), ed25519Key(..), jwkSet(json)
 *         .issuer("https://id.example.com").audience("orders-api")
 *         .clockSkew(Duration.ofSeconds(30))
 *         .build();
 * }</pre>
 */
public final class JwtConfig {

    private static final int MIN_RSA_BITS = 2048;

    private final JWKSet keys;
    private final Set<JWSAlgorithm> algorithms;
    private final String issuer;
    private final String audience;
    private final Duration clockSkew;

    private JwtConfig(JWKSet keys, Set<JWSAlgorithm> algorithms, String issuer, String audience,
                      Duration clockSkew) {
        this.keys = keys;
        this.algorithms = algorithms;
        this.issuer = issuer;
        this.audience = audience;
        this.clockSkew = clockSkew;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The public (or shared secret) keys tokens are verified with. */
    public JWKSet keys() {
        return keys;
    }

    /** The algorithms accepted: exactly those the keys admit. */
    public Set<JWSAlgorithm> algorithms() {
        return algorithms;
    }

    /** The required {@code iss}; {@code null} when any issuer is accepted. */
    public String issuer() {
        return issuer;
    }

    /**
     * The required {@code aud} entry; {@code null} only when built with
     * {@link Builder#acceptTokensForAnyAudience()}.
     */
    public String audience() {
        return audience;
    }

    public Duration clockSkew() {
        return clockSkew;
    }

    /** Collects keys and claims rules; {@link #build()} reports every problem at once. */
    public static final class Builder {

        private final List<JWK> keys = new ArrayList<>();
        private final List<String> problems = new ArrayList<>();
        private String issuer;
        private String audience;
        private boolean anyAudience;
        private Duration clockSkew = Duration.ofSeconds(60);

        private Builder() {
        }

        /** An HS256 secret: at least 32 bytes (RFC 7518, section 3.2). */
        public Builder hmacKey(byte[] secret) {
            if (secret == null || secret.length < 32) {
                problems.add("the HMAC secret has " + (secret == null ? 0 : secret.length)
                        + " bytes; HS256 needs at least 32");
            } else {
                keys.add(new OctetSequenceKey.Builder(secret).algorithm(JWSAlgorithm.HS256).build());
            }
            return this;
        }

        /** An RS256 public key of at least 2048 bits. */
        public Builder rsaKey(RSAPublicKey key) {
            Objects.requireNonNull(key, "key");
            if (key.getModulus().bitLength() < MIN_RSA_BITS) {
                problems.add("the RSA key has " + key.getModulus().bitLength() + " bits; RS256 needs at least "
                        + MIN_RSA_BITS);
            } else {
                keys.add(new RSAKey.Builder(key).algorithm(JWSAlgorithm.RS256).build());
            }
            return this;
        }

        /** An ES256 public key on P-256. */
        public Builder ecKey(ECPublicKey key) {
            Objects.requireNonNull(key, "key");
            Curve curve = Curve.forECParameterSpec(key.getParams());
            if (!Curve.P_256.equals(curve)) {
                problems.add("the EC key is on " + (curve == null ? "an unknown curve" : curve.getName())
                        + "; ES256 needs P-256");
            } else {
                keys.add(new ECKey.Builder(Curve.P_256, key).algorithm(JWSAlgorithm.ES256).build());
            }
            return this;
        }

        /** An EdDSA (Ed25519) public key. */
        public Builder ed25519Key(OctetKeyPair key) {
            Objects.requireNonNull(key, "key");
            if (!Curve.Ed25519.equals(key.getCurve())) {
                problems.add("the OKP key is on " + key.getCurve() + "; EdDSA here needs Ed25519");
            } else {
                keys.add(key.toPublicJWK());
            }
            return this;
        }

        /**
         * Every key of a JWK set document (JSON); private parts are dropped. Each key is held to the same rules
         * as the single-key methods (an RSA key of at least 2048 bits, as {@link #rsaKey}); a key that breaks
         * them is reported by its key id.
         */
        public Builder jwkSet(String json) {
            try {
                for (JWK key : JWKSet.parse(json).getKeys()) {
                    addFromSet(key);
                }
            } catch (ParseException e) {
                problems.add("the JWK set is not valid JSON/JWK: " + e.getMessage());
            }
            return this;
        }

        private void addFromSet(JWK key) {
            JWK publicKey = key instanceof OctetSequenceKey ? key : key.toPublicJWK();
            if (familyOf(publicKey) == null) {
                problems.add("JWK " + describe(key) + " has no supported algorithm (HS256, RS256, ES256 on P-256, EdDSA on Ed25519)");
            } else if (publicKey instanceof RSAKey rsa && rsa.size() < MIN_RSA_BITS) {
                problems.add("JWK " + describe(key) + " is an RSA key of " + rsa.size() + " bits; RS256 needs at least "
                        + MIN_RSA_BITS);
            } else {
                keys.add(publicKey);
            }
        }

        public Builder issuer(String issuer) {
            this.issuer = issuer;
            return this;
        }

        /** The {@code aud} entry a token must carry: the name the identity provider knows this service by. */
        public Builder audience(String audience) {
            this.audience = audience;
            return this;
        }

        /**
         * Accepts tokens whatever their {@code aud}, instead of requiring an {@link #audience}. Then a token the
         * identity provider issued to <em>any</em> of its services (or one of them replays) is good here too;
         * call this only when this issuer's tokens are meant for this service alone.
         */
        public Builder acceptTokensForAnyAudience() {
            this.anyAudience = true;
            return this;
        }

        /** Tolerance on {@code exp} and {@code nbf}; at most 5 minutes. Default 60 s. */
        public Builder clockSkew(Duration clockSkew) {
            this.clockSkew = Objects.requireNonNull(clockSkew, "clockSkew");
            return this;
        }

        /**
         * @throws IllegalArgumentException listing every problem: missing keys, weak keys, bad skew, no
         *                                  audience (and no waiver)
         */
        public JwtConfig build() {
            ConfigProblems check = new ConfigProblems("JwtConfig");
            problems.forEach(p -> check.check(false, p));
            check.check(!keys.isEmpty() || !problems.isEmpty(), "no verification key: add one with hmacKey, "
                            + "rsaKey, ecKey, ed25519Key or jwkSet")
                    .check(!clockSkew.isNegative() && clockSkew.compareTo(Duration.ofMinutes(5)) <= 0,
                            "clockSkew " + clockSkew + " must be between 0 and 5 minutes")
                    .check(issuer == null || !issuer.isBlank(), "issuer is blank")
                    .check(audience == null || !audience.isBlank(), "audience is blank")
                    .check(audience != null || anyAudience, "no audience: set audience(...) to the aud this service"
                            + " expects, or call acceptTokensForAnyAudience() to accept tokens issued to any service")
                    .check(audience == null || !anyAudience, "both audience(\"" + audience + "\") and"
                            + " acceptTokensForAnyAudience(): keep the one you mean")
                    .throwIfAny();
            Set<JWSAlgorithm> algorithms = new LinkedHashSet<>();
            keys.forEach(k -> algorithms.add(familyOf(k)));
            return new JwtConfig(new JWKSet(keys), Set.copyOf(algorithms), issuer, audience, clockSkew);
        }
    }

    /** The one algorithm a key admits, or {@code null}. */
    static JWSAlgorithm familyOf(JWK key) {
        if (key instanceof OctetSequenceKey oct) {
            return oct.size() >= 256 ? JWSAlgorithm.HS256 : null;
        }
        if (key instanceof RSAKey) {
            return JWSAlgorithm.RS256;
        }
        if (key instanceof ECKey ec) {
            return Curve.P_256.equals(ec.getCurve()) ? JWSAlgorithm.ES256 : null;
        }
        if (key instanceof OctetKeyPair okp) {
            return Curve.Ed25519.equals(okp.getCurve()) ? JWSAlgorithm.EdDSA : null;
        }
        return null;
    }

    private static String describe(JWK key) {
        return key.getKeyID() != null ? "'" + key.getKeyID() + "'" : key.getKeyType().getValue();
    }
}
