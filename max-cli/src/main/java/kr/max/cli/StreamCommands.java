package kr.max.cli;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import kr.max.core.Classification;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.library.stream.StreamCompaction;
import kr.max.library.stream.EdgeRules;
import kr.max.library.stream.EdgeRules.TagRule;
import kr.max.library.stream.StreamError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * Stream datasets from the shell: {@code max streams rules DATASET} shows what of its samples may leave the plant (the
 * edge rules every edge forwarding into it applies, decision 0019), and with options sets them — in the home's library
 * or on a server ({@code --server}), as other commands do. {@code max streams compact DATASET} merges the small chunks
 * of a stream's sealed hours (decision 0020), in the home's library, as the local operator; the library decides it as a
 * write into the dataset and records it. Streams a process writes are compacted in the background anyway; this is for
 * a stream whose writer has stopped, or to see the figures now.
 */
final class StreamCommands {

    private StreamCommands() {
    }

    @Command(name = "streams", mixinStandardHelpOptions = true, subcommands = {Rules.class, StreamCommands.Compact.class})
    static final class Streams {
        @ParentCommand MaxCli root;
    }

    /**
     * {@code max streams rules DATASET [--drop-tag T]… [--round-tag T=STEP]… [--tag-class T=CLASS]… [--max-class C]
     * [--remove-tag T]… [--clear]}: what is not given is kept as it is, unless {@code --clear} starts from no rules (as
     * {@code max protect} does).
     */
    @Command(name = "rules", mixinStandardHelpOptions = true)
    static final class Rules implements Callable<Integer> {
        @ParentCommand Streams streams;
        @Parameters(index = "0", paramLabel = "DATASET") String dataset;
        @Option(names = "--drop-tag", paramLabel = "TAG") List<String> dropTags;
        @Option(names = "--round-tag", paramLabel = "TAG=STEP") List<String> roundTags;
        @Option(names = "--tag-class", paramLabel = "TAG=CLASS") List<String> tagClasses;
        @Option(names = "--max-class", paramLabel = "public|internal|restricted|designated") String maxClass;
        @Option(names = "--remove-tag", paramLabel = "TAG") List<String> removeTags;
        @Option(names = "--clear") boolean clear;

        @Override
        public Integer call() {
            MaxCli root = streams.root;
            try (Backend lib = root.backend()) {
                EdgeRules now = lib.edgeRules(dataset);
                boolean changes = clear || dropTags != null || roundTags != null || tagClasses != null || maxClass != null
                        || removeTags != null;
                if (changes) now = lib.setEdgeRules(dataset, changed(now));
                print(root, dataset, now);
            }
            return 0;
        }

        /** The rules in force with the options applied on top (or on nothing, with {@code --clear}). */
        EdgeRules changed(EdgeRules now) {
            var tags = new LinkedHashMap<String, TagRule>(clear ? Map.of() : now.tags());
            if (removeTags != null) removeTags.forEach(tags::remove);
            if (dropTags != null) {
                for (String t : dropTags) tags.merge(t, TagRule.dropped(), (old, add) -> new TagRule(true, null, old.classification()));
            }
            if (roundTags != null) {
                for (String r : roundTags) {
                    String[] kv = pair(r, "--round-tag", "TAG=STEP with STEP > 0");
                    double step;
                    try {
                        step = Double.parseDouble(kv[1]);
                    } catch (NumberFormatException e) {
                        throw bad("--round-tag " + r, "TAG=STEP with STEP > 0");
                    }
                    // rounding a tag lifts its drop: the last word on a tag is the one given
                    tags.merge(kv[0], TagRule.rounded(step), (old, add) -> new TagRule(false, step, old.classification()));
                }
            }
            if (tagClasses != null) {
                for (String c : tagClasses) {
                    String[] kv = pair(c, "--tag-class", "TAG=public|internal|restricted|designated");
                    Classification cls = classification(kv[1], "--tag-class " + c);
                    tags.merge(kv[0], TagRule.classified(cls), (old, add) -> old.with(add));
                }
            }
            Classification max = maxClass != null ? classification(maxClass, "--max-class")
                    : clear ? EdgeRules.DEFAULT_MAX_CLASS : now.maxClass();
            return EdgeRules.of(tags, max);
        }

        private static String[] pair(String given, String option, String expected) {
            int eq = given.lastIndexOf('=');
            if (eq <= 0 || eq == given.length() - 1) throw bad(option + " " + given, expected);
            return new String[] {given.substring(0, eq), given.substring(eq + 1)};
        }

        private static Classification classification(String word, String option) {
            for (Classification c : Classification.values()) {
                if (c.word().equalsIgnoreCase(word.strip())) return c;
            }
            throw bad(option, "one of public, internal, restricted, designated");
        }

        private static MaxException bad(String field, String problem) {
            return new MaxException(StreamError.BAD_EDGE_RULES, Location.NOWHERE, field, problem);
        }
    }

    static void print(MaxCli root, String dataset, EdgeRules r) {
        if (r.version() == 0) {
            root.out.println(root.text("streams.rules.defaults", dataset, r.maxClass().word()));
        } else {
            String at = DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(r.changedAt().atZone(ZoneId.of("Asia/Seoul")).withNano(0));
            root.out.println(root.text("streams.rules.header", dataset, r.version(), at, r.changedBy(), r.maxClass().word()));
        }
        if (r.tags().isEmpty()) root.out.println(root.text("streams.rules.no-tags"));
        r.tags().forEach((tag, rule) -> {
            var parts = new java.util.ArrayList<String>();
            if (rule.drop()) parts.add(root.text("streams.rules.drop"));
            if (rule.round() != null) parts.add(root.text("streams.rules.round", EdgeRules.plain(rule.round())));
            if (rule.classification() != null) parts.add(rule.classification().word());
            boolean held = r.keepsInPlant(tag);
            root.out.println("  " + tag + "  " + String.join(", ", parts) + "  -> "
                    + root.text(held ? "streams.rules.stays" : "streams.rules.leaves"));
        });
    }

    @Command(name = "compact", mixinStandardHelpOptions = true)
    static final class Compact implements Callable<Integer> {
        @ParentCommand Streams streams;
        @Parameters(index = "0", paramLabel = "DATASET") String dataset;

        @Override
        public Integer call() {
            MaxCli root = streams.root;
            try (Backend lib = root.backend()) {
                Backend.Compacted result = lib.compact(dataset);
                StreamCompaction done = result.done();
                if (done.partitions() == 0) {
                    root.out.println(root.text("streams.nothing", dataset, result.minChunks()));
                } else {
                    root.out.println(root.text("streams.compacted", dataset, done.partitions(), done.chunksBefore(), done.chunksAfter(),
                            done.rows(), MaxCli.human(done.bytesBefore()), MaxCli.human(done.bytesAfter())));
                }
            }
            return 0;
        }
    }
}
