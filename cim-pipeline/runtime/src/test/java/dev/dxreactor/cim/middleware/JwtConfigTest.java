package dev.dxreactor.cim.middleware;

import com.nimbusds.jose.jwk.RSAKey;
import org.junit.jupiter.api.Test;

import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a {@link JwtConfig} refuses to be built with, and that it names every such mistake at once. */
class JwtConfigTest {

    private static final byte[] SECRET = "an hmac secret of thirty-two bytes or more!".getBytes();

    private static String jwkSetOfRsaKey(String keyId, int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits);
            RSAPublicKey key = (RSAPublicKey) generator.generateKeyPair().getPublic();
            return "{\"keys\":[" + new RSAKey.Builder(key).keyID(keyId).build().toJSONString() + "]}";
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void anRsaKeyUnder2048BitsInAJwkSetIsRefusedByItsKeyId() {
        assertThatThrownBy(() -> JwtConfig.builder().jwkSet(jwkSetOfRsaKey("legacy-2015", 1024)).audience("api").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 problem")
                .hasMessageContaining("JWK 'legacy-2015' is an RSA key of 1024 bits; RS256 needs at least 2048");
    }

    @Test
    void anRsaKeyOf2048BitsInAJwkSetIsAccepted() {
        JwtConfig config = JwtConfig.builder().jwkSet(jwkSetOfRsaKey("current", 2048)).audience("api").build();
        assertThat(config.keys().getKeyByKeyId("current")).isInstanceOf(RSAKey.class);
    }

    @Test
    void aConfigWithoutAnAudienceIsRefused() {
        assertThatThrownBy(() -> JwtConfig.builder().hmacKey(SECRET).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 problem")
                .hasMessageContaining("no audience")
                .hasMessageContaining("acceptTokensForAnyAudience()");
    }

    @Test
    void theAudienceWaiverLeavesTheAudienceUnchecked() {
        JwtConfig config = JwtConfig.builder().hmacKey(SECRET).acceptTokensForAnyAudience().build();
        assertThat(config.audience()).isNull();
    }

    @Test
    void anAudienceTogetherWithTheWaiverIsRefused() {
        assertThatThrownBy(() -> JwtConfig.builder().hmacKey(SECRET).audience("api").acceptTokensForAnyAudience()
                .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 problem")
                .hasMessageContaining("both audience(\"api\") and acceptTokensForAnyAudience()");
    }

    @Test
    void aConfigWithSeveralMistakesReportsAllOfThem() {
        assertThatThrownBy(() -> JwtConfig.builder().hmacKey(new byte[8]).jwkSet(jwkSetOfRsaKey("old", 1024))
                .clockSkew(Duration.ofHours(1)).issuer(" ").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("5 problems")
                .hasMessageContaining("HS256 needs at least 32")
                .hasMessageContaining("JWK 'old' is an RSA key of 1024 bits")
                .hasMessageContaining("clockSkew PT1H")
                .hasMessageContaining("issuer is blank")
                .hasMessageContaining("no audience");
    }
}
