package kr.max.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import kr.max.core.Principal;
import kr.max.core.Role;
import kr.max.library.IngestRequest;
import kr.max.library.Library;
import kr.max.library.LibraryConfig;
import kr.max.library.crypto.MasterKey;
import kr.max.library.deid.DeidProfile;
import kr.max.library.deid.HierarchySource;
import kr.max.library.sample.SampleData;

/**
 * De-identification end to end through the library, as {@code max deid} runs it: a deposited dataset of
 * KAMP-shaped molding shots with operator, inspector and supplier names is read, de-identified with four
 * quasi-identifiers (shot hour, machine, part, injection pressure in 5 bar ranges) at k = 5 and 5 %
 * suppression, and deposited as a release. Prints the time of the dry run and of the release, and the
 * report's information loss. Usage: {@code max-bench/run deid [--rows N] [--work DIR]}.
 */
public final class DeidBench {

    private DeidBench() {
    }

    static final String PROFILE = """
            profile: bench-injection-share
            k: 5
            suppression_limit: 0.05
            rules:
              - match: { sensitivity: personal }
                action: pseudonymize
              - match: { role: attribute, sensitivity: trade_secret }
                action: pseudonymize
              - match: { role: setpoint }
                action: perturb
                bound: 1.0
              - match: { role: timestamp }
                action: generalize
                to: hour
                quasi_identifier: true
              - match: { role: [asset, product] }
                action: keep
                quasi_identifier: true
              - match: { role: measurement, unit: bar }
                action: generalize
                width: 5
                quasi_identifier: true
              - match: { role: batch }
                action: drop
            default: keep
            """;

    public static void main(String[] args) throws Exception {
        int rows = 1_000_000;
        Path work = Path.of("target", "bench-deid");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rows" -> rows = Integer.parseInt(args[++i]);
                case "--work" -> work = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Files.createDirectories(work);
        Path home = Files.createTempDirectory(work, "home-");
        Path file = SampleData.injectionMoldingWithPeople(work, rows, 42);
        System.out.printf(Locale.ROOT, "machine: %d cores, JDK %s; %,d rows%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), rows);
        try (Library lib = Library.open(LibraryConfig.embedded(home, MasterKey.of("deid benchmark master secret 0001")))) {
            String token = lib.bootstrapAdmin("national-library", "KR", "admin").orElseThrow().token();
            Principal admin = lib.authenticate(token).orElseThrow();
            lib.createOrganization(admin, "hanbit-press", null, "KR");
            Principal alice = lib.createUser(admin, "alice", "hanbit-press", Set.of(Role.PROVIDER)).principal();
            long t0 = System.nanoTime();
            lib.ingest(alice, IngestRequest.of(file, "hanbit/molding"));
            System.out.printf(Locale.ROOT, "deposit: %.1f s%n", (System.nanoTime() - t0) / 1e9);
            // The provider confirms the dictionary: the injection pressure is in bar (not inferable from its name).
            var inferred = lib.dictionary(alice, "hanbit/molding");
            var columns = inferred.columns().stream().map(c -> c.name().equals("Max_Injection_Pressure")
                    ? new kr.max.core.dictionary.ColumnSpec(c.name(), c.role(), c.type(), "bar", c.assetPath(), c.sensitivity(),
                    c.descriptionKo(), c.descriptionEn(), c.format(), c.resolution(), c.tolerance()) : c).toList();
            lib.ingest(alice, IngestRequest.of(file, "hanbit/molding")
                    .withDictionary(new kr.max.core.dictionary.DataDictionary(columns, inferred.timeZone())));
            var profile = DeidProfile.parse(PROFILE, "bench-profile.yaml", HierarchySource.none());
            for (int round = 1; round <= 2; round++) {
                t0 = System.nanoTime();
                var dry = lib.deidentify(alice, "hanbit/molding", profile, null);
                double dryS = (System.nanoTime() - t0) / 1e9;
                t0 = System.nanoTime();
                var rel = lib.deidentify(alice, "hanbit/molding", profile, "hanbit/molding-share");
                double relS = (System.nanoTime() - t0) / 1e9;
                var r = rel.report();
                System.out.printf(Locale.ROOT, "round %d: dry run %.1f s, release %.1f s (version %d)%n", round, dryS, relS, rel.version());
                System.out.printf(Locale.ROOT, "  k reached %d, %,d rows out, %,d suppressed (%.2f%%), %,d classes; QIs %s%n", r.kReached(),
                        r.rowsOut(), r.rowsSuppressed(), 100.0 * r.rowsSuppressed() / Math.max(1, r.rowsIn()), r.equivalenceClasses(),
                        r.quasiIdentifiers().stream().map(q -> q.column() + "=" + q.level()).toList());
                System.out.printf(Locale.ROOT, "  information loss: non-uniform entropy %.2f%% of its maximum, discernibility %.3g, "
                                + "generalization height %d of %d; prosecutor risk max %.2f%% avg %.2f%%; dry run report equal: %s%n",
                        100 * r.nonUniformEntropyShare(), (double) r.discernibility(), r.generalizationHeight(), r.maxGeneralizationHeight(),
                        100 * r.prosecutorRiskMax(), 100 * r.prosecutorRiskAverage(), dry.report().equals(r));
            }
        }
    }
}
