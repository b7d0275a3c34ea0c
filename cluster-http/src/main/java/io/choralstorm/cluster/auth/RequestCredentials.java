package io.choralstorm.cluster.auth;

import io.choralstorm.edge.EdgeException;
import io.choralstorm.protocol.DeviceFrame;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which secret each frame of a request presents. A secret travels in the frame's
 * {@code user_secret} or in an {@code Authorization: Bearer <secret>} header:
 * <ul>
 *   <li>neither wins over the other: a frame that carries both must carry the same secret in each,
 *       otherwise the request is refused (400 {@value #INVALID_AUTHORIZATION});</li>
 *   <li>a Bearer header covers every frame of the request, so a batch with a Bearer header must hold
 *       frames of one device only; a batch of several devices puts each frame's secret in
 *       {@code user_secret};</li>
 *   <li>an Authorization header of another scheme, or an empty or over-long token, is refused the same way.</li>
 * </ul>
 * The result is one claim per distinct (device, secret) pair, in the order of first appearance.
 */
public final class RequestCredentials {
    public static final String INVALID_AUTHORIZATION = "invalid_authorization";
    private static final String BEARER = "Bearer";

    private RequestCredentials() {
    }

    /** The claims of {@code frames} with the request's Authorization header (null when absent). */
    public static List<DeviceClaim> claims(String authorization, List<DeviceFrame> frames, int maxSecretLength)
            throws EdgeException {
        String bearer = authorization == null ? null : bearerToken(authorization, maxSecretLength);
        if (bearer != null) {
            requireOneDevice(frames);
        }
        Set<DeviceClaim> claims = new LinkedHashSet<>();
        for (int i = 0; i < frames.size(); i++) {
            DeviceFrame frame = frames.get(i);
            String inFrame = frame.secret();
            if (bearer != null && inFrame != null && !inFrame.equals(bearer)) {
                throw invalid("frame " + i + " carries a user_secret that differs from the Authorization header's; "
                    + "send the secret once, in either place");
            }
            claims.add(new DeviceClaim(frame.frame().deviceId(), bearer != null ? bearer : inFrame, i));
        }
        return new ArrayList<>(claims);
    }

    private static String bearerToken(String authorization, int maxSecretLength) throws EdgeException {
        String[] parts = authorization.trim().split("\\s+", 2);
        if (!parts[0].equalsIgnoreCase(BEARER)) {
            throw invalid("the Authorization header must be 'Bearer <device secret>'");
        }
        String token = parts.length > 1 ? parts[1].trim() : "";
        if (token.isEmpty() || token.length() > maxSecretLength) {
            throw invalid("the Bearer token must hold 1 to " + maxSecretLength + " characters, got " + token.length());
        }
        return token;
    }

    private static void requireOneDevice(List<DeviceFrame> frames) throws EdgeException {
        String first = frames.get(0).frame().deviceId();
        for (DeviceFrame frame : frames) {
            if (!frame.frame().deviceId().equals(first)) {
                throw invalid("an Authorization header covers a batch of one device only; this batch holds several "
                    + "devices, so put each frame's secret in its user_secret field");
            }
        }
    }

    private static EdgeException invalid(String message) {
        return new EdgeException(400, INVALID_AUTHORIZATION, message);
    }
}
