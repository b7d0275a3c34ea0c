package io.choralstorm.devices;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.spec.InvalidKeySpecException;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Hashes device secrets with PBKDF2 (the JDK's {@value #ALGORITHM}: the secret's UTF-8 bytes, a
 * random {@value #SALT_BYTES}-byte salt, {@value #DEFAULT_ITERATIONS} iterations by default, a
 * {@value #HASH_BYTES}-byte result) and checks a presented secret against a stored hash in constant
 * time. Each stored hash keeps its own salt, iteration count and algorithm, so the default can be
 * raised later without invalidating the secrets already issued.
 *
 * <p>Why 100,000 iterations and not the 600,000 advised for people's passwords: the secrets the
 * registry issues are 32 random bytes, which no amount of guessing finds, so the stretching only
 * protects secrets imported from existing firmware. And every cluster server pays one check per
 * device after each start: 100,000 iterations cost about 30-50 ms of a core here, so a fleet of
 * 10,000 devices is checked in about 3 minutes on two cores, where 600,000 would take about 17.
 * {@link DeviceVerifier} pays the check once per device and secret, not once per frame.
 */
public final class SecretHasher {
    public static final String ALGORITHM = "PBKDF2WithHmacSHA256";
    public static final int DEFAULT_ITERATIONS = 100_000;
    public static final int SALT_BYTES = 16;
    public static final int HASH_BYTES = 32;

    private final int iterations;
    private final SecureRandom random;

    public SecretHasher() {
        this(DEFAULT_ITERATIONS, new SecureRandom());
    }

    public SecretHasher(int iterations, SecureRandom random) {
        if (iterations < 1) {
            throw new IllegalArgumentException("PBKDF2 needs at least 1 iteration, got " + iterations);
        }
        this.iterations = iterations;
        this.random = random;
    }

    /** A new salted hash of {@code secret}. */
    public SecretHash hash(String secret) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return new SecretHash(ALGORITHM, iterations, salt, derive(secret, ALGORITHM, salt, iterations, HASH_BYTES));
    }

    /** True when {@code secret} is the one {@code stored} was made from; compared in constant time. */
    public boolean matches(String secret, SecretHash stored) {
        byte[] expected = stored.hashBytes();
        byte[] derived = derive(secret, stored.algorithm(), stored.saltBytes(), stored.iterations(), expected.length);
        return MessageDigest.isEqual(derived, expected);
    }

    private static byte[] derive(String secret, String algorithm, byte[] salt, int iterations, int bytes) {
        PBEKeySpec spec = new PBEKeySpec(secret.toCharArray(), salt, iterations, bytes * 8);
        try {
            return SecretKeyFactory.getInstance(algorithm).generateSecret(spec).getEncoded();
        } catch (InvalidKeySpecException e) {
            throw new IllegalArgumentException("cannot derive a " + algorithm + " hash: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM lacks the secret hash algorithm " + algorithm
                + " that a stored device secret uses", e);
        } finally {
            spec.clearPassword();
        }
    }
}
