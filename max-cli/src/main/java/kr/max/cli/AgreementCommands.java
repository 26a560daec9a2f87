package kr.max.cli;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.library.Citation;
import kr.max.library.UsageSummary;
import kr.max.library.agreement.AgreementError;
import kr.max.library.agreement.Constraint;
import kr.max.library.agreement.Duty;
import kr.max.library.policy.Action;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code max request|requests|approve|narrow|refuse|withdraw|revoke|usage|cite}: access requests, the
 * agreements they become, and the provider's view of who used the data.
 */
final class AgreementCommands {

    private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");

    private AgreementCommands() {
    }

    /** {@code 2026-03-01} is that day in Seoul; an instant with an offset is taken as written. */
    static Instant start(String text) {
        return parse(text, false);
    }

    /** {@code --until 2026-08-31} means through that day: up to the start of the next day in Seoul. */
    static Instant end(String text) {
        return parse(text, true);
    }

    private static Instant parse(String text, boolean throughTheDay) {
        try {
            if (text.length() == 10) {
                LocalDate day = LocalDate.parse(text);
                return (throughTheDay ? day.plusDays(1) : day).atStartOfDay(SEOUL).toInstant();
            }
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new MaxException(AgreementError.BAD_DATE, Location.NOWHERE, text);
        }
    }

    static Set<Action> actions(List<String> words) {
        Set<Action> actions = EnumSet.noneOf(Action.class);
        for (String w : words) {
            String word = w.strip().toLowerCase(Locale.ROOT);
            actions.add(Action.fromWord(word).filter(Action::usesData).orElseThrow(() -> new MaxException(
                    AgreementError.UNKNOWN_ACTION, Location.NOWHERE, w, "--actions", "query, export, train")));
        }
        return actions;
    }

    static List<Duty> duties(List<String> words) {
        var duties = new ArrayList<Duty>();
        if (words == null) return duties;
        for (String w : words) {
            duties.add(Duty.fromWord(w.strip().toLowerCase(Locale.ROOT)).orElseThrow(() -> new MaxException(
                    AgreementError.UNKNOWN_DUTY, Location.NOWHERE, w, "--duties", "attribute, review-output, delete-at-end")));
        }
        return duties;
    }

    static Set<String> names(List<String> words) {
        var out = new HashSet<String>();
        if (words != null) words.forEach(w -> out.add(w.strip()));
        return out;
    }

