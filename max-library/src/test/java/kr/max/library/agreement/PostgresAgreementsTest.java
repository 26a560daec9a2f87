package kr.max.library.agreement;

import kr.max.library.PostgresExtension;
import kr.max.library.catalog.Catalog;

class PostgresAgreementsTest extends AgreementsContractTest {

    @org.junit.jupiter.api.extension.RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();
    private static int databases;

    @Override
    protected Catalog newCatalog() throws Exception {
        // Each test gets an empty schema in the class's database.
        String schema = "a" + (++databases);
        try (var c = java.sql.DriverManager.getConnection(PG.url()); var st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
        }
        String url = PG.url() + (PG.url().contains("?") ? "&" : "?") + "currentSchema=" + schema;
        return Catalog.open(url, null, null);
    }
}
