package kr.max.library.catalog;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class H2CatalogTest extends CatalogContractTest {

    @TempDir
    Path dir;

    @Override
    protected Catalog newCatalog() {
        return Catalog.open("jdbc:h2:file:" + dir.resolve("catalog").toAbsolutePath(), null, null);
    }
}
