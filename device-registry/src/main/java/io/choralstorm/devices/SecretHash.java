package io.choralstorm.devices;

import java.util.Arrays;
import java.util.Objects;

/**
 * A device secret as the registry keeps it: the PBKDF2 output with its salt, iteration count and
 * algorithm. Never the secret itself; {@link #toString()} shows no bytes either.
 */
public final class SecretHash {
    private final String algorithm;
    private final int iterations;
    private final byte[] salt;
    private final byte[] hash;

    public SecretHash(String algorithm, int iterations, byte[] salt, byte[] hash) {
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
        if (iterations < 1) {
            throw new IllegalArgumentException("a secret hash needs at least 1 iteration, got " + iterations);
        }
        this.iterations = iterations;
        this.salt = salt.clone();
        this.hash = hash.clone();
    }

    public String algorithm() {
        return algorithm;
    }

    public int iterations() {
        return iterations;
    }

    public byte[] salt() {
        return salt.clone();
    }

    public byte[] hash() {
        return hash.clone();
    }

    /** The hash bytes without a copy, for comparisons inside this package. */
    byte[] hashBytes() {
        return hash;
    }

    byte[] saltBytes() {
        return salt;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof SecretHash)) {
            return false;
        }
        SecretHash other = (SecretHash) o;
        return iterations == other.iterations && algorithm.equals(other.algorithm)
            && Arrays.equals(salt, other.salt) && Arrays.equals(hash, other.hash);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(hash) + Arrays.hashCode(salt);
    }

    @Override
    public String toString() {
        return "SecretHash{" + algorithm + ", " + iterations + " iterations}";
    }
}
