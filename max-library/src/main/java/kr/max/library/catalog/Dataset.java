package kr.max.library.catalog;

import java.time.Instant;
import java.util.List;
import kr.max.core.Classification;

/**
 * A dataset of the catalog; its versions hold the data.
 *
 * @param owner             the principal who deposited it first
 * @param ownerOrganization that principal's organization, whose providers manage it
 * @param domesticOnly      its data may not leave the library's jurisdiction, nor reach foreign principals as exports
 */
public record Dataset(long id, String name, String titleKo, String titleEn, String descriptionKo,
                      String descriptionEn, String owner, String ownerOrganization, Classification classification,
                      boolean domesticOnly, List<String> tags, String keyId, Instant createdAt) {

    public Dataset {
        tags = List.copyOf(tags);
    }
}
