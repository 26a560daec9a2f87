package kr.max.library;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import kr.max.core.Messages;
import kr.max.library.catalog.Dataset;
import kr.max.library.catalog.DatasetVersion;

/**
 * A ready attribution for a dataset version, in Korean and English, in the shape KAMP datasets are cited
 * in: the library, the title, the version, the provider organization and the date.
 *
 * @param dataset  dataset name
 * @param version  the version cited
 * @param provider    the provider organization (the owner principal where no organization is recorded)
 * @param publishedAt when the version was deposited
 * @param korean   the attribution in Korean
 * @param english  the attribution in English
 */
public record Citation(String dataset, int version, String provider, Instant publishedAt, String korean, String english) {

    private static final String BUNDLE = "kr.max.library.agreement.messages";
    private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");
    private static final DateTimeFormatter KOREAN_DATE = DateTimeFormatter.ofPattern("yyyy.MM.dd", Locale.ROOT);

    static Citation of(Dataset ds, DatasetVersion v) {
        String provider = ds.ownerOrganization() != null ? ds.ownerOrganization() : ds.owner();
        String titleKo = firstOf(ds.titleKo(), ds.titleEn(), ds.name());
        String titleEn = firstOf(ds.titleEn(), ds.titleKo(), ds.name());
        var day = v.createdAt().atZone(SEOUL).toLocalDate();
        return new Citation(ds.name(), v.number(), provider, v.createdAt(),
                text(Locale.KOREAN, titleKo, ds.name(), v.number(), provider, KOREAN_DATE.format(day)),
                text(Locale.ENGLISH, titleEn, ds.name(), v.number(), provider, day.toString()));
    }

    private static String text(Locale locale, String title, String name, int version, String provider, String date) {
        return Messages.text(BUNDLE, "citation", locale, Messages.text(BUNDLE, "citation.library", locale), title, name,
                version, provider, date);
    }

    private static String firstOf(String... candidates) {
        for (String c : candidates) {
            if (c != null && !c.isBlank()) return c;
        }
        throw new IllegalArgumentException("no title and no name");
    }

    /** The attribution in the user's language. */
    public String in(Locale locale) {
        return locale.getLanguage().equals("ko") ? korean : english;
    }
}
