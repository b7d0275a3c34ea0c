package io.choralstorm.devices;

import java.security.SecureRandom;
import java.util.Base64;

/** New device secrets: {@value #SECRET_BYTES} random bytes, base64url without padding (43 characters). */
public final class SecretGenerator {
    public static final int SECRET_BYTES = 32;

    private final SecureRandom random;

    public SecretGenerator() {
        this(new SecureRandom());
    }

    public SecretGenerator(SecureRandom random) {
        this.random = random;
    }

    public String newSecret() {
        byte[] bytes = new byte[SECRET_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
