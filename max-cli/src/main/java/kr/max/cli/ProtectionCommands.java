package kr.max.cli;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import kr.max.library.deid.DeidProfile;
import kr.max.library.policy.Action;
import kr.max.library.share.Protections;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** A provider's protections: {@code max protect} and {@code max deid}. */
final class ProtectionCommands {

    private ProtectionCommands() {
    }

    @Command(name = "protect", mixinStandardHelpOptions = true)
    static final class Protect implements Callable<Integer> {
        @ParentCommand MaxCli root;
        @Parameters(index = "0", paramLabel = "DATASET") String dataset;
        @Option(names = "--deid-for", split = ",", paramLabel = "query,export,train") List<String> deidFor;
        @Option(names = "--never-leave", split = ",", paramLabel = "COLUMN,…") List<String> neverLeave;
        @Option(names = "--clear") boolean clear;

        @Override
        public Integer call() {
            try (Backend lib = root.backend()) {
                Backend.Controls c;
                if (clear || deidFor != null || neverLeave != null) {
                    // What is not given is kept as it is, unless --clear starts from nothing.
                    Backend.Controls now = clear ? new Backend.Controls(dataset, null, List.of(), List.of()) : lib.controls(dataset);
                    Set<Action> uses = deidFor == null ? Protections.uses(now.deidRequiredFor()) : Protections.uses(deidFor);
                    Set<String> columns = neverLeave == null ? new LinkedHashSet<>(now.neverLeave()) : new LinkedHashSet<>(neverLeave);
                    c = lib.protect(dataset, uses, columns);
                } else {
                    c = lib.controls(dataset);
                }
                print(c);
            }
            return 0;
        }

        private void print(Backend.Controls c) {
            String none = root.text("protect.none");
            root.out.println(root.text("protect.controls", c.dataset(),
                    c.deidRequiredFor().isEmpty() ? none : String.join(", ", c.deidRequiredFor()),
                    c.neverLeave().isEmpty() ? none : String.join(", ", c.neverLeave())));
            if (c.releaseOf() != null) root.out.println(root.text("protect.release-of", c.releaseOf()));
        }
    }

    @Command(name = "deid", mixinStandardHelpOptions = true)
    static final class Deid implements Callable<Integer> {
        @ParentCommand MaxCli root;
        @Parameters(index = "0", paramLabel = "DATASET[@N]") String dataset;
        @Option(names = "--profile", required = true, paramLabel = "FILE.yaml") Path profileFile;
        @Option(names = "--as", paramLabel = "RELEASE") String release;
        @Option(names = "--dry-run") boolean dryRun;
        @Option(names = "--format", paramLabel = "text|json", defaultValue = "text") String format;
        @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            if (dryRun == (release != null)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), root.text("deid.dry-run-or-as"));
            }
            // Read here, hierarchy files beside the profile: a mistake is reported with its file, line and column
            // before anything is sent, and a server receives one self-contained text.
            DeidProfile profile = DeidProfile.read(profileFile);
            try (Backend lib = root.backend()) {
                var d = lib.deidentify(dataset, profile, dryRun ? null : release);
                if (format.equalsIgnoreCase("json")) {
                    root.out.println(kr.max.library.Library.reportJson(d.report()));
                } else {
                    root.out.print(d.report().render(root.locale()));
                    if (!d.report().render(root.locale()).endsWith("\n")) root.out.println();
                }
                if (d.release() == null) {
                    root.out.println(root.text("deid.dry-run-done", dataset));
                } else {
                    root.out.println(root.text("deid.released", d.release(), d.version(), dataset, d.profile(), d.profileVersion(),
                            d.report().rowsOut(), d.report().kReached()));
                }
            }
            return 0;
        }
    }

    @Command(name = "trace", mixinStandardHelpOptions = true)
    static final class Trace implements Callable<Integer> {
        @ParentCommand MaxCli root;
        @Parameters(index = "0", paramLabel = "FILE") Path file;

        @Override
        public Integer call() {
            try (Backend lib = root.backend()) {
                var t = lib.trace(file);
                String name = file.getFileName().toString();
                for (var m : t.matches()) {
                    root.out.println(root.text("trace.identified", name, m.exportId(), m.recipient(),
                            java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(m.exportedAt().atZone(java.time.ZoneId.of("Asia/Seoul"))),
                            confidence(m), String.format(java.util.Locale.ROOT, "%.0f", m.log10PValue()), m.matches(), m.bits()));
                }
                if (t.matches().isEmpty()) {
                    root.out.println(root.text("trace.inconclusive", name, root.text("trace.reason." + t.reason()), t.candidates()));
                }
            }
            return 0;
        }

        /** 1 − p, written so that a figure like 1 − 10^-300 does not print as 1.0000. */
        private static String confidence(Backend.TraceMatch m) {
            return m.log10PValue() < -6 ? String.format(java.util.Locale.ROOT, "1 - 10^%.0f", m.log10PValue())
                    : String.format(java.util.Locale.ROOT, "%.6f", m.confidence());
        }
    }
}
