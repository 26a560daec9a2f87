package kr.max.library.deid;

import java.security.SecureRandom;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.core.dictionary.ColumnSpec;
import kr.max.core.dictionary.ColumnType;
import kr.max.core.dictionary.DataDictionary;

/**
 * Applies a {@link DeidPlan} to a {@link DeidTable}: pseudonyms, generalization, noise, dropped and suppressed
 * columns, and k-anonymity over the quasi-identifiers by optimal full-domain generalization with row suppression
 * (see {@code LatticeSearch}: the acceptable lattice node of least non-uniform entropy, ties by lower height).
 *
 * <p>Output columns: kept columns as they are; pseudonyms ({@value PseudonymKey#PREFIX} and 16 base32 characters),
 * generalized values ({@code 2026-03-04T10}, {@code 2026-03-01/07}, {@code [20,30)}, hierarchy labels, {@code *}) and
 * every quasi-identifier as text; perturbed numbers with noise in {@code [-bound, +bound]}; suppressed columns as
 * nulls. Rows of equivalence classes smaller than k are removed and counted in the report.
 *
 * <p>Noise is derived from the release's key, the seed, the column and the value: the same value in the same column
 * gets the same noise within a release. Independent noise per row would let anyone average the rows of a constant
 * setpoint back to its secret value; a plain seeded generator would let anyone who knows one original value recover
 * the generator's state and subtract all the noise.
 */
public final class Deidentifier {

    private Deidentifier() {
    }

    /** {@link #run(DeidTable, DeidPlan, PseudonymKey, long)} with a random seed. */
    public static DeidResult run(DeidTable in, DeidPlan plan, PseudonymKey key) {
        return run(in, plan, key, new SecureRandom().nextLong());
    }

    /**
     * De-identifies {@code in}. The same table, plan, key and seed give the same release.
     *
     * @param key  the release's key, for pseudonyms and noise
     * @param seed varies the noise under one key
     * @throws MaxException {@code MAX-DEID-040/041} when the table does not fit the plan's dictionary,
     *                      {@code MAX-DEID-026} for a value missing from a category hierarchy, {@code MAX-DEID-042}
     *                      when k cannot be reached within the suppression limit, {@code MAX-DEID-043} for too many
     *                      quasi-identifier levels, {@code MAX-DEID-044} for a number too large for its ranges
     */
    public static DeidResult run(DeidTable in, DeidPlan plan, PseudonymKey key, long seed) {
        Objects.requireNonNull(key, "key");
        var run = new Run(in, plan, key);
        Anonymity a = run.anonymity();
        var out = new ArrayList<DeidTable.Column>();
        var specs = new ArrayList<ColumnSpec>();
        for (DeidPlan.ColumnPlan cp : plan.columns()) {
            if (cp.action() == DeidAction.DROP) continue;
            DeidTable.Column column = run.output(cp, a, seed);
            out.add(column);
            ColumnSpec spec = cp.column();
            specs.add(column instanceof DeidTable.Texts && spec.type() != ColumnType.STRING
                    ? spec.withType(ColumnType.STRING, null) : spec);
        }
        var table = DeidTable.of(a.kept.length, out);
        return new DeidResult(table, new DataDictionary(specs, plan.dictionary().timeZone()), run.report(a));
    }

    /** The risk report {@link #run} would give, without producing the release (no key needed). */
    public static RiskReport dryRun(DeidTable in, DeidPlan plan) {
        var run = new Run(in, plan, null);
        return run.report(run.anonymity());
    }

    /** The lattice of the plan's quasi-identifiers over {@code in}, not yet searched: for tests. */
    static LatticeSearch lattice(DeidTable in, DeidPlan plan) {
        return new Run(in, plan, null).lattice();
    }

    /** The chosen generalization and the rows kept. */
    private record Anonymity(int[] levels, int[] kept, LatticeSearch search, LatticeSearch.Evaluation chosen,
                             double atRiskAfter) {
    }

    private static final class Run {
        private final DeidTable in;
        private final DeidPlan plan;
        private final PseudonymKey key;
        private final ZoneId zone;
        private final String profile;
        private final List<DeidPlan.ColumnPlan> qiPlans;
        private final CodedColumn[] qi;
        private final Map<String, String> pseudonyms = new HashMap<>();

        Run(DeidTable in, DeidPlan plan, PseudonymKey key) {
            this.in = in;
            this.plan = plan;
            this.key = key;
            this.zone = ZoneId.of(plan.dictionary().timeZone());
            this.profile = plan.profile().name();
            checkTable();
            qiPlans = plan.quasiIdentifiers();
            qi = new CodedColumn[qiPlans.size()];
            for (int i = 0; i < qi.length; i++) qi[i] = coded(qiPlans.get(i));
        }