    /** An instant as people in the plant read it: Seoul time, to the minute. */
    static String seoulTime(Instant t) {
        return t == null ? "-" : java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).format(t.atZone(SEOUL));
    }

    private static String words(Set<Action> actions) {
        return EnumSet.copyOf(actions).stream().map(Action::word).collect(Collectors.joining(","));
    }


    @Command(name = "request", mixinStandardHelpOptions = true)
    static final class Request implements Callable<Integer> {
        @ParentCommand MaxCli root;
        @Parameters(index = "0", paramLabel = "DATASET") String dataset;
        @Option(names = "--purpose", required = true, paramLabel = "PURPOSE") String purpose;
        @Option(names = "--actions", required = true, split = ",", paramLabel = "query,export,train") List<String> actions;
        @Option(names = "--from", paramLabel = "DATE") String from;
        @Option(names = "--until", required = true, paramLabel = "DATE") String until;
        @Option(names = "--analysts", split = ",", paramLabel = "USER,…") List<String> analysts;

        @Override
        public Integer call() {
            Instant notBefore = from == null ? LocalDate.now(SEOUL).atStartOfDay(SEOUL).toInstant() : start(from);
            var period = new Constraint.TimeWindow(notBefore, end(until));
            var wanted = actions(actions);
            try (Backend lib = root.backend()) {
                var e = lib.requestAccess(dataset, purpose, wanted, period, names(analysts));
                root.out.println(root.text("request.filed", e.id(), e.dataset(), purpose, words(wanted),
                        seoulTime(period.notBefore()), seoulTime(period.notAfter()), e.provider()));
            }
            return 0;
        }
    }

    @Command(name = "requests", mixinStandardHelpOptions = true)
    static final class Requests implements Callable<Integer> {
        @ParentCommand MaxCli root;
        @Mixin MaxCli.FormatOption fmt = new MaxCli.FormatOption();

        @Override
        public Integer call() {
            Output.Format format = fmt.parsed(root);
            try (Backend lib = root.backend()) {
                var o = new Output(root.out, format, SEOUL);
                o.columns(root.columns(format, "id", "dataset", "state", "consumer", "provider", "actions", "purposes", "from",
                        "until", "analysts", "uses", "requested_by", "decided_by"));
                for (Backend.Request e : lib.requests()) {
                    String uses = e.actions().stream().map(x -> x.word() + "=" + e.uses().getOrDefault(x, 0L))
                            .collect(Collectors.joining(" "));
                    o.row(e.id(), e.dataset(), e.state(), e.consumer(), e.provider(), words(e.actions()),
                            String.join(",", e.purposes()), e.from(), e.until(), String.join(",", e.analysts()), uses,
                            e.requestedBy(), e.decidedBy());
                }
                o.end();
            }
            return 0;
        }
    }

    @Command(name = "approve", mixinStandardHelpOptions = true)
    static final class Approve implements Callable<Integer> {
        @ParentCommand MaxCli root;
        @Parameters(index = "0", paramLabel = "ID") String id;
        @Option(names = "--duties", split = ",", paramLabel = "attribute,…") List<String> duties;

        @Override
        public Integer call() {
            var bound = duties(duties);
            try (Backend lib = root.backend()) {
                var e = lib.approve(id, bound);
                root.out.println(root.text("approve.done", e.id(), e.consumer(), e.dataset(), seoulTime(e.until())));
            }
            return 0;
        }
    }

    @Command(name = "narrow", mixinStandardHelpOptions = true)
    static final class Narrow implements Callable<Integer> {
        @ParentCommand MaxCli root;
        @Parameters(index = "0", paramLabel = "ID") String id;
        @Option(names = "--actions", split = ",", paramLabel = "query,export,train") List<String> actions;
        @Option(names = "--purpose", split = ",", paramLabel = "PURPOSE,…") List<String> purposes;
        @Option(names = "--from", paramLabel = "DATE") String from;
        @Option(names = "--until", paramLabel = "DATE") String until;
        @Option(names = "--analysts", split = ",", paramLabel = "USER,…") List<String> analysts;
        @Option(names = "--max-uses", paramLabel = "N") Long maxUses;
        @Option(names = "--duties", split = ",", paramLabel = "attribute,…") List<String> duties;
        @Option(names = "--deidentified-only") boolean deidentifiedOnly;

        @Override
        public Integer call() {
            var bound = duties(duties);
            // What is not given stays as requested; the library checks that the rest only narrows.
            var narrowing = new Backend.Narrowing(actions == null ? null : actions(actions), purposes == null ? null : names(purposes),
                    from == null ? null : start(from), until == null ? null : end(until), analysts == null ? null : names(analysts),
                    maxUses, deidentifiedOnly ? Boolean.TRUE : null);
            try (Backend lib = root.backend()) {
                var e = lib.narrow(id, narrowing, bound);
                root.out.println(root.text("narrow.done", e.id(), e.consumer(), e.dataset(), words(e.actions()),
                        seoulTime(e.until()), e.maxUses() == null ? "-" : e.maxUses()));
            }
            return 0;
        }
    }

    @Command(name = "refuse", mixinStandardHelpOptions = true)
    static final class Refuse implements Callable<Integer> {
        @ParentCommand MaxCli root;
        @Parameters(index = "0", paramLabel = "ID") String id;
        @Option(names = "--reason", paramLabel = "TEXT") String reason;

        @Override
        public Integer call() {
            try (Backend lib = root.backend()) {
                var e = lib.refuse(id, reason);
                root.out.println(root.text("refuse.done", e.id(), e.consumer(), e.dataset()));
            }
            return 0;
        }
    }

    @Command(name = "withdraw", mixinStandardHelpOptions = true)
    static final class Withdraw implements Callable<Integer> {
        @ParentCommand MaxCli root;
        @Parameters(index = "0", paramLabel = "ID") String id;

        @Override
        public Integer call() {
            try (Backend lib = root.backend()) {
                var e = lib.withdraw(id);
                root.out.println(root.text("withdraw.done", e.id(), e.dataset()));
            }
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true)
    static final class Revoke implements Callable<Integer> {
        @ParentCommand MaxCli root;
        @Parameters(index = "0", paramLabel = "ID") String id;

        @Override
        public Integer call() {
            try (Backend lib = root.backend()) {
                var e = lib.revoke(id);
                root.out.println(root.text("revoke.done", e.id(), e.consumer(), e.dataset()));
            }
            return 0;
        }
    }

    @Command(name = "usage", mixinStandardHelpOptions = true)
    static final class Usage implements Callable<Integer> {
        @ParentCommand MaxCli root;
        @Parameters(index = "0", paramLabel = "DATASET") String dataset;
        @Mixin MaxCli.FormatOption fmt = new MaxCli.FormatOption();

        @Override
        public Integer call() {
            Output.Format format = fmt.parsed(root);
            try (Backend lib = root.backend()) {
                var o = new Output(root.out, format, SEOUL);
                o.columns(root.columns(format, "principal", "organization", "action", "purpose", "uses", "refused", "last"));
                for (UsageSummary u : lib.usage(dataset)) {
                    o.row(u.principal(), u.organization(), u.action(), u.purpose(), u.uses(), u.refused(), u.lastAt());
                }
                o.end();
                // The provider also sees each de-identified release and each export (tables only in the table format,
                // so that csv and json stay one table a program can read).
                if (format == Output.Format.TABLE) {
                    var releases = lib.releases(dataset);
                    root.out.println();
                    root.out.println(root.text("usage.releases", releases.size()));
                    if (!releases.isEmpty()) {
                        var r = new Output(root.out, format, SEOUL);
                        r.columns(root.columns(format, "release", "version", "source-version", "profile", "rows", "created"));
                        for (var x : releases) r.row(x.release(), x.version(), x.sourceVersion(), x.profile() + "@" + x.profileVersion(),
                                x.rows(), x.at());
                        r.end();
                    }
                    var exports = lib.exports(dataset);
                    root.out.println();
                    root.out.println(root.text("usage.exports", exports.size()));
                    if (!exports.isEmpty()) {
                        var e = new Output(root.out, format, SEOUL);
                        e.columns(root.columns(format, "export", "version", "principal", "organization", "purpose", "format", "rows",
                                "fingerprinted", "created"));
                        for (var x : exports) e.row(x.id(), x.version(), x.recipient(), x.organization(), x.purpose(), x.format(),
                                x.rows(), x.fingerprinted() ? root.text("yes") : root.text("no"), x.at());
                        e.end();
                    }
                }
            }
            return 0;
        }
    }

    @Command(name = "cite", mixinStandardHelpOptions = true)
    static final class Cite implements Callable<Integer> {
        @ParentCommand MaxCli root;
        @Parameters(index = "0", paramLabel = "DATASET[@N]") String dataset;

        @Override
        public Integer call() {
            try (Backend lib = root.backend()) {
                Citation c = lib.citation(dataset);
                // Both languages: a paper in either may cite it. The user's own comes first.
                boolean korean = root.locale().getLanguage().equals("ko");
                root.out.println(korean ? c.korean() : c.english());
                root.out.println(korean ? c.english() : c.korean());
            }
            return 0;
        }
    }
}
