package io.choralstorm.cluster.auth;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.choralstorm.edge.EdgeException;
import io.choralstorm.protocol.DeviceFrame;
import io.choralstorm.protocol.FrameValidator;
import io.choralstorm.protocol.ValidationPolicy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.Test;

public class RequestCredentialsTest {
    private static final FrameValidator VALIDATOR = new FrameValidator(ValidationPolicy.defaults());
    private static final int MAX = 256;

    @Test
    public void secretComesFromTheFrame() throws Exception {
        List<DeviceClaim> claims = RequestCredentials.claims(null, frames(frame("d1", "s1")), MAX);

        assertEquals(List.of(new DeviceClaim("d1", "s1", 0)), claims);
    }

    @Test
    public void secretComesFromABearerHeader() throws Exception {
        List<DeviceClaim> claims = RequestCredentials.claims("Bearer s1", frames(frame("d1", null)), MAX);

        assertEquals("s1", claims.get(0).secret());
    }

    @Test
    public void bearerSchemeIsCaseInsensitive() throws Exception {
        assertEquals("s1", RequestCredentials.claims("bearer  s1 ", frames(frame("d1", null)), MAX).get(0).secret());
    }

    @Test
    public void frameWithoutAnySecretClaimsNone() throws Exception {
        assertNull(RequestCredentials.claims(null, frames(frame("d1", null)), MAX).get(0).secret());
    }

    @Test
    public void sameSecretInHeaderAndFrameIsAccepted() throws Exception {
        assertEquals("s1", RequestCredentials.claims("Bearer s1", frames(frame("d1", "s1")), MAX).get(0).secret());
    }

    @Test
    public void headerAndFrameThatDisagreeAreRefused() {
        assertInvalid("Bearer s1", frames(frame("d1", "s2")), "differs");
    }

    @Test
    public void bearerHeaderWithABatchOfSeveralDevicesIsRefused() {
        assertInvalid("Bearer s1", frames(frame("d1", null), frame("d2", null)), "one device only");
    }

    @Test
    public void otherSchemesAndEmptyTokensAreRefused() {
        assertInvalid("Basic ZDE6czE=", frames(frame("d1", null)), "Bearer <device secret>");
        assertInvalid("Bearer ", frames(frame("d1", null)), "1 to 256");
        assertInvalid("Bearer " + "x".repeat(MAX + 1), frames(frame("d1", null)), "1 to 256");
    }

    @Test
    public void batchClaimsEachDistinctDeviceAndSecretOnceInOrder() throws Exception {
        List<DeviceFrame> batch = frames(frame("d2", "b"), frame("d1", "a"), frame("d2", "b"), frame("d2", "c"));

        List<DeviceClaim> claims = RequestCredentials.claims(null, batch, MAX);

        assertEquals(List.of(new DeviceClaim("d2", "b", 0), new DeviceClaim("d1", "a", 1),
            new DeviceClaim("d2", "c", 3)), claims);
        assertEquals("first frame of each claim", 3, claims.get(2).firstIndex());
    }

    @Test
    public void claimNeverPrintsItsSecret() {
        assertTrue(!new DeviceClaim("d1", "hunter2", 0).toString().contains("hunter2"));
    }

    private static void assertInvalid(String header, List<DeviceFrame> frames, String expected) {
        try {
            RequestCredentials.claims(header, frames, MAX);
            fail("'" + header + "' must be refused");
        } catch (EdgeException e) {
            assertEquals(400, e.status());
            assertEquals(RequestCredentials.INVALID_AUTHORIZATION, e.code());
            assertTrue(e.getMessage(), e.getMessage().contains(expected));
        }
    }

    private static String frame(String device, String secret) {
        return "{\"device_id\":\"" + device + "\"," + (secret == null ? "" : "\"user_secret\":\"" + secret + "\",")
            + "\"device_data\":{\"t\":1}}";
    }

    private static List<DeviceFrame> frames(String... frames) {
        String body = "[" + String.join(",", frames) + "]";
        try {
            return VALIDATOR.parseDeviceBody(body.getBytes(StandardCharsets.UTF_8), System.currentTimeMillis());
        } catch (Exception e) {
            throw new AssertionError("test frames must be valid: " + body, e);
        }
    }
}
