package kr.max.library.stream;

import kr.max.library.PostgresExtension;
import kr.max.library.catalog.Catalog;

class PostgresStreamCatalogTest extends StreamCatalogContractTest {

    @org.junit.jupiter.api.extension.RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    @Override
    protected Catalog newCatalog() throws Exception {
        return Catalog.open(PG.freshSchemaUrl(), null, null);
    }
}
