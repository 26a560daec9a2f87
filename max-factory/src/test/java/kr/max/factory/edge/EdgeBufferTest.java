package kr.max.factory.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import kr.max.core.AssetPath;
import kr.max.core.MaxException;
import kr.max.factory.assets.TagPath;
import kr.max.factory.twin.Quality;
import kr.max.factory.twin.Sample;
import kr.max.library.crypto.CryptoError;
import kr.max.library.crypto.MasterKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The buffer on real files: what a crash leaves behind is made by copying a live buffer's directory. */
class EdgeBufferTest {

    static final MasterKey KEY = MasterKey.of("edge buffer test master secret");
    static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
    static final String PROBE_EQUIPMENT = "plant/press/line-9/cell-1/PROBE-EQUIPMENT-7";
    static final String PROBE_TAG = "distinctive-probe-torque";
    static final double PROBE_VALUE = 777_777.125;

    @TempDir
    Path tmp;

    static EdgeBuffer.Options small() {
        return EdgeBuffer.Options.defaults().withSegmentBytes(16 * 1024).withSamplesPerRecord(100)
                .withCommitInterval(Duration.ofMillis(5));
    }

    static Sample sample(String equipment, String tag, int i, double value) {
        return new Sample(new TagPath(AssetPath.parse(equipment), tag), T0.plusMillis(10L * i), value, Quality.GOOD, i);
    }

    /** n samples round-robin over three equipment; the probe equipment carries the distinctive tag and value. */
    static List<Sample> samples(int n) {
        var out = new ArrayList<Sample>();
        String[] eq = {"plant/press/line-9/cell-1/PRESS-01", "plant/press/line-9/cell-1/PRESS-02", PROBE_EQUIPMENT};
        for (int i = 0; i < n; i++) {
            String e = eq[i % 3];
            out.add(e == PROBE_EQUIPMENT ? sample(e, PROBE_TAG, i, PROBE_VALUE) : sample(e, "force", i, 100 + i * 0.5));
        }
        return out;
    }

    static List<EdgeSample> readAll(EdgeBuffer buffer) {
        try (var reader = buffer.reader()) {
            var all = new ArrayList<EdgeSample>();
            List<EdgeSample> part;
            while (!(part = reader.next(1000)).isEmpty()) all.addAll(part);
            return all;
        }
    }

