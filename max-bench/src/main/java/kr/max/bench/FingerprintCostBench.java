package kr.max.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import kr.max.core.Classification;
import kr.max.core.Principal;
import kr.max.core.Role;
import kr.max.core.dictionary.ColumnRole;
import kr.max.library.IngestRequest;
import kr.max.library.Library;
import kr.max.library.LibraryConfig;
import kr.max.library.crypto.MasterKey;
import kr.max.library.fingerprint.TraceReport;
import kr.max.library.ingest.SourceOptions;
import kr.max.library.store.Scratch;
import kr.max.models.Frame;
import kr.max.models.Metrics;
import kr.max.models.ModelType;
import kr.max.models.StandardModels;

/**
 * What a recipient's fingerprint costs a standard model (issue 4, "quality cost"): NASA C-MAPSS FD001 is deposited,
 * a consumer exports it (a fingerprinted CSV), and {@code rul-gbm} is trained with the same seed on the original
 * and on the consumer's copy, then both are measured on the official FD001 test set. Also prints how many cells the
 * mark moved and by how much, and traces the copy.
 *
 * <pre>./max-bench/run fingerprint-cost [--data DIR] [--seed N]</pre>
 */
public final class FingerprintCostBench {

    private FingerprintCostBench() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(System.getProperty("max.root", ".")).resolve("../shared/data").normalize();
        long seed = 42;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data" -> data = Path.of(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (--data DIR, --seed N)");
            }
        }
        if (Files.isDirectory(data.resolve("cmapss"))) data = data.resolve("cmapss");
        Path work = Files.createTempDirectory("max-fingerprint-cost-");
        try {
            run(data, seed, work);
        } finally {
            Scratch.deleteTree(work);
        }
    }

    private static void run(Path data, long seed, Path work) throws Exception {
        Path trainFile = data.resolve("train_FD001.txt");
        var columns = new ArrayList<>(List.of("unit", "cycle"));
        columns.addAll(CmapssData.FEATURES);
        Path copy = work.resolve("consumer-copy.csv");
        try (Library lib = Library.open(LibraryConfig.embedded(work.resolve("home"), MasterKey.of("fingerprint cost benchmark secret 01")))) {
            Principal admin = lib.authenticate(lib.bootstrapAdmin("national-library", "KR", "admin").orElseThrow().token()).orElseThrow();
            lib.createOrganization(admin, "nasa-mirror", null, "KR");
            lib.createOrganization(admin, "seoul-analytics", null, "KR");
            Principal curator = lib.createUser(admin, "curator", "nasa-mirror", Set.of(Role.PROVIDER)).principal();
            Principal carol = lib.createUser(admin, "carol", "seoul-analytics", Set.of(Role.CONSUMER)).principal();
            lib.ingest(curator, IngestRequest.of(trainFile, "nasa/cmapss-fd001").withClassification(Classification.PUBLIC)
                    .withSource(new SourceOptions("text", null, null, false, columns)));
            var dictionary = lib.dictionary(curator, "nasa/cmapss-fd001");
            long marked = dictionary.columns().stream().filter(c -> c.role() == ColumnRole.MEASUREMENT && c.tolerance() != null).count();
            var stats = lib.export(carol, "nasa/cmapss-fd001", copy, "csv");
            System.out.printf(Locale.ROOT, "C-MAPSS FD001 train: %,d rows; %d measurement columns within a declared tolerance; consumer's copy %s%n",
                    stats.rows(), marked, stats.fingerprinted() ? "fingerprinted (export " + stats.exportId() + ")" : "NOT fingerprinted");
            var traced = lib.trace(curator, copy);
            System.out.println("trace of the copy: " + (traced.report() instanceof TraceReport.Identified id
                    ? "names " + id.matches().getFirst().recipient() + String.format(Locale.ROOT, " (p = 10^%.0f)", id.matches().getFirst().log10CorrectedPValue())
                    : "inconclusive"));
        }
        Frame original = CmapssData.read(trainFile);
        Frame copied = readCopy(copy);
        compareCells(original, copied);

        ModelType type = StandardModels.byId("rul-gbm");
        var params = type.defaults();
        Frame test = CmapssData.labelled(CmapssData.read(data.resolve("test_FD001.txt")), CmapssData.rul(data.resolve("RUL_FD001.txt")));
        Metrics before = type.train(original, params, seed).model().evaluate(test);
        Metrics after = type.train(copied, params, seed).model().evaluate(test);
        System.out.printf(Locale.ROOT, "rul-gbm on the official FD001 test (seed %d): trained on the original RMSE %.2f, NASA %.0f; "
                        + "on the fingerprinted copy RMSE %.2f, NASA %.0f (change %+.2f RMSE)%n",
                seed, before.get("rmse"), before.get("nasa_score"), after.get("rmse"), after.get("nasa_score"),
                after.get("rmse") - before.get("rmse"));
    }

    /** The consumer's CSV as a frame in the original's feature order; the export writes rows in its own order. */
    private static Frame readCopy(Path csv) throws Exception {
        var lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        var header = List.of(lines.getFirst().split(","));
        int unit = header.indexOf("unit");
        int cycle = header.indexOf("cycle");
        int[] at = CmapssData.FEATURES.stream().mapToInt(header::indexOf).toArray();
        int n = lines.size() - 1;
        var x = new double[n][at.length];
        var assets = new String[n];
        var times = new long[n];
        for (int i = 0; i < n; i++) {
            var p = lines.get(i + 1).split(",");
            assets[i] = p[unit];
            times[i] = Long.parseLong(p[cycle]);
            for (int j = 0; j < at.length; j++) x[i][j] = Double.parseDouble(p[at[j]]);
        }
        return new Frame(CmapssData.FEATURES, x, assets, times, null);
    }

    /** Cells the mark changed, matched by unit and cycle. */
    private static void compareCells(Frame original, Frame copy) {
        var index = new java.util.HashMap<String, double[]>();
        for (int i = 0; i < copy.rows(); i++) index.put(copy.assets()[i] + "/" + copy.times()[i], copy.x()[i]);
        long cells = 0;
        long changed = 0;
        double largestRelative = 0;
        for (int i = 0; i < original.rows(); i++) {
            double[] c = index.get(original.assets()[i] + "/" + original.times()[i]);
            if (c == null) throw new IllegalStateException("row " + original.assets()[i] + "/" + original.times()[i] + " missing from the copy");
            for (int j = 0; j < c.length; j++) {
                cells++;
                double o = original.x()[i][j];
                if (c[j] != o) {
                    changed++;
                    if (o != 0) largestRelative = Math.max(largestRelative, Math.abs(c[j] - o) / Math.abs(o));
                }
            }
        }
        System.out.printf(Locale.ROOT, "cells changed by the mark: %,d of %,d (%.1f %%), largest change %.4f %% of the value%n",
                changed, cells, 100.0 * changed / cells, 100 * largestRelative);
    }
}
