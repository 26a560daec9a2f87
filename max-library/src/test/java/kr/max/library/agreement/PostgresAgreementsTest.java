package kr.max.library.agreement;

import kr.max.library.PostgresExtension;
import kr.max.library.catalog.Catalog;

class PostgresAgreementsTest extends AgreementsContractTest {

    @org.junit.jupiter.api.extension.RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    @Override
    protected Catalog newCatalog() throws Exception {
        return Catalog.open(PG.freshSchemaUrl(), null, null);
    }
}
