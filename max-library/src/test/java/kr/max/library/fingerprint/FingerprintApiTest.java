package kr.max.library.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;
import kr.max.core.MaxException;
import kr.max.core.Messages;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** The public API: secrets, schemes, the two ways to stream rows, canonical keys, reports and errors. */
class FingerprintApiTest {

    private static final FingerprintColumn PRESSURE = new FingerprintColumn("pressure_bar", 0.01, 0.02);

    private static void fails(ThrowingCallable call, FingerprintError code, Consumer<MaxException> more) {
        assertThatThrownBy(call).isInstanceOfSatisfying(MaxException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            more.accept(e);
        });
    }

    @Test
    void aSecretRoundTripsThroughItsBytesAndIsNeverPrinted() {
        var secret = FingerprintSecret.generate(new SecureRandom());
        byte[] bytes = secret.bytes();
        assertThat(bytes).hasSize(32);
        assertThat(FingerprintSecret.fromBytes(bytes)).isEqualTo(secret).hasSameHashCodeAs(secret);
        bytes[0] ^= 1;
        assertThat(secret.bytes()[0]).isNotEqualTo(bytes[0]); // a copy, not the secret itself
        var candidate = new Candidate("exp-1", "org-1", Instant.EPOCH, secret, SensorTables.SCHEME);
        assertThat(candidate.toString()).contains("redacted").doesNotContain(HexFormat.of().formatHex(secret.bytes()))
                .doesNotContain(Arrays.toString(secret.bytes()));
        fails(() -> FingerprintSecret.fromBytes(new byte[16]), FingerprintError.BAD_SECRET,
                e -> assertThat(e.getMessage()).contains("32", "16"));
    }

    @Test
    void aSchemeRefusesNothingToMarkAColumnNamedTwiceAndAGammaOutOfRange() {
        fails(() -> FingerprintScheme.of(List.of(), List.of("ts")), FingerprintError.NOTHING_TO_MARK, e -> { });
        fails(() -> FingerprintScheme.of(List.of(PRESSURE, PRESSURE), List.of()), FingerprintError.DUPLICATE_COLUMN,
                e -> assertThat(e.getMessage()).contains("pressure_bar"));
        fails(() -> FingerprintScheme.of(List.of(PRESSURE), List.of("pressure_bar")), FingerprintError.DUPLICATE_COLUMN, e -> { });
        fails(() -> new FingerprintScheme(List.of(PRESSURE), List.of(), 0), FingerprintError.BAD_GAMMA, e -> { });
        fails(() -> new FingerprintScheme(List.of(PRESSURE), List.of(), 257), FingerprintError.BAD_GAMMA,
                e -> assertThat(e.getMessage()).contains("1/257", "256"));
        assertThat(FingerprintScheme.of(List.of(PRESSURE), List.of()).gamma()).isEqualTo(FingerprintScheme.DEFAULT_GAMMA);
    }

    @Test
    void aFingerprinterNamesAColumnTheExportLacksAndTextInAMarkedColumn() {
        var secret = SensorTables.secret(new Random(1));
        fails(() -> Fingerprinter.create(secret, FingerprintScheme.of(List.of(PRESSURE), List.of("ts")), List.of("ts", "pressure")),
                FingerprintError.NO_SUCH_COLUMN, e -> assertThat(e.getMessage()).contains("\"pressure_bar\"", "ts, pressure"));
        var fp = Fingerprinter.create(secret, FingerprintScheme.of(List.of(PRESSURE), List.of("ts")), List.of("ts", "pressure_bar"));
        fp.markRow(new Object[] {1L, 1.5});
        fails(() -> fp.markRow(new Object[] {2L, "1.5 bar"}), FingerprintError.NOT_A_NUMBER,
                e -> assertThat(e.message(Locale.KOREAN)).contains("2행", "pressure_bar", "String"));
    }

    @Test
    void rowsAndColumnBatchesMarkAlikeInAnyOrderAndBatchSize() {
        var random = new Random(2);
        var data = SensorTables.generate(5000, 3);
        var secret = SensorTables.secret(random);
        var byColumns = SensorTables.mark(data, secret, SensorTables.SCHEME); // one batch, long[] micros

        // rows, shuffled, with java.time timestamps and boxed numbers, as a JDBC result set gives them
        var order = new int[data.rows()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int x = order[i];
            order[i] = order[j];
            order[j] = x;
        }
        var shuffled = SensorTables.select(data, order);
        var fp = Fingerprinter.create(secret, SensorTables.SCHEME, shuffled.names());
        var rows = new ArrayList<Object[]>();
        for (int r = 0; r < shuffled.rows(); r++) {
            var row = new Object[shuffled.names().size()];
            for (int c = 0; c < row.length; c++) {
                Object column = shuffled.columns().get(shuffled.names().get(c));
                row[c] = switch (column) {
                    case long[] a -> Instant.EPOCH.plusNanos(a[r] * 1000);
                    case double[] a -> a[r];
                    case Object[] a -> a[r];
                    default -> throw new IllegalStateException();
                };
            }
            fp.markRow(row);
            rows.add(row);
        }
        // the same rows again in batches of random sizes, measurements as Object[]
        var fp2 = Fingerprinter.create(secret, SensorTables.SCHEME, shuffled.names());
        var batched = new ArrayList<Object[]>();
        for (int from = 0; from < shuffled.rows(); ) {
            int n = Math.min(1 + random.nextInt(700), shuffled.rows() - from);
            var columns = new Object[shuffled.names().size()];
            for (int c = 0; c < columns.length; c++) {
                Object column = shuffled.columns().get(shuffled.names().get(c));
                int f = from;
                columns[c] = switch (column) {
                    case long[] a -> Arrays.copyOfRange(a, f, f + n);
                    case double[] a -> Arrays.stream(a, f, f + n).boxed().toArray();
                    case Object[] a -> Arrays.copyOfRange(a, f, f + n);
                    default -> throw new IllegalStateException();
                };
            }
            fp2.markColumns(n, columns);
            for (int r = 0; r < n; r++) {
                var row = new Object[columns.length];
                for (int c = 0; c < columns.length; c++) row[c] = columns[c] instanceof long[] a ? a[r] : ((Object[]) columns[c])[r];
                batched.add(row);
            }
            from += n;
        }

        var expected = SensorTables.select(byColumns, order);
        for (int r = 0; r < shuffled.rows(); r++) {
            for (var m : SensorTables.MEASUREMENTS) {
                int c = shuffled.names().indexOf(m.name());
                double want = expected.doubles(m.name())[r];
                assertThat((Double) rows.get(r)[c]).as("row %d %s", r, m.name()).isEqualTo(want);
                assertThat((Double) batched.get(r)[c]).as("batched row %d %s", r, m.name()).isEqualTo(want);
            }
        }
        assertThat(fp.stats().rows()).isEqualTo(5000);
        assertThat(fp.stats()).isEqualTo(fp2.stats());

        // and cell by cell, as a database's per-column function would
        var fp3 = Fingerprinter.create(secret, SensorTables.SCHEME, shuffled.names());
        long[] time = (long[]) shuffled.columns().get(SensorTables.TIME);
        String[] asset = (String[]) shuffled.columns().get(SensorTables.ASSET);
        for (int r = 0; r < shuffled.rows(); r++) {
            long rowHash = fp3.rowHash(time[r], asset[r]);
            for (int i = 0; i < SensorTables.MEASUREMENTS.size(); i++) {
                var m = SensorTables.MEASUREMENTS.get(i);
                assertThat(fp3.markValue(i, shuffled.doubles(m.name())[r], rowHash)).isEqualTo(expected.doubles(m.name())[r]);
            }
        }
        assertThat(fp3.stats().cells()).isEqualTo(fp.stats().cells());
        assertThat(fp3.stats().cellsMoved()).isEqualTo(fp.stats().cellsMoved());
    }

    @Test
    void aKeyValueReadsTheSameWhateverTypeCarriesIt() {
        var ldt = LocalDateTime.of(2025, 3, 1, 8, 30, 15, 123_456_000);
        long micros = ldt.toInstant(ZoneOffset.UTC).getEpochSecond() * 1_000_000 + 123_456;
        List<Object> sameTime = List.of(micros, ldt, ldt.toInstant(ZoneOffset.UTC), OffsetDateTime.of(ldt, ZoneOffset.UTC)
                .withOffsetSameInstant(ZoneOffset.ofHours(9)), Timestamp.valueOf(ldt));
        List<Object> sameNumber = List.of(7L, 7, (short) 7, 7.0, 7.0f, new BigDecimal("7.00"));
        for (var group : List.of(sameTime, sameNumber)) {
            long[] first = words(group.getFirst());
            for (Object v : group) assertThat(words(v)).as("%s (%s)", v, v.getClass().getSimpleName()).containsExactly(first);
        }
        assertThat(words("7")).isNotEqualTo(words(7L));
        assertThat(words(null)).isNotEqualTo(words(0L));
        assertThat(words(7.5)).isNotEqualTo(words(7L));
        // two text values never run together: ("ab","c") differs from ("a","bc")
        var k = new KeyWords();
        k.add("ab");
        k.add("c");
        long[] abC = Arrays.copyOf(k.words(), k.size());
        k.reset();
        k.add("a");
        k.add("bc");
        assertThat(Arrays.copyOf(k.words(), k.size())).isNotEqualTo(abC);
    }

    private static long[] words(Object v) {
        var k = new KeyWords();
        k.add(v);
        return Arrays.copyOf(k.words(), k.size());
    }

    @Test
    void repeatedRowsAndConstantColumnsCannotFakeEvidence() {
        // an unmarked table whose every row appears ten times and one column is constant: counted per
        // distinct unit, each repetition is one coin, not ten
        var random = new Random(4);
        var data = SensorTables.generate(2000, 5);
        var repeated = new int[data.rows() * 10];
        for (int i = 0; i < repeated.length; i++) repeated[i] = i % data.rows();
        var copy = SensorTables.select(data, repeated);
        Arrays.fill(copy.doubles("flow_l_min"), 42.0);
        var candidates = new ArrayList<Candidate>();
        for (int i = 0; i < 200; i++) {
            candidates.add(new Candidate("exp-" + i, "org-" + i, Instant.EPOCH, SensorTables.secret(random), SensorTables.SCHEME));
        }
        var report = new Tracer().trace(copy.suspect(), candidates);
        assertThat(report).isInstanceOfSatisfying(TraceReport.Inconclusive.class,
                r -> assertThat(r.reason()).isEqualTo(TraceReport.Reason.NOT_SIGNIFICANT));
        var e = report.evidence().getFirst();
        assertThat(e.bits()).isLessThan(2000 * 6); // far fewer than the 120,000 cells of the copy

        // and a marked copy repeated the same way is still named
        var leaker = candidates.get(17);
        var marked = SensorTables.select(SensorTables.mark(data, leaker.secret(), leaker.scheme()), repeated);
        assertThat(new Tracer().trace(marked.suspect(), candidates)).isInstanceOfSatisfying(TraceReport.Identified.class,
                id -> assertThat(id.matches()).extracting(Evidence::exportId).containsExactly("exp-17"));
    }

    @Test
    void aTraceSaysWhyItCannotNameAnyone() {
        var random = new Random(6);
        var data = SensorTables.generate(20_000, 7);
        var candidate = new Candidate("exp-1", "org-1", Instant.EPOCH, SensorTables.secret(random), SensorTables.SCHEME);
        var tracer = new Tracer();

        assertThat(tracer.trace(data.suspect(), List.of())).isEqualTo(
                new TraceReport.Inconclusive(TraceReport.Reason.NO_CANDIDATES, java.util.Optional.empty(), List.of()));

        var unrelated = SuspectTable.builder(3).column("a", new double[] {1, 2, 3}).build();
        assertThat(tracer.trace(unrelated, List.of(candidate))).isInstanceOfSatisfying(TraceReport.Inconclusive.class, r -> {
            assertThat(r.reason()).isEqualTo(TraceReport.Reason.NOTHING_TO_READ);
            assertThat(r.strongest()).isEmpty();
        });

        var tiny = SensorTables.select(SensorTables.mark(data, candidate.secret(), candidate.scheme()), new int[] {1, 2, 3, 4, 5});
        assertThat(tracer.trace(tiny.suspect(), List.of(candidate))).isInstanceOfSatisfying(TraceReport.Inconclusive.class,
                r -> assertThat(r.reason()).isEqualTo(TraceReport.Reason.TOO_LITTLE_EVIDENCE));

        assertThat(tracer.trace(data.suspect(), List.of(candidate))).isInstanceOfSatisfying(TraceReport.Inconclusive.class, r -> {
            assertThat(r.reason()).isEqualTo(TraceReport.Reason.NOT_SIGNIFICANT);
            var e = r.strongest().orElseThrow();
            assertThat(e.bits()).isGreaterThan(10_000);
            assertThat(e.matchRate()).isBetween(0.47, 0.53);
            assertThat(e.confidence()).isLessThan(0.999);
        });
    }

    @Test
    void anIdentifiedCopyNamesExportRecipientAndTimeWithItsConfidence() {
        var random = new Random(8);
        var data = SensorTables.generate(20_000, 9);
        var at = Instant.parse("2025-05-02T01:02:03Z");
        var candidate = new Candidate("exp-7", "org-7", at, SensorTables.secret(random), SensorTables.SCHEME);
        var other = new Candidate("exp-8", "org-8", at, SensorTables.secret(random), SensorTables.SCHEME);
        var copy = SensorTables.mark(data, candidate.secret(), candidate.scheme());
        var report = new Tracer().trace(copy.suspect(), List.of(other, candidate));
        var e = switch (report) {
            case TraceReport.Identified id -> id.matches().getFirst();
            case TraceReport.Inconclusive i -> throw new AssertionError(i);
        };
        assertThat(e.exportId()).isEqualTo("exp-7");
        assertThat(e.recipient()).isEqualTo("org-7");
        assertThat(e.exportedAt()).isEqualTo(at);
        assertThat(e.columnsRead()).isEqualTo(6);
        assertThat(e.keysRead()).isTrue();
        assertThat(e.keyedMatches()).isEqualTo(e.keyedBits());
        assertThat(e.pValue()).isZero(); // below the smallest double: the figure is in log10PValue
        assertThat(e.log10CorrectedPValue()).isCloseTo(e.log10PValue() + Math.log10(2), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(e.confidence()).isEqualTo(1.0);
        assertThat(report.evidence()).extracting(Evidence::exportId).containsExactly("exp-7", "exp-8");
    }

    @Test
    void anExportWithoutKeyColumnsCarriesTheVirtualMarkAlone() {
        var random = new Random(10);
        var scheme = FingerprintScheme.of(SensorTables.MEASUREMENTS, List.of());
        var data = SensorTables.drop(SensorTables.generate(20_000, 11), java.util.Set.of(SensorTables.TIME, SensorTables.ASSET));
        var candidates = new ArrayList<Candidate>();
        for (int i = 0; i < 50; i++) candidates.add(new Candidate("exp-" + i, "org-" + i, Instant.EPOCH, SensorTables.secret(random), scheme));
        var leaked = SensorTables.shuffle(SensorTables.mark(data, candidates.get(3).secret(), scheme), random);
        var report = new Tracer().trace(leaked.suspect(), candidates);
        assertThat(report).isInstanceOfSatisfying(TraceReport.Identified.class, id -> {
            assertThat(id.matches()).extracting(Evidence::exportId).containsExactly("exp-3");
            var e = id.matches().getFirst();
            assertThat(e.keysRead()).isFalse();
            assertThat(e.keyedBits()).isZero();
            assertThat(e.virtualMatches()).isEqualTo(e.virtualBits()); // no keyed mark to compete with
        });
    }

    @Test
    void everyErrorHasAnEnglishAndAKoreanMessage() {
        for (var code : FingerprintError.values()) {
            var args = new Object[] {1, 2, 3}; // numbers, as some codes format theirs with {0,number,#}
            String en = Messages.format(code, Locale.ENGLISH, args);
            String ko = Messages.format(code, Locale.KOREAN, args);
            assertThat(en).as(code.code()).isNotBlank().doesNotContain("{0}", "{1}", "{2}").isNotEqualTo(ko);
            assertThat(ko).as(code.code()).isNotBlank().doesNotContain("{0}", "{1}", "{2}");
            assertThat(code.code()).matches("MAX-FP-00\\d");
        }
    }
}