        private void checkTable() {
            DataDictionary d = plan.dictionary();
            for (ColumnSpec c : d.columns()) {
                DeidTable.Column col = in.column(c.name());
                String expected = switch (c.type()) {
                    case TIMESTAMP -> "timestamps";
                    case INTEGER, DECIMAL -> "numbers";
                    case STRING, BOOLEAN -> "texts";
                };
                if (col == null || !col.kind().equals(expected)) {
                    throw new MaxException(DeidError.TABLE_MISMATCH, inTable(c.name()), c.name(), expected,
                            col == null ? "-" : col.kind());
                }
            }
            for (String name : in.names()) {
                if (d.indexOf(name) < 0) throw new MaxException(DeidError.COLUMN_NOT_IN_DICTIONARY, inTable(name), name);
            }
        }

        /** A column of the table: the engine does not know which dataset it came from, the caller adds that. */
        private static Location inTable(String column) {
            return new Location(null, 0, 0, column, null, null);
        }

        private Location at(String column) {
            return new Location(plan.profile().sourceName(), 0, 0, column, null, null);
        }

        /** The column's values and hierarchy, its lowest level where the plan puts it. */
        private CodedColumn coded(DeidPlan.ColumnPlan cp) {
            ColumnSpec c = cp.column();
            DeidTable.Column column = in.column(c.name());
            Values.Coding raw = Values.code(column);
            return switch (cp.action()) {
                case GENERALIZE -> switch (cp.rule().generalization()) {
                    case Generalization.Time t -> new CodedColumn(c.name(), raw, new CodedColumn.Time(raw.micros(), zone),
                            t.to().level());
                    case Generalization.Width w -> new CodedColumn(c.name(), raw,
                            new CodedColumn.Width(raw, w.width(), at(c.name())), 1);
                    case Generalization.Categories h -> {
                        String file = h.hierarchy().source() != null ? h.hierarchy().source() : plan.profile().sourceName();
                        var where = new Location(file, 0, 0, c.name(), null, null);
                        yield new CodedColumn(c.name(), raw, new CodedColumn.Categories(raw, zone, h.hierarchy(), where),
                                h.level());
                    }
                };
                case PSEUDONYMIZE -> new CodedColumn(c.name(), raw,
                        new CodedColumn.Flat("pseudonym", r -> pseudonym(raw.text(r, zone))), 0);
                case KEEP -> column instanceof DeidTable.Timestamps
                        ? new CodedColumn(c.name(), raw, new CodedColumn.Time(raw.micros(), zone), 0)
                        : new CodedColumn(c.name(), raw, new CodedColumn.Flat("exact", r -> raw.text(r, zone)), 0);
                default -> throw new IllegalStateException(cp.action() + " is no quasi-identifier");
            };
        }

        private String pseudonym(String text) {
            if (key == null) throw new IllegalStateException("a dry run makes no pseudonyms");
            return pseudonyms.computeIfAbsent(text, v -> key.pseudonym(profile, v));
        }

        LatticeSearch lattice() {
            DeidProfile p = plan.profile();
            return new LatticeSearch(qi, in.rowCount(), p.k(), p.suppressionLimit(), Location.file(p.sourceName()));
        }

        Anonymity anonymity() {
            int n = in.rowCount();
            DeidProfile p = plan.profile();
            if (qi.length == 0) {
                int[] all = new int[n];
                for (int r = 0; r < n; r++) all[r] = r;
                return new Anonymity(new int[0], all, null, null, n > 0 && n < p.k() ? 1 : 0);
            }
            LatticeSearch search = lattice();
            LatticeSearch.Evaluation best = search.search();
            if (best == null) {
                throw new MaxException(DeidError.K_NOT_REACHABLE, Location.file(p.sourceName()), n, p.k(),
                        p.suppressionLimit().toPlainString());
            }
            int[] bottomToClass = new int[search.bottom.size()];
            ClassTable classes = search.rollUp(search.bottom, best.levels(), bottomToClass);
            int[] size = new int[classes.size()];
            for (int c = 0; c < size.length; c++) size[c] = classes.count(c);
            int[] classOfRow = new int[n];
            int keptRows = 0;
            for (int r = 0; r < n; r++) {
                int c = bottomToClass[search.rowClass[r]];
                classOfRow[r] = c;
                if (size[c] >= p.k()) keptRows++;
            }
            int[] kept = new int[keptRows];
            int j = 0;
            for (int r = 0; r < n; r++) if (size[classOfRow[r]] >= p.k()) kept[j++] = r;
            // the release's classes, counted again from the rows kept: none may be smaller than k
            var released = new int[size.length];
            for (int r : kept) released[classOfRow[r]]++;
            long small = 0;
            for (int c = 0; c < released.length; c++) if (released[c] > 0 && released[c] < p.k()) small += released[c];
            return new Anonymity(best.levels(), kept, search, best, keptRows == 0 ? 0 : (double) small / keptRows);
        }

