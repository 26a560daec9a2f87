package kr.max.library;

import java.nio.file.Path;
import java.util.Objects;
import kr.max.core.Classification;
import kr.max.core.dictionary.DataDictionary;
import kr.max.library.ingest.SourceOptions;

/**
 * A deposit: a file to become the next version of a dataset.
 *
 * @param dictionary     a confirmed data dictionary, or {@code null} to infer a draft
 * @param skipBadRows    commit the good rows and count the rejected ones instead of refusing the file
 * @param maxErrors      how many problems to report before stopping (at least 1)
 * @param classification for a new dataset; an existing one keeps its own
 * @param timeZone       zone of naive timestamps when inferring; {@code null} for Asia/Seoul
 */
public record IngestRequest(Path file, String dataset, SourceOptions source, DataDictionary dictionary,
                            boolean skipBadRows, int maxErrors, Classification classification, String timeZone) {

    public IngestRequest {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(dataset, "dataset");
        source = source == null ? SourceOptions.auto() : source;
        maxErrors = Math.max(1, maxErrors);
        classification = classification == null ? Classification.INTERNAL : classification;
    }

    public static IngestRequest of(Path file, String dataset) {
        return new IngestRequest(file, dataset, SourceOptions.auto(), null, false, 20, null, null);
    }

    public IngestRequest withDictionary(DataDictionary d) {
        return new IngestRequest(file, dataset, source, d, skipBadRows, maxErrors, classification, timeZone);
    }

    public IngestRequest skippingBadRows() {
        return new IngestRequest(file, dataset, source, dictionary, true, maxErrors, classification, timeZone);
    }

    public IngestRequest withSource(SourceOptions options) {
        return new IngestRequest(file, dataset, options, dictionary, skipBadRows, maxErrors, classification, timeZone);
    }

    /** The classification a new dataset gets; an existing one keeps its own. */
    public IngestRequest withClassification(Classification c) {
        return new IngestRequest(file, dataset, source, dictionary, skipBadRows, maxErrors, c, timeZone);
    }

    public IngestRequest withMaxErrors(int n) {
        return new IngestRequest(file, dataset, source, dictionary, skipBadRows, n, classification, timeZone);
    }
}
