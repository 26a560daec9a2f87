package kr.max.core;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * Korean and English texts from resource bundles. Bundles are UTF-8 properties files; the base
 * bundle is English and {@code _ko} holds Korean.
 */
public final class Messages {

    /** English is the base bundle; never fall back to the JVM locale, which may be neither language. */
    private static final ResourceBundle.Control NO_FALLBACK =
            ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);

    private Messages() {
    }

    /** The user's language: {@code MAX_LANG} or the JVM default locale, Korean or English only. */
    public static Locale defaultLocale() {
        String lang = System.getenv("MAX_LANG");
        if (lang == null || lang.isBlank()) lang = Locale.getDefault().getLanguage();
        return forLanguage(lang);
    }

    /** {@code ko} gives Korean; anything else gives English. */
    public static Locale forLanguage(String lang) {
        return lang != null && lang.toLowerCase(Locale.ROOT).startsWith("ko") ? Locale.KOREAN : Locale.ENGLISH;
    }

    /** The text for {@code key} in {@code bundle}, formatted with {@link MessageFormat}; the key itself if missing. */
    public static String text(String bundle, String key, Locale locale, Object... args) {
        String pattern;
        try {
            pattern = ResourceBundle.getBundle(bundle, locale, Messages.class.getClassLoader(), NO_FALLBACK)
                    .getString(key);
        } catch (MissingResourceException e) {
            return args.length == 0 ? key : key + " " + java.util.Arrays.toString(args);
        }
        return new MessageFormat(pattern, locale).format(args);
    }

    public static String format(ErrorCode code, Locale locale, Object... args) {
        return text(code.bundle(), code.code(), locale, args);
    }
}
