package io.choralstorm.devices;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The registry in Cassandra's {@code devices} table (cql/schema.cql), shared by every cluster.
 * Reads and writes at LOCAL_QUORUM; registration, rotation and revocation are lightweight
 * transactions, so two operators cannot silently overwrite each other's change.
 */
public final class CassandraDeviceStore implements DeviceStore {
    private static final String COLUMNS = "device_id, secret_hash, salt, iterations, algorithm, created_at, revoked_at";

    private final CqlSession session;
    private final boolean ownsSession;
    private final PreparedStatement select;
    private final PreparedStatement selectAll;
    private final PreparedStatement insert;
    private final PreparedStatement replace;
    private final PreparedStatement revoke;

    public CassandraDeviceStore(CqlSession session, String keyspace, boolean ownsSession) {
        this.session = session;
        this.ownsSession = ownsSession;
        String table = keyspace + ".devices";
        try {
            select = session.prepare("SELECT " + COLUMNS + " FROM " + table + " WHERE device_id = ?");
            selectAll = session.prepare("SELECT " + COLUMNS + " FROM " + table);
            insert = session.prepare("INSERT INTO " + table + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, null)"
                + " IF NOT EXISTS");
            replace = session.prepare("UPDATE " + table + " SET secret_hash = ?, salt = ?, iterations = ?,"
                + " algorithm = ?, created_at = ?, revoked_at = null WHERE device_id = ? IF secret_hash = ?");
            revoke = session.prepare("UPDATE " + table + " SET revoked_at = ? WHERE device_id = ?"
                + " IF secret_hash != null AND revoked_at = null");
        } catch (DriverException e) {
            throw new IllegalStateException("cannot use the device registry table " + table + " (" + e.getMessage()
                + "); apply cql/schema.cql first (the local stack does at start)", e);
        }
    }

    /** Opens its own session to {@code contactPoints} ({@code host:port[,host:port]}); closed with the store. */
    public static CassandraDeviceStore connect(String contactPoints, String localDatacenter, String keyspace,
                                               Duration requestTimeout) {
        DriverConfigLoader config = DriverConfigLoader.programmaticBuilder()
            .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, requestTimeout)
            .withString(DefaultDriverOption.REQUEST_CONSISTENCY, "LOCAL_QUORUM")
            .withString(DefaultDriverOption.REQUEST_SERIAL_CONSISTENCY, "LOCAL_SERIAL")
            .withString(DefaultDriverOption.SESSION_NAME, "choral-device-registry")
            .build();
        CqlSession session;
        try {
            session = CqlSession.builder()
                .addContactPoints(contactPoints(contactPoints))
                .withLocalDatacenter(localDatacenter)
                .withConfigLoader(config)
                .build();
        } catch (DriverException e) {
            throw new RegistryUnavailableException("cannot reach the device registry in Cassandra at " + contactPoints
                + ": " + e.getMessage(), e);
        }
        try {
            return new CassandraDeviceStore(session, keyspace, true);
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    @Override
    public CompletionStage<Optional<DeviceRecord>> find(String deviceId) {
        return session.executeAsync(select.bind(deviceId))
            .thenApply(rows -> Optional.ofNullable(rows.one()).flatMap(CassandraDeviceStore::record))
            .exceptionally(error -> {
                throw new CompletionException(unavailable("read device " + deviceId, error));
            });
    }

    @Override
    public boolean insertIfAbsent(DeviceRecord record) {
        SecretHash hash = record.secret();
        return applied(insert.bind(record.deviceId(), ByteBuffer.wrap(hash.hashBytes()),
            ByteBuffer.wrap(hash.saltBytes()), hash.iterations(), hash.algorithm(), record.createdAt()),
            "register device " + record.deviceId());
    }

    @Override
    public boolean replace(DeviceRecord current, DeviceRecord replacement) {
        SecretHash hash = replacement.secret();
        return applied(replace.bind(ByteBuffer.wrap(hash.hashBytes()), ByteBuffer.wrap(hash.saltBytes()),
            hash.iterations(), hash.algorithm(), replacement.createdAt(), current.deviceId(),
            ByteBuffer.wrap(current.secret().hashBytes())), "replace the secret of device " + current.deviceId());
    }

    @Override
    public boolean revoke(String deviceId, Instant at) {
        return applied(revoke.bind(at, deviceId), "revoke device " + deviceId);
    }

    @Override
    public List<DeviceRecord> list() {
        List<DeviceRecord> all = new ArrayList<>();
        try {
            session.execute(selectAll.bind()).forEach(row -> record(row).ifPresent(all::add));
        } catch (DriverException e) {
            throw unavailable("list devices", e);
        }
        all.sort(Comparator.comparing(DeviceRecord::deviceId));
        return all;
    }

    @Override
    public void close() {
        if (ownsSession) {
            session.close();
        }
    }

    private boolean applied(BoundStatement statement, String what) {
        try {
            return session.execute(statement).wasApplied();
        } catch (DriverException e) {
            throw unavailable(what, e);
        }
    }

    /** The row as a device; a row without a secret hash (not written by a registration) is no device. */
    private static Optional<DeviceRecord> record(Row row) {
        if (row.isNull("secret_hash") || row.isNull("salt") || row.isNull("created_at")) {
            return Optional.empty();
        }
        SecretHash hash = new SecretHash(row.getString("algorithm"), row.getInt("iterations"),
            bytes(row.getByteBuffer("salt")), bytes(row.getByteBuffer("secret_hash")));
        return Optional.of(new DeviceRecord(row.getString("device_id"), hash, row.getInstant("created_at"),
            row.getInstant("revoked_at")));
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    private static RegistryUnavailableException unavailable(String what, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return new RegistryUnavailableException("the device registry could not " + what + ": " + cause.getMessage(),
            cause);
    }

    /** Parses {@code host:port[,host:port...]} ({@code [v6-address]:port} accepted). */
    static List<InetSocketAddress> contactPoints(String hostPorts) {
        List<InetSocketAddress> points = new ArrayList<>();
        for (String part : hostPorts.split(",")) {
            String trimmed = part.trim();
            int colon = trimmed.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("a Cassandra contact point is host:port, got '" + trimmed + "'");
            }
            String host = trimmed.substring(0, colon).replace("[", "").replace("]", "");
            points.add(new InetSocketAddress(host, Integer.parseInt(trimmed.substring(colon + 1))));
        }
        return points;
    }
}
