package kr.max.library.stream;

import java.nio.file.Path;
import kr.max.library.catalog.Catalog;
import org.junit.jupiter.api.io.TempDir;

class H2StreamCatalogTest extends StreamCatalogContractTest {

    @TempDir
    Path dir;

    @Override
    protected Catalog newCatalog() {
        return Catalog.open("jdbc:h2:file:" + dir.resolve("catalog").toAbsolutePath(), null, null);
    }
}
