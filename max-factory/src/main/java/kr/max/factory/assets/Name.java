package kr.max.factory.assets;

import java.util.Locale;
import java.util.Objects;

/**
 * The name of an asset, an equipment type or a tag, in Korean and in English; both are required, because
 * operators read Korean and partners abroad read English.
 */
public record Name(String ko, String en) {

    public Name {
        Objects.requireNonNull(ko, "ko");
        Objects.requireNonNull(en, "en");
    }

    /** Korean for a Korean locale, English otherwise. */
    public String in(Locale locale) {
        return "ko".equals(locale.getLanguage()) ? ko : en;
    }
}
