package io.choralstorm.pipeline;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Looks for strings everywhere the stack keeps anything: files (logs, Kafka segments, Cassandra
 * commit log and tables, the Redis dump), every record of every Kafka topic, every Redis key and
 * value, every row of every table of a keyspace. Each scan returns where each string was found;
 * the secret-leak test expects nothing for secrets, and something for a device id (so that a
 * scan that reads nothing cannot pass).
 */
final class SecretLeakScanner {
    private static final int CHUNK = 1 << 20;

    private final List<String> needles;

    SecretLeakScanner(List<String> needles) {
        this.needles = List.copyOf(needles);
    }

    /** Every regular file under each root (a file root is scanned itself). */
    List<String> files(Path... roots) {
        List<String> hits = new ArrayList<>();
        for (Path root : roots) {
            if (!Files.exists(root)) {
                continue;
            }
            try (Stream<Path> paths = Files.walk(root)) {
                paths.filter(Files::isRegularFile).forEach(file -> scanFile(file, hits));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot walk " + root, e);
            }
        }
        return hits;
    }

    /** Every record (key, value, headers) of every topic, internal ones included. */
    List<String> kafka(String bootstrap) {
        List<String> hits = new ArrayList<>();
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<byte[], byte[]> consumer =
                 new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (Map.Entry<String, List<PartitionInfo>> topic : consumer.listTopics().entrySet()) {
                topic.getValue().forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read every Kafka record within 60 s");
                }
                consumer.poll(Duration.ofMillis(500)).forEach(record -> scanRecord(record, hits));
            }
        }
        return hits;
    }

    /** Every key and every value of every key (strings, hashes, sorted sets, lists, sets, streams). */
    List<String> redis(JedisPooled redis) {
        List<String> hits = new ArrayList<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = redis.scan(cursor, new ScanParams().count(1000));
            for (String key : page.getResult()) {
                check("redis key", key, hits);
                check("redis value of " + key, valueOf(redis, key), hits);
            }
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return hits;
    }

    private static String valueOf(JedisPooled redis, String key) {
        switch (redis.type(key)) {
            case "string":
                return redis.get(key);
            case "hash":
                return redis.hgetAll(key).toString();
            case "zset":
                return redis.zrangeWithScores(key, 0, -1).toString();
            case "list":
                return redis.lrange(key, 0, -1).toString();
            case "set":
                return redis.smembers(key).toString();
            case "stream":
                return redis.xrange(key, "-", "+").toString();
            default:
                return "";
        }
    }

    /** Every column of every row of every table of {@code keyspace}. */
    List<String> cassandra(CqlSession session, String keyspace) {
        List<String> hits = new ArrayList<>();
        for (Row table : session.execute("SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?",
                keyspace)) {
            String name = table.getString("table_name");
            for (Row row : session.execute("SELECT * FROM " + keyspace + "." + name)) {
                for (int i = 0; i < row.getColumnDefinitions().size(); i++) {
                    String column = row.getColumnDefinitions().get(i).getName().asInternal();
                    check("cassandra " + name + "." + column, text(row.getObject(i)), hits);
                }
            }
        }
        return hits;
    }

    private static String text(Object value) {
        if (value instanceof ByteBuffer) {
            ByteBuffer bytes = ((ByteBuffer) value).duplicate();
            byte[] array = new byte[bytes.remaining()];
            bytes.get(array);
            return new String(array, StandardCharsets.ISO_8859_1);
        }
        return String.valueOf(value);
    }

    private void scanRecord(ConsumerRecord<byte[], byte[]> record, List<String> hits) {
        String where = "kafka " + record.topic() + "-" + record.partition() + "@" + record.offset();
        check(where + " key", latin1(record.key()), hits);
        check(where + " value", latin1(record.value()), hits);
        for (Header header : record.headers()) {
            check(where + " header " + header.key(), latin1(header.value()), hits);
        }
    }

    private void scanFile(Path file, List<String> hits) {
        int overlap = needles.stream().mapToInt(String::length).max().orElse(0);
        byte[] buffer = new byte[CHUNK + overlap];
        try (InputStream in = Files.newInputStream(file)) {
            int kept = 0;
            for (int n = in.readNBytes(buffer, kept, CHUNK); n > 0; n = in.readNBytes(buffer, kept, CHUNK)) {
                int length = kept + n;
                check("file " + file, new String(buffer, 0, length, StandardCharsets.ISO_8859_1), hits);
                kept = Math.min(overlap, length);
                System.arraycopy(buffer, length - kept, buffer, 0, kept);
            }
        } catch (NoSuchFileException gone) {
            // removed since it was listed (a compacted table, a deleted segment): nothing left to scan
        } catch (IOException e) {
            hits.add("unreadable file " + file + ": " + e.getMessage());
        }
    }

    private void check(String where, String text, List<String> hits) {
        if (text == null) {
            return;
        }
        for (String needle : needles) {
            if (text.contains(needle)) {
                hits.add(where + " holds '" + needle + "'");
            }
        }
    }

    private static String latin1(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
