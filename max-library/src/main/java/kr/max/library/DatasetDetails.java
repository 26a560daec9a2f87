package kr.max.library;

import java.util.List;
import kr.max.core.dictionary.DataDictionary;
import kr.max.library.catalog.Dataset;
import kr.max.library.ingest.IngestProblem;

/**
 * What {@code max show} prints.
 *
 * @param sampleColumns column names of the sample rows
 * @param sampleRows    a few rows of the latest version, decrypted in memory
 * @param rejected      rejected rows of the latest version (line, column, value), decrypted in memory
 */
public record DatasetDetails(Dataset dataset, List<VersionSummary> versions, DataDictionary dictionary,
                             List<String> sampleColumns, List<Object[]> sampleRows, List<IngestProblem> rejected) {
}