        DeidTable.Column output(DeidPlan.ColumnPlan cp, Anonymity a, long seed) {
            String name = cp.column().name();
            DeidTable.Column column = in.column(name);
            int[] kept = a.kept;
            if (cp.quasiIdentifier()) {
                int i = qiPlans.indexOf(cp);
                return labels(name, qi[i], a.levels[i], kept);
            }
            return switch (cp.action()) {
                case KEEP -> select(column, kept);
                case SUPPRESS -> nulls(column, kept.length);
                case PSEUDONYMIZE -> {
                    Values.Coding raw = Values.code(column);
                    String[] byCode = new String[raw.count()];
                    for (int c = 0; c < raw.count(); c++) if (c != raw.nullCode()) byCode[c] = pseudonym(raw.text(c, zone));
                    String[] v = new String[kept.length];
                    for (int r = 0; r < kept.length; r++) v[r] = byCode[raw.codeOfRow()[kept[r]]];
                    yield new DeidTable.Texts(name, v);
                }
                case GENERALIZE -> {
                    CodedColumn coded = coded(cp);
                    yield labels(name, coded, coded.minLevel, kept);
                }
                case PERTURB -> perturb(cp, (DeidTable.Numbers) column, kept, seed);
                case DROP -> throw new IllegalStateException("dropped");
            };
        }

        private static DeidTable.Texts labels(String name, CodedColumn coded, int level, int[] kept) {
            String[] labels = coded.labels(level);
            String[] v = new String[kept.length];
            for (int r = 0; r < kept.length; r++) {
                int code = coded.codeOfRow(kept[r], level);
                v[r] = labels[code];
            }
            return new DeidTable.Texts(name, v);
        }

        private static DeidTable.Column select(DeidTable.Column column, int[] kept) {
            return switch (column) {
                case DeidTable.Timestamps t -> {
                    long[] v = new long[kept.length];
                    for (int r = 0; r < kept.length; r++) v[r] = t.micros()[kept[r]];
                    yield new DeidTable.Timestamps(t.name(), v);
                }
                case DeidTable.Numbers x -> {
                    double[] v = new double[kept.length];
                    for (int r = 0; r < kept.length; r++) v[r] = x.values()[kept[r]];
                    yield new DeidTable.Numbers(x.name(), v);
                }
                case DeidTable.Texts s -> {
                    String[] v = new String[kept.length];
                    for (int r = 0; r < kept.length; r++) v[r] = s.values()[kept[r]];
                    yield new DeidTable.Texts(s.name(), v);
                }
            };
        }

        private static DeidTable.Column nulls(DeidTable.Column column, int rows) {
            return switch (column) {
                case DeidTable.Timestamps t -> {
                    long[] v = new long[rows];
                    java.util.Arrays.fill(v, DeidTable.Timestamps.NULL);
                    yield new DeidTable.Timestamps(t.name(), v);
                }
                case DeidTable.Numbers x -> {
                    double[] v = new double[rows];
                    java.util.Arrays.fill(v, Double.NaN);
                    yield new DeidTable.Numbers(x.name(), v);
                }
                case DeidTable.Texts s -> new DeidTable.Texts(s.name(), new String[rows]);
            };
        }

        /** Each distinct value gets noise from the key, uniform in [-bound, +bound] (integers: integer noise). */
        private DeidTable.Numbers perturb(DeidPlan.ColumnPlan cp, DeidTable.Numbers column, int[] kept, long seed) {
            NoiseBound bound = cp.rule().bound();
            boolean integer = cp.column().type() == ColumnType.INTEGER;
            Values.Coding raw = Values.code(column);
            double[] byCode = new double[raw.count()];
            for (int c = 0; c < raw.count(); c++) {
                double v = raw.numbers()[c];
                if (c == raw.nullCode()) {
                    byCode[c] = Double.NaN;
                    continue;
                }
                long bits = key.noiseBits(profile, seed, cp.column().name(), Values.number(v));
                java.math.BigDecimal step = cp.column().resolution();
                byCode[c] = step != null && !integer ? noisyOnGrid(v, bound.forValue(v), step, bits) : noisy(v, bound.forValue(v), integer, bits);
            }
            double[] out = new double[kept.length];
            for (int r = 0; r < kept.length; r++) out[r] = byCode[raw.codeOfRow()[kept[r]]];
            return new DeidTable.Numbers(column.name(), out);
        }

