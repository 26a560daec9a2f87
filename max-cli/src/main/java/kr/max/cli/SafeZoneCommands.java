package kr.max.cli;

import java.time.ZoneId;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code max review …} and {@code max output ID}: the safe zone's output review (데이터안심구역 반출 심사) — of query results
 * and of models of designated data waiting to be exported ({@code max model export} takes a released model).
 */
final class SafeZoneCommands {

    private SafeZoneCommands() {
    }

    @Command(name = "review", mixinStandardHelpOptions = true, subcommands = {Review.ListOutputs.class, Review.Approve.class,
            Review.Reject.class})
    static final class Review {
        @ParentCommand MaxCli root;

        @Command(name = "list", mixinStandardHelpOptions = true)
        static final class ListOutputs implements Callable<Integer> {
            @ParentCommand Review review;
            @Mixin MaxCli.FormatOption fmt = new MaxCli.FormatOption();

            @Override
            public Integer call() {
                MaxCli root = review.root;
                Output.Format format = fmt.parsed(root);
                try (Backend lib = root.backend()) {
                    var o = new Output(root.out, format, ZoneId.of("Asia/Seoul"));
                    o.columns(root.columns(format, "output", "state", "analyst", "organization", "kind", "dataset", "model", "purpose",
                            "rows", "held_back", "created", "reviewer"));
                    for (var out : lib.outputs()) {
                        o.row(out.id(), out.state().word(), out.analyst(), out.organization(), out.kind().word(),
                                String.join(",", out.datasets()), out.model(), out.purpose(), out.rows(), out.heldBack(), out.createdAt(),
                                out.reviewedBy());
                    }
                    o.end();
                }
                return 0;
            }
        }

        @Command(name = "approve", mixinStandardHelpOptions = true)
        static final class Approve implements Callable<Integer> {
            @ParentCommand Review review;
            @Parameters(index = "0", paramLabel = "OUTPUT_ID") String id;
            @Option(names = "--note", paramLabel = "TEXT") String note;

            @Override
            public Integer call() {
                return review.decide(id, true, note);
            }
        }

        @Command(name = "reject", mixinStandardHelpOptions = true)
        static final class Reject implements Callable<Integer> {
            @ParentCommand Review review;
            @Parameters(index = "0", paramLabel = "OUTPUT_ID") String id;
            @Option(names = "--note", paramLabel = "TEXT") String note;

            @Override
            public Integer call() {
                return review.decide(id, false, note);
            }
        }

        /** Releases or rejects a held result and says so. */
        int decide(String id, boolean release, String note) {
            try (Backend lib = root.backend()) {
                var out = lib.review(id, release, note);
                if (release && out.isModel()) {
                    root.out.println(root.text("review.released.model", out.id(), out.analyst(), out.model()));
                } else {
                    root.out.println(root.text(release ? "review.released" : "review.rejected", out.id(), out.analyst()));
                }
            }
            return 0;
        }
    }

    @Command(name = "output", mixinStandardHelpOptions = true)
    static final class OutputCommand implements Callable<Integer> {
        @ParentCommand MaxCli root;
        @Parameters(index = "0", paramLabel = "OUTPUT_ID") String id;
        @Mixin MaxCli.FormatOption fmt = new MaxCli.FormatOption();

        @Override
        public Integer call() {
            Output.Format format = fmt.parsed(root);
            try (Backend lib = root.backend()) {
                var o = new Output(root.out, format, ZoneId.of("Asia/Seoul"));
                lib.releasedOutput(id, o.sink());
                o.end();
            }
            return 0;
        }
    }
}
