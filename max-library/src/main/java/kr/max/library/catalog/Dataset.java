package kr.max.library.catalog;

import java.time.Instant;
import java.util.List;
import kr.max.core.Classification;

/** A dataset of the catalog; its versions hold the data. */
public record Dataset(long id, String name, String titleKo, String titleEn, String descriptionKo,
                      String descriptionEn, String owner, Classification classification, List<String> tags,
                      String keyId, Instant createdAt) {

    public Dataset {
        tags = List.copyOf(tags);
    }
}
