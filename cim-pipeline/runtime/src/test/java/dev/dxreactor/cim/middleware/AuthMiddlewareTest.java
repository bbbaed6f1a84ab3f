package dev.dxreactor.cim.middleware;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.dxreactor.cim.CimConfig;
import dev.dxreactor.cim.CimResponse;
import dev.dxreactor.cim.CimStatus;
import dev.dxreactor.cim.MiddlewareContext;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** JWT verification: every algorithm it accepts, and the tokens it must refuse, each answered the same way. */
class AuthMiddlewareTest {

    private static final byte[] SECRET = "an hmac secret of thirty-two bytes or more!".getBytes();
    private static final String ISSUER = "https://id.example.com";
    private static final String AUDIENCE = "orders-api";

    private static final KeyPair RSA = generate("RSA", 2048);
    private static final KeyPair OTHER_RSA = generate("RSA", 2048);
    private static final KeyPair EC = generateEc();
    private static final OctetKeyPair ED = generateEd();

    private static KeyPair generate(String algorithm, int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
            g.initialize(bits);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair generateEc() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static OctetKeyPair generateEd() {
        try {
            return new OctetKeyPairGenerator(Curve.Ed25519).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static AuthMiddleware middleware(JwtConfig.Builder jwt) {
        return new AuthMiddleware(CimConfig.builder().jwt(jwt.issuer(ISSUER).audience(AUDIENCE)
                .clockSkew(Duration.ofSeconds(30)).build()).build());
    }

    private static AuthMiddleware rsaOnly() {
        return middleware(JwtConfig.builder().rsaKey((RSAPublicKey) RSA.getPublic()));
    }

    private static JWTClaimsSet.Builder validClaims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().subject("alice").issuer(ISSUER).audience(AUDIENCE)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)));
    }

    private static String sign(JWSAlgorithm algorithm, JWSSigner signer, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).type(JOSEObjectType.JWT).build(), claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String rs256(JWTClaimsSet claims) {
        return sign(JWSAlgorithm.RS256, new RSASSASigner(RSA.getPrivate()), claims);
    }

    /** Runs the middleware; returns its answer, or null when it let the request through. */
    private static CimResponse run(AuthMiddleware auth, String token, MiddlewareContext context) {
        PlainRequest request = new PlainRequest("127.0.0.1");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return auth.before(context, request);
    }

    private static void assertRefused(AuthMiddleware auth, String token) {
        MiddlewareContext context = new MiddlewareContext(0);
        CimResponse answer = run(auth, token, context);
        assertThat(answer).isNotNull();
        assertThat(answer.status()).isEqualTo(CimStatus.UNAUTHENTICATED);
        // The same words whatever the reason: nothing that helps an attacker tell the cases apart.
        assertThat(((PlainRequest.Reply) answer).message).isEqualTo("unauthenticated");
        assertThat(context.subject()).isNull();
        assertThat(context.get(AuthMiddleware.CLAIMS)).isNull();
    }

    private static void assertAccepted(AuthMiddleware auth, String token) {
        MiddlewareContext context = new MiddlewareContext(0);
        assertThat(run(auth, token, context)).isNull();
        assertThat(context.subject()).isEqualTo("alice");
        assertThat(context.get(AuthMiddleware.CLAIMS).getIssuer()).isEqualTo(ISSUER);
    }

    @Test
    void validTokensOfEachAlgorithmAreAccepted() throws Exception {
        assertAccepted(middleware(JwtConfig.builder().hmacKey(SECRET)),
                sign(JWSAlgorithm.HS256, new MACSigner(SECRET), validClaims().build()));
        assertAccepted(rsaOnly(), rs256(validClaims().build()));
        assertAccepted(middleware(JwtConfig.builder().ecKey((ECPublicKey) EC.getPublic())),
                sign(JWSAlgorithm.ES256, new ECDSASigner(EC.getPrivate(), Curve.P_256), validClaims().build()));
        assertAccepted(middleware(JwtConfig.builder().ed25519Key(ED.toPublicJWK())),
                sign(JWSAlgorithm.EdDSA, new Ed25519Signer(ED), validClaims().build()));
    }

    @Test
    void edDsaTokensFollowTheSameRules() throws Exception {
        AuthMiddleware ed = middleware(JwtConfig.builder().ed25519Key(ED.toPublicJWK()));
        assertRefused(ed, sign(JWSAlgorithm.EdDSA, new Ed25519Signer(generateEd()), validClaims().build()));
        assertRefused(ed, sign(JWSAlgorithm.EdDSA, new Ed25519Signer(ED),
                validClaims().expirationTime(Date.from(Instant.now().minusSeconds(120))).build()));
        assertRefused(ed, sign(JWSAlgorithm.EdDSA, new Ed25519Signer(ED), validClaims().audience("other").build()));
        assertRefused(ed, rs256(validClaims().build()));
        assertRefused(ed, new PlainJWT(validClaims().build()).serialize());
    }

    @Test
    void keysFromAJwkSetAreUsed() {
        String jwks = "{\"keys\":[" + new com.nimbusds.jose.jwk.RSAKey.Builder((RSAPublicKey) RSA.getPublic())
                .keyID("k1").build().toJSONString() + "]}";
        assertAccepted(middleware(JwtConfig.builder().jwkSet(jwks)), rs256(validClaims().build()));
    }

    @Test
    void aMissingOrMalformedTokenIsRefused() {
        assertRefused(rsaOnly(), null);
        assertRefused(rsaOnly(), "not-a-jwt");
        assertRefused(rsaOnly(), "a.b.c");
    }

    @Test
    void anExpiredTokenIsRefusedButClockSkewIsTolerated() {
        Instant now = Instant.now();
        assertRefused(rsaOnly(), rs256(validClaims().expirationTime(Date.from(now.minusSeconds(120))).build()));
        assertAccepted(rsaOnly(), rs256(validClaims().expirationTime(Date.from(now.minusSeconds(5))).build()));
    }

    @Test
    void aTokenWithoutExpiryIsRefused() {
        assertRefused(rsaOnly(), rs256(validClaims().expirationTime(null).build()));
    }

    @Test
    void aTokenNotYetValidIsRefused() {
        assertRefused(rsaOnly(), rs256(validClaims().notBeforeTime(Date.from(Instant.now().plusSeconds(120))).build()));
    }

    @Test
    void aWrongIssuerOrAudienceIsRefused() {
        assertRefused(rsaOnly(), rs256(validClaims().issuer("https://evil.example").build()));
        assertRefused(rsaOnly(), rs256(validClaims().audience("another-api").build()));
    }

    @Test
    void aBadSignatureIsRefused() {
        String other = sign(JWSAlgorithm.RS256, new RSASSASigner(OTHER_RSA.getPrivate()), validClaims().build());
        assertRefused(rsaOnly(), other);
        String token = rs256(validClaims().build());
        String[] parts = token.split("\\.");
        String tamperedClaims = Base64.getUrlEncoder().withoutPadding().encodeToString(
                validClaims().subject("mallory").build().toString().getBytes());
        assertRefused(rsaOnly(), parts[0] + "." + tamperedClaims + "." + parts[2]);
    }

    @Test
    void anUnsignedTokenIsRefused() {
        assertRefused(rsaOnly(), new PlainJWT(validClaims().build()).serialize());
        assertRefused(middleware(JwtConfig.builder().hmacKey(SECRET)), new PlainJWT(validClaims().build()).serialize());
    }

    @Test
    void anHs256TokenKeyedWithTheRsaPublicKeyIsRefused() throws Exception {
        // Algorithm confusion: a verifier that used the RSA public key as an HMAC secret would accept this.
        byte[] publicKeyBytes = RSA.getPublic().getEncoded();
        String confused = sign(JWSAlgorithm.HS256, new MACSigner(publicKeyBytes), validClaims().build());
        assertRefused(rsaOnly(), confused);
        assertRefused(middleware(JwtConfig.builder().rsaKey((RSAPublicKey) RSA.getPublic()).hmacKey(SECRET)),
                confused);
    }

    @Test
    void aPreflightWithoutATokenIsRefusedLikeAnyOtherRequest() {
        // Preflights are CorsMiddleware's to answer, ahead of AuthMiddleware (the processor insists on that
        // order); one that reaches AuthMiddleware is just a request without credentials.
        PlainRequest preflight = new PlainRequest("127.0.0.1").method("OPTIONS")
                .header("Origin", "https://app.example.com").header("Access-Control-Request-Method", "DELETE");
        MiddlewareContext context = new MiddlewareContext(0);
        CimResponse answer = rsaOnly().before(context, preflight);
        assertThat(preflight.isPreflight()).isTrue();
        assertThat(answer).isNotNull();
        assertThat(answer.status()).isEqualTo(CimStatus.UNAUTHENTICATED);
        assertThat(((PlainRequest.Reply) answer).message).isEqualTo("unauthenticated");
    }

    @Test
    void withTheAudienceWaiverATokenForAnyAudienceIsAccepted() {
        AuthMiddleware anyAudience = new AuthMiddleware(CimConfig.builder().jwt(JwtConfig.builder()
                .rsaKey((RSAPublicKey) RSA.getPublic()).issuer(ISSUER).acceptTokensForAnyAudience().build()).build());
        assertAccepted(anyAudience, rs256(validClaims().audience("another-api").build()));
        assertAccepted(anyAudience, rs256(validClaims().audience((String) null).build()));
    }

    @Test
    void aConfigWithoutJwtSettingsIsRefused() {
        assertThatThrownBy(() -> new AuthMiddleware(CimConfig.builder().build()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("CimConfig.builder().jwt(...)");
    }
}