    static Path crashCopy(Path dir, Path to) throws IOException {
        // what the page cache holds is what a kill -9 leaves: a copy of the live directory is that state
        Files.createDirectories(to);
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(dir.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
        return to;
    }

    @Test
    void everyCapturedSampleIsThereAfterAnAbruptEndNumberedPerEquipmentInOrder() throws IOException {
        var live = EdgeBuffer.open(tmp.resolve("live"), KEY, small());
        List<Sample> in = samples(3000);
        in.forEach(live::onSample);
        live.flush();
        assertThat(live.segmentCount()).as("segments rolled at 16 KiB").isGreaterThan(3);
        Path crashed = crashCopy(tmp.resolve("live"), tmp.resolve("crashed"));

        try (var reopened = EdgeBuffer.open(crashed, KEY, small())) {
            assertThat(reopened.tornBytesDropped()).isZero();
            List<EdgeSample> out = readAll(reopened);
            assertThat(out).hasSize(in.size());
            var next = new HashMap<String, Long>();
            for (int i = 0; i < in.size(); i++) {
                Sample s = in.get(i);
                EdgeSample e = out.get(i);
                assertThat(e.source()).isEqualTo(s.tag().equipment().toString());
                assertThat(e.tag()).isEqualTo(s.tag().tag());
                assertThat(e.time()).isEqualTo(s.time());
                assertThat(e.value()).isEqualTo(s.value());
                assertThat(e.seq()).isEqualTo(next.merge(e.source(), 1L, Long::sum));
            }
            assertThat(reopened.lastSequences()).containsEntry(PROBE_EQUIPMENT, 1000L);

            reopened.onSample(sample(PROBE_EQUIPMENT, PROBE_TAG, 5000, 1));
            reopened.flush();
            assertThat(readAll(reopened).getLast().seq()).as("numbering continues, no reuse, no gap").isEqualTo(1001);
        }
        live.close();
    }

    @Test
    void aTornTailIsCutOffWithAWarningAndNumberingContinuesFromTheLastWholeRecord() throws IOException {
        Path dir = tmp.resolve("torn");
        var oneSegment = small().withSegmentBytes(1 << 20);
        try (var buffer = EdgeBuffer.open(dir, KEY, oneSegment)) {
            samples(450).forEach(buffer::onSample);
            buffer.flush();
        }
        Path last;
        try (Stream<Path> files = Files.list(dir)) {
            last = files.filter(p -> p.getFileName().toString().startsWith("segment-")).sorted().toList().getLast();
        }
        long size = Files.size(last);
        // a write cut short: the last record loses its final bytes
        try (var ch = java.nio.channels.FileChannel.open(last, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(size - 10);
        }
        int kept;
        try (var buffer = EdgeBuffer.open(dir, KEY, oneSegment)) {
            assertThat(buffer.tornBytesDropped()).isPositive();
            List<EdgeSample> out = readAll(buffer);
            kept = out.size();
            assertThat(kept).as("the last record is gone, the others are whole").isBetween(1, 449);
            List<Sample> in = samples(450);
            for (int i = 0; i < kept; i++) assertThat(out.get(i).value()).isEqualTo(in.get(i).value());
            long lastProbe = buffer.lastSequences().get(PROBE_EQUIPMENT);
            buffer.onSample(sample(PROBE_EQUIPMENT, PROBE_TAG, 9999, 2));
            buffer.flush();
            assertThat(readAll(buffer).getLast().seq()).isEqualTo(lastProbe + 1);
        }
        // garbage after the last record (a length that runs past the end) is a torn tail too
        Files.write(last, new byte[] {0, 0, 1, 0, 42, 42}, java.nio.file.StandardOpenOption.APPEND);
        try (var buffer = EdgeBuffer.open(dir, KEY, oneSegment)) {
            assertThat(buffer.tornBytesDropped()).isEqualTo(6);
            assertThat(readAll(buffer)).hasSize(kept + 1);
        }
    }

    @Test
    void aDamagedRecordInAnEarlierSegmentIsAnErrorNotSkipped() throws IOException {
        Path dir = tmp.resolve("damaged");
        try (var buffer = EdgeBuffer.open(dir, KEY, small())) {
            samples(3000).forEach(buffer::onSample);
            buffer.flush();
        }
        Path first;
        try (Stream<Path> files = Files.list(dir)) {
            first = files.filter(p -> p.getFileName().toString().startsWith("segment-")).sorted().toList().getFirst();
        }
        byte[] bytes = Files.readAllBytes(first);
        bytes[EdgeBuffer.HEADER + 40] ^= 1;
        Files.write(first, bytes);
        assertThatThrownBy(() -> EdgeBuffer.open(dir, KEY, small()))
                .isInstanceOf(MaxException.class)
                .satisfies(e -> assertThat(((MaxException) e).code()).isEqualTo(EdgeError.BUFFER_CORRUPT))
                .hasMessageContaining(first.getFileName().toString());
    }

    @Test
    void noPlaintextValueTagOrPathReachesTheDisk() throws IOException {
        Path dir = tmp.resolve("scan");
        try (var buffer = EdgeBuffer.open(dir, KEY, small())) {
            samples(3000).forEach(buffer::onSample);
            buffer.flush();
            buffer.acknowledge("plant/press/line-9/cell-1/PRESS-01", 10); // the cursor is on disk too
        }
        var probes = new ArrayList<byte[]>();
        probes.add(PROBE_TAG.getBytes(StandardCharsets.UTF_8));
        probes.add("PROBE-EQUIPMENT-7".getBytes(StandardCharsets.UTF_8));
        probes.add("PRESS-01".getBytes(StandardCharsets.UTF_8));
        probes.add("777777.125".getBytes(StandardCharsets.UTF_8));
        probes.add(ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putDouble(PROBE_VALUE).array());
        probes.add(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(PROBE_VALUE).array());
        int files = 0;
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                files++;
                byte[] content = Files.readAllBytes(p);
                for (byte[] probe : probes) {
                    assertThat(indexOf(content, probe)).as("%s holds %s", p, new String(probe, StandardCharsets.ISO_8859_1))
                            .isEqualTo(-1);
                }
            }
        }
        assertThat(files).isGreaterThan(3);
    }

    @Test
    void acknowledgedSegmentsAreDeletedAndNumberingSurvivesThem() {
        Path dir = tmp.resolve("ack");
        Map<String, Long> last;
        try (var buffer = EdgeBuffer.open(dir, KEY, small())) {
            samples(3000).forEach(buffer::onSample);
            buffer.flush();
            int before = buffer.segmentCount();
            last = buffer.lastSequences();
            assertThat(buffer.buffered()).isEqualTo(3000);
            buffer.acknowledge("plant/press/line-9/cell-1/PRESS-01", last.get("plant/press/line-9/cell-1/PRESS-01"));
            assertThat(buffer.segmentCount()).as("other equipment still unacknowledged").isEqualTo(before);
            last.forEach(buffer::acknowledge);
            assertThat(buffer.segmentCount()).isEqualTo(1);
            assertThat(buffer.buffered()).isZero();
        }
        try (var buffer = EdgeBuffer.open(dir, KEY, small())) {
            assertThat(buffer.acknowledged()).isEqualTo(last);
            assertThat(readAll(buffer)).isEmpty();
            buffer.onSample(sample(PROBE_EQUIPMENT, PROBE_TAG, 1, 3));
            buffer.flush();
            assertThat(readAll(buffer)).singleElement().extracting(EdgeSample::seq).isEqualTo(last.get(PROBE_EQUIPMENT) + 1);
            assertThat(buffer.buffered()).isEqualTo(1);
        }
    }

    @Test
    void anotherMasterSecretOrASecondProcessCannotOpenTheBuffer() {
        Path dir = tmp.resolve("keys");
        try (var buffer = EdgeBuffer.open(dir, KEY, small())) {
            assertThatThrownBy(() -> EdgeBuffer.open(dir, KEY, small()))
                    .satisfies(e -> assertThat(((MaxException) e).code()).isEqualTo(EdgeError.BUFFER_LOCKED));
        }
        assertThatThrownBy(() -> EdgeBuffer.open(dir, MasterKey.of("some other master secret!"), small()))
                .satisfies(e -> assertThat(((MaxException) e).code()).isEqualTo(CryptoError.WRONG_MASTER_KEY));
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}
