package kr.max.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The whole platform on one classpath, as the benchmarks and a server that also runs the factory layer see it:
 * libraries pulled in by different modules must not bring two versions of the same classes.
 */
class ClasspathTest {

    @Test
    void theCatalogsH2AndItsMvStoreComeFromOneJar() throws Exception {
        // Moquette (MQTT) depends on MVStore 2.1; the catalog on H2 2.5: mixed, opening a library fails with NoSuchMethodError.
        var driver = Class.forName("org.h2.Driver").getProtectionDomain().getCodeSource().getLocation();
        var mvstore = Class.forName("org.h2.mvstore.tx.TransactionMap").getProtectionDomain().getCodeSource().getLocation();
        assertThat(mvstore).isEqualTo(driver);
        assertThat(System.getProperty("java.class.path")).doesNotContain("h2-mvstore");
    }
}
