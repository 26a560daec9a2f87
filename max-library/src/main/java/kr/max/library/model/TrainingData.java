package kr.max.library.model;

/**
 * One dataset version a model learned from, as its lineage names it: by name and number, by catalog ids, and by
 * commit ({@code ingestId}) and content ({@code sourceSha256}) identity, so that the lineage still says exactly which
 * data it was after the dataset is deleted or deposited again under the same name.
 */
public record TrainingData(String dataset, int version, long datasetId, long versionId, String ingestId,
                           String sourceSha256, long rows) {

    /** {@code kamp/press@2}. */
    public String ref() {
        return dataset + "@" + version;
    }
}
