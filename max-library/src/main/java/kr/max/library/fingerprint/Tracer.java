package kr.max.library.fingerprint;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Names the exports a suspect copy was made from. For each candidate export it recomputes, with the
 * export's secret, which units of the copy would carry a mark and which, counts how many of them do, and
 * tests that count against chance (a one-sided binomial test, p-values multiplied by the number of
 * candidates). A candidate is named only when its corrected p-value is below the {@linkplain #threshold()
 * threshold}; so over any set of candidates the chance of naming one whose export the copy was not made
 * from is at most the threshold.
 *
 * <p>Thread-safe; a trace evaluates candidates in parallel.
 */
public final class Tracer {

    /** A false accusation at most once in a billion traces. */
    public static final double DEFAULT_THRESHOLD = 1e-9;

    private final double threshold;

    public Tracer() {
        this(DEFAULT_THRESHOLD);
    }

    /** A tracer naming a candidate when its corrected p-value is below {@code threshold}. */
    public Tracer(double threshold) {
        if (!(threshold > 0 && threshold < 1)) throw new IllegalArgumentException("threshold " + threshold);
        this.threshold = threshold;
    }

    public double threshold() {
        return threshold;
    }

    /** Traces {@code suspect} against every candidate export. */
    public TraceReport trace(SuspectTable suspect, List<Candidate> candidates) {
        if (candidates.isEmpty()) return new TraceReport.Inconclusive(TraceReport.Reason.NO_CANDIDATES, Optional.empty(), List.of());
        var units = new SuspectUnits(suspect);
        for (var c : candidates) units.prepare(c.scheme());
        double log10Candidates = Math.log10(candidates.size());
        var evidence = new ArrayList<>(candidates.parallelStream().map(c -> evaluate(units, c, log10Candidates)).toList());
        evidence.sort(Comparator.comparingDouble(Evidence::log10PValue));

        double log10Threshold = Math.log10(threshold);
        var named = evidence.stream().filter(e -> e.log10CorrectedPValue() < log10Threshold).toList();
        if (!named.isEmpty()) return new TraceReport.Identified(named, evidence);
        var strongest = evidence.getFirst();
        long mostBits = evidence.stream().mapToLong(Evidence::bits).max().orElse(0);
        TraceReport.Reason reason;
        if (mostBits == 0) {
            reason = TraceReport.Reason.NOTHING_TO_READ;
        } else if (-mostBits * Math.log10(2) + log10Candidates >= log10Threshold) {
            reason = TraceReport.Reason.TOO_LITTLE_EVIDENCE;
        } else {
            reason = TraceReport.Reason.NOT_SIGNIFICANT;
        }
        return new TraceReport.Inconclusive(reason, mostBits == 0 ? Optional.empty() : Optional.of(strongest), evidence);
    }

    private static Evidence evaluate(SuspectUnits units, Candidate candidate, double log10Candidates) {
        var scheme = candidate.scheme();
        var keys = MarkKeys.derive(candidate.secret(), scheme);
        boolean keysRead = !scheme.keyColumns().isEmpty() && units.hasAll(scheme.keyColumns());
        long[] rowHash = null;
        var blockWords = new long[(scheme.marked().size() + MarkKeys.LANES - 1) / MarkKeys.LANES][];
        if (keysRead) {
            var g = units.groups(scheme.keyColumns());
            rowHash = new long[g.count()];
            int[] off = g.offsets();
            for (int i = 0; i < rowHash.length; i++) rowHash[i] = keys.rowHash(g.words(), off[i], off[i + 1] - off[i]);
            blockWords[0] = rowHash;
        }
        int columnsRead = 0;
        long keyedBits = 0;
        long keyedMatches = 0;
        long virtualBits = 0;
        long virtualMatches = 0;
        for (int i = 0; i < scheme.marked().size(); i++) {
            var column = scheme.marked().get(i);
            if (!units.has(column.name())) continue;
            columnsRead++;
            var pairs = units.pairs(column);
            for (int j = 0; j < pairs.pairs().length; j++) {
                int lane = keys.virtualLane(i, pairs.pairs()[j]);
                if (!keys.selected(lane)) continue;
                virtualBits++;
                if (MarkKeys.bit(lane) == pairs.parity()[j]) virtualMatches++;
            }
            if (keysRead) {
                byte[] votes = units.votes(scheme.keyColumns(), column);
                int b = i / MarkKeys.LANES;
                if (blockWords[b] == null) {
                    blockWords[b] = new long[rowHash.length];
                    for (int g = 0; g < rowHash.length; g++) blockWords[b][g] = keys.block(rowHash[g], b);
                }
                long[] words = blockWords[b];
                for (int g = 0; g < votes.length; g++) {
                    if (votes[g] < 0) continue;
                    int lane = MarkKeys.lane(words[g], i);
                    if (!keys.selected(lane)) continue;
                    keyedBits++;
                    if (MarkKeys.bit(lane) == votes[g]) keyedMatches++;
                }
            }
        }
        double log10P = BinomialTail.log10UpperTail(keyedBits + virtualBits, keyedMatches + virtualMatches);
        return new Evidence(candidate.exportId(), candidate.recipient(), candidate.exportedAt(), columnsRead, keysRead,
                keyedBits, keyedMatches, virtualBits, virtualMatches, log10P, Math.min(0, log10P + log10Candidates));
    }
}
