package io.choralstorm.gateway;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.junit.Test;

public class ClusterRouterTest {
    private static final List<String> THREE = List.of("http://a:8082", "http://b:8082", "http://c:8082");

    @Test
    public void sameDeviceGetsTheSameOrderFromEveryRouterInstance() {
        ClusterRouter first = new ClusterRouter(THREE);
        ClusterRouter second = new ClusterRouter(List.of("http://c:8082", "http://a:8082", "http://b:8082"));

        for (int i = 0; i < 500; i++) {
            String device = "device-" + i;
            assertArrayEquals(device, first.order(device), first.order(device));
            assertEquals("the listed order of clusters must not matter for " + device,
                first.primary(device), second.primary(device));
        }
    }

    @Test
    public void devicesSpreadOverAllClusters() {
        ClusterRouter router = new ClusterRouter(THREE);
        int[] counts = new int[3];

        for (int i = 0; i < 3000; i++) {
            counts[router.order("sensor-" + i)[0]]++;
        }

        for (int count : counts) {
            assertTrue("each cluster should get roughly a third, got " + count, count > 800 && count < 1200);
        }
    }

    @Test
    public void removingAClusterMovesOnlyItsOwnDevices() {
        ClusterRouter three = new ClusterRouter(THREE);
        ClusterRouter two = new ClusterRouter(List.of("http://a:8082", "http://b:8082"));

        for (int i = 0; i < 2000; i++) {
            String device = "sensor-" + i;
            String before = three.primary(device);
            if (!before.equals("http://c:8082")) {
                assertEquals("a device of a remaining cluster must stay there: " + device, before, two.primary(device));
            } else {
                assertEquals("its failover choice becomes its cluster: " + device,
                    three.cluster(three.order(device)[1]), two.primary(device));
            }
        }
    }
}
