package kr.max.library.model;

import kr.max.library.PostgresExtension;
import kr.max.library.catalog.Catalog;

class PostgresModelCatalogTest extends ModelCatalogContractTest {

    @org.junit.jupiter.api.extension.RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    @Override
    protected Catalog newCatalog() throws Exception {
        return Catalog.open(PG.freshSchemaUrl(), null, null);
    }
}
