package kr.max.library.catalog;

import kr.max.library.PostgresExtension;

class PostgresCatalogTest extends CatalogContractTest {

    @org.junit.jupiter.api.extension.RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    @Override
    protected Catalog newCatalog() throws Exception {
        return Catalog.open(PG.freshSchemaUrl(), null, null);
    }
}