        /**
         * Noise in whole steps of the column's resolution, so that a perturbed setpoint reads like a recorded one
         * ({@code 85.5}, not {@code 85.53074775719762}), never beyond the bound: k steps with |k · step| ≤ b.
         */
        static double noisyOnGrid(double v, double b, java.math.BigDecimal step, long bits) {
            long m = (long) Math.floor(b / step.doubleValue() + 1e-9);
            if (m <= 0) return v;
            long k = Math.floorMod(bits, 2 * m + 1) - m;
            double out = java.math.BigDecimal.valueOf(v).add(step.multiply(java.math.BigDecimal.valueOf(k))).doubleValue();
            return Math.abs(out - v) <= b + 1e-9 * Math.max(1, Math.abs(v)) ? out : v;
        }

        static double noisy(double v, double b, boolean integer, long bits) {
            if (integer) {
                long m = (long) Math.floor(b);
                if (m <= 0) return v;
                long span = 2 * m + 1;
                long d = Math.floorMod(bits, span) - m;
                double out = v + d;
                return Math.abs(out - v) <= b ? out : v;
            }
            double u = (bits >>> 11) * 0x1.0p-53;
            double out = v + (2 * u - 1) * b;
            return Math.abs(out - v) <= b ? out : v;
        }

        RiskReport report(Anonymity a) {
            DeidProfile p = plan.profile();
            int n = in.rowCount();
            int k = p.k();
            long rowsOut = a.kept.length;
            var qis = new ArrayList<RiskReport.QuasiIdentifier>();
            int height = 0;
            int maxHeight = 0;
            for (int i = 0; i < qi.length; i++) {
                qis.add(new RiskReport.QuasiIdentifier(qi[i].name, qi[i].levelName(a.levels[i]), a.levels[i],
                        qi[i].minLevel, qi[i].top));
                height += a.levels[i];
                maxHeight += qi[i].top;
            }
            if (qi.length == 0) {
                double risk = n == 0 ? 0 : 1.0 / n;
                double atRisk = a.atRiskAfter;
                return new RiskReport(p.name(), k, p.suppressionLimit().doubleValue(), n, n, 0, qis, n, n == 0 ? 0 : 1,
                        atRisk, atRisk, atRisk, risk, risk, risk, risk, 0, 0, (long) n * n, 0, 0,
                        RiskReport.NON_UNIFORM_ENTROPY, 1, 0);
            }
            LatticeSearch s = a.search;
            LatticeSearch.Evaluation e = a.chosen;
            // the original values: every quasi-identifier at level 0
            int[] rawCounts = new int[qi.length];
            for (int i = 0; i < qi.length; i++) rawCounts[i] = qi[i].raw.count();
            var layout = new ClassTable.Layout(rawCounts);
            var original = new ClassTable(layout, new int[qi.length], Math.min(n, 1 << 16));
            long[] key = new long[layout.words];
            for (int r = 0; r < n; r++) {
                java.util.Arrays.fill(key, 0);
                for (int i = 0; i < qi.length; i++) layout.put(key, i, qi[i].raw.codeOfRow()[r]);
                original.add(key, 1);
            }
            original.seal();
            Shares before = shares(original, k, n);
            Shares minimum = shares(s.bottom, k, n);
            double max = s.maximumLoss();
            return new RiskReport(p.name(), k, p.suppressionLimit().doubleValue(), n, rowsOut, n - rowsOut, qis,
                    e.smallestKept(), e.keptClasses(), before.atRisk, minimum.atRisk, a.atRiskAfter, before.maxRisk,
                    before.averageRisk, e.smallestKept() == 0 ? 0 : 1.0 / e.smallestKept(),
                    rowsOut == 0 ? 0 : (double) e.keptClasses() / rowsOut, height, maxHeight, e.discernibility(),
                    e.loss(), max == 0 ? 0 : e.loss() / max, RiskReport.NON_UNIFORM_ENTROPY, s.nodes, s.evaluated);
        }

        private record Shares(double atRisk, double maxRisk, double averageRisk) {
        }

        private static Shares shares(ClassTable t, int k, int n) {
            if (n == 0) return new Shares(0, 0, 0);
            long small = 0;
            int smallest = Integer.MAX_VALUE;
            for (int c = 0; c < t.size(); c++) {
                int size = t.count(c);
                if (size < k) small += size;
                smallest = Math.min(smallest, size);
            }
            return new Shares((double) small / n, 1.0 / smallest, (double) t.size() / n);
        }
    }
}
