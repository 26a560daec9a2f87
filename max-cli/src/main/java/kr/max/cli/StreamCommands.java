package kr.max.cli;

import java.util.concurrent.Callable;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.core.Principal;
import kr.max.library.stream.StreamCompaction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * Stream datasets' upkeep from the shell: {@code max streams compact DATASET} merges the small chunks of a stream's
 * sealed hours (decision 0020). It acts on the home's library, as the local operator; the library decides it as a
 * write into the dataset and records it. Streams a process writes are compacted in the background anyway; this is
 * for a stream whose writer has stopped, or to see the figures now.
 */
final class StreamCommands {

    private StreamCommands() {
    }

    @Command(name = "streams", mixinStandardHelpOptions = true, subcommands = Compact.class)
    static final class Streams {
        @ParentCommand MaxCli root;
    }

    @Command(name = "compact", mixinStandardHelpOptions = true)
    static final class Compact implements Callable<Integer> {
        @ParentCommand Streams streams;
        @Parameters(index = "0", paramLabel = "DATASET") String dataset;

        @Override
        public Integer call() {
            MaxCli root = streams.root;
            // The HTTP API has no compaction route (yet): refuse rather than compact some other library.
            if (root.serverUrl() != null) throw new MaxException(CliError.NOT_OVER_HTTP, Location.NOWHERE, "max streams compact");
            try (var lib = root.open()) {
                StreamCompaction done = lib.streams().compact(Principal.localOperator(), dataset);
                if (done.partitions() == 0) {
                    root.out.println(root.text("streams.nothing", dataset, lib.streams().compactionSettings().minChunks()));
                } else {
                    root.out.println(root.text("streams.compacted", dataset, done.partitions(), done.chunksBefore(), done.chunksAfter(),
                            done.rows(), MaxCli.human(done.bytesBefore()), MaxCli.human(done.bytesAfter())));
                }
            }
            return 0;
        }
    }
}
