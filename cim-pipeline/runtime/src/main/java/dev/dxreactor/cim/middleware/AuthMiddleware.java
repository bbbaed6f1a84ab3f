package dev.dxreactor.cim.middleware;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.dxreactor.cim.CimConfig;
import dev.dxreactor.cim.CimRequest;
import dev.dxreactor.cim.CimResponse;
import dev.dxreactor.cim.CimStatus;
import dev.dxreactor.cim.ContextKey;
import dev.dxreactor.cim.Middleware;
import dev.dxreactor.cim.MiddlewareContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Verifies the request's bearer token (HTTP {@code Authorization: Bearer}, HBTP metadata {@code auth}) as a
 * signed JWT with nimbus-jose-jwt, against the keys and rules of {@link JwtConfig}: the signature with a key
 * of the token's algorithm (only algorithms the configured keys admit, so {@code alg=none} and an HS256 token
 * against an RSA key both fail), {@code exp} (required) and {@code nbf} with the configured skew, {@code iss}
 * and {@code aud} when configured. The claims land in the context ({@link #CLAIMS}, and
 * {@link MiddlewareContext#subject()}).
 *
 * <p>A CORS preflight gets no exception: browsers send it without credentials, so it must be answered
 * before this middleware, by {@link CorsMiddleware} declared ahead of it (the processor rejects a chain that
 * has both in the other order). In a chain without CORS an {@code OPTIONS} request is a request like any
 * other, and one without a token is refused; so no request skips authentication by looking like a
 * preflight. A missing or bad token is answered 401 / {@code UNAUTHENTICATED} with the same message whatever
 * the reason, so the answer tells an attacker nothing; the reason is logged at debug level.
 */
public final class AuthMiddleware implements Middleware<CimRequest, CimResponse> {

    /** The verified claims of the request. */
    public static final ContextKey<JWTClaimsSet> CLAIMS = ContextKey.of("jwt-claims");

    private static final Logger LOG = LoggerFactory.getLogger(AuthMiddleware.class);
    static final String MESSAGE = "unauthenticated";

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final DefaultJWTClaimsVerifier<SecurityContext> claimsVerifier;
    /**
     * nimbus's processor finds keys as {@code java.security.Key}s, which Ed25519 JWKs do not convert to; EdDSA
     * tokens are verified here with these keys, under the same header and claims rules.
     */
    private final List<Ed25519Verifier> edVerifiers = new ArrayList<>();

    /** @throws IllegalStateException when the config has no {@link JwtConfig} */
    public AuthMiddleware(CimConfig config) {
        JwtConfig jwt = config.jwt();
        if (jwt == null) {
            throw new IllegalStateException("AuthMiddleware needs CimConfig.builder().jwt(...): no keys to verify tokens with");
        }
        Set<JWSAlgorithm> processorAlgorithms = new HashSet<>(jwt.algorithms());
        processorAlgorithms.remove(JWSAlgorithm.EdDSA);
        for (JWK key : jwt.keys().getKeys()) {
            if (key instanceof OctetKeyPair okp) {
                try {
                    edVerifiers.add(new Ed25519Verifier(okp));
                } catch (JOSEException e) {
                    throw new IllegalArgumentException("unusable Ed25519 key: " + e.getMessage(), e);
                }
            }
        }
        if (!processorAlgorithms.isEmpty()) {
            processor.setJWSKeySelector(new JWSVerificationKeySelector<>(processorAlgorithms,
                    new ImmutableJWKSet<>(jwt.keys())));
        }
        JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder();
        if (jwt.issuer() != null) {
            exact.issuer(jwt.issuer());
        }
        claimsVerifier = new DefaultJWTClaimsVerifier<>(jwt.audience(), exact.build(), Set.of("exp"));
        claimsVerifier.setMaxClockSkew((int) jwt.clockSkew().toSeconds());
        processor.setJWTClaimsSetVerifier(claimsVerifier);
    }

    @Override
    public CimResponse before(MiddlewareContext context, CimRequest request) {
        String token = request.bearerToken();
        if (token == null) {
            LOG.debug("{}: no bearer token", request.describe());
            return request.reply(CimStatus.UNAUTHENTICATED, MESSAGE);
        }
        JWTClaimsSet claims;
        try {
            claims = verify(token);
        } catch (Exception e) {
            LOG.debug("{}: token refused: {}", request.describe(), e.getMessage());
            return request.reply(CimStatus.UNAUTHENTICATED, MESSAGE);
        }
        context.put(CLAIMS, claims);
        context.subject(claims.getSubject());
        return null;
    }

    /** The verified claims of {@code token}; throws for anything unsigned, unverifiable or out of its rules. */
    private JWTClaimsSet verify(String token) throws ParseException, BadJOSEException, JOSEException {
        SignedJWT jwt = SignedJWT.parse(token);
        JWSHeader header = jwt.getHeader();
        if (!JWSAlgorithm.EdDSA.equals(header.getAlgorithm())) {
            return processor.process(jwt, null);
        }
        DefaultJOSEObjectTypeVerifier.JWT.verify(header.getType(), null);
        for (Ed25519Verifier verifier : edVerifiers) {
            if (jwt.verify(verifier)) {
                JWTClaimsSet claims = jwt.getJWTClaimsSet();
                claimsVerifier.verify(claims, null);
                return claims;
            }
        }
        throw new BadJOSEException("no Ed25519 key verifies the signature");
    }
}
