package kr.max.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Every message bundle of every module on the classpath: Korean and English have the same keys, and
 * every message formats without a placeholder left over (a lone apostrophe in MessageFormat silently
 * swallows what follows it).
 */
class BundlesTest {

    static final List<String> BUNDLES = List.of("kr/max/cli/messages", "kr/max/cli/usage", "kr/max/server/messages",
            "kr/max/core/messages", "kr/max/library/catalog/messages", "kr/max/library/crypto/messages",
            "kr/max/library/ingest/messages", "kr/max/library/policy/messages", "kr/max/library/query/messages",
            "kr/max/library/store/messages", "kr/max/library/identity/messages", "kr/max/library/safezone/messages",
            "kr/max/library/agreement/messages", "kr/max/library/share/messages", "kr/max/library/deid/messages",
            "kr/max/library/fingerprint/messages", "kr/max/library/model/messages", "kr/max/models/messages");

    static Properties load(String resource) throws IOException {
        URL url = BundlesTest.class.getClassLoader().getResource(resource);
        assertThat(url).as(resource).isNotNull();
        var p = new Properties();
        try (var in = new InputStreamReader(url.openStream(), StandardCharsets.UTF_8)) {
            p.load(in);
        }
        return p;
    }

    static List<String> keys(Properties p) {
        return p.stringPropertyNames().stream().filter(k -> !k.startsWith("usage.")).toList();
    }

    @Test
    void koreanAndEnglishHaveTheSameKeysAndEveryMessageFormatsCompletely() throws IOException {
        var problems = new ArrayList<String>();
        for (String bundle : BUNDLES) {
            Properties en = load(bundle + ".properties");
            Properties ko = load(bundle + "_ko.properties");
            // picocli's own headings (usage.*) are translated where Korean needs them; English keeps picocli's
            assertThat(keys(ko)).as(bundle + " keys").containsExactlyInAnyOrderElementsOf(keys(en));
            for (Properties p : List.of(en, ko)) {
                for (String key : Collections.list(p.propertyNames()).stream().map(Object::toString).toList()) {
                    String pattern = p.getProperty(key);
                    if (!pattern.contains("{")) continue; // picocli usage text without arguments is not a MessageFormat
                    String text = new MessageFormat(pattern, Locale.ROOT).format(new Object[]{1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
                    if (text.matches("(?s).*\\{[0-9]}.*")) problems.add(bundle + " " + key + ": " + text);
                }
            }
        }
        assertThat(problems).isEmpty();
    }
}
