package dev.dxreactor.examples.showcase.api;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/** Development tokens: HS256 JWTs for the showcase's audience, signed with the instance's key. */
public final class DevTokens {

    /** The audience every showcase token is for, and the only one the showcase accepts. */
    public static final String AUDIENCE = "dx-showcase";

    private DevTokens() {
    }

    /** A token for {@code subject}, valid for {@code ttl}. */
    public static String issue(byte[] hmacKey, String subject, Duration ttl) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(subject)
                .audience(AUDIENCE)
                .issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plus(ttl)))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        try {
            jwt.sign(new MACSigner(hmacKey));
        } catch (JOSEException e) {
            throw new IllegalArgumentException("the JWT key cannot sign: " + e.getMessage(), e);
        }
        return jwt.serialize();
    }
}
