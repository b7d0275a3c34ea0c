package io.choralstorm.devices;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.Test;

public class SecretHasherTest {
    private final SecretHasher hasher = new SecretHasher(1_000, new SecureRandom());

    @Test
    public void hashMatchesItsOwnSecretAndNoOther() {
        SecretHash stored = hasher.hash("correct horse");

        assertTrue("the secret it was made from", hasher.matches("correct horse", stored));
        assertFalse("another secret", hasher.matches("correct horsE", stored));
        assertFalse("a prefix", hasher.matches("correct", stored));
        assertFalse("empty", hasher.matches("", stored));
    }

    @Test
    public void hashHoldsSaltIterationsAndAlgorithmButNotTheSecret() {
        SecretHash stored = hasher.hash("s3cr3t-value");

        assertEquals(SecretHasher.ALGORITHM, stored.algorithm());
        assertEquals(1_000, stored.iterations());
        assertEquals(SecretHasher.SALT_BYTES, stored.salt().length);
        assertEquals(SecretHasher.HASH_BYTES, stored.hash().length);
        assertFalse("toString shows no bytes", stored.toString().contains(Arrays.toString(stored.hash())));
    }

    @Test
    public void sameSecretHashesDifferentlyEachTime() {
        SecretHash first = hasher.hash("same");
        SecretHash second = hasher.hash("same");

        assertFalse("a fresh random salt each time", Arrays.equals(first.salt(), second.salt()));
        assertFalse(Arrays.equals(first.hash(), second.hash()));
        assertTrue(hasher.matches("same", first) && hasher.matches("same", second));
    }

    @Test
    public void storedIterationCountIsUsedNotTheHashersDefault() {
        SecretHash old = new SecretHasher(500, new SecureRandom()).hash("kept");

        assertTrue("a hash made with 500 iterations still verifies", hasher.matches("kept", old));
    }

    @Test
    public void newSecretsAre32RandomBytesInBase64Url() {
        SecretGenerator generator = new SecretGenerator();
        Set<String> seen = new HashSet<>();

        for (int i = 0; i < 100; i++) {
            String secret = generator.newSecret();
            assertEquals("43 characters: 32 bytes, no padding", 43, secret.length());
            assertTrue(secret, secret.matches("[A-Za-z0-9_-]{43}"));
            seen.add(secret);
        }
        assertEquals("no secret repeats", 100, seen.size());
        assertNotEquals(generator.newSecret(), generator.newSecret());
    }
}
