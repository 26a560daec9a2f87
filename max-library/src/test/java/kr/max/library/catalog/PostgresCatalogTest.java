package kr.max.library.catalog;

import kr.max.library.PostgresExtension;

class PostgresCatalogTest extends CatalogContractTest {

    @org.junit.jupiter.api.extension.RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();
    private static int databases;


    @Override
    protected Catalog newCatalog() throws Exception {
        // Each test gets an empty schema in the class's database.
        String schema = "t" + (++databases);
        try (var c = java.sql.DriverManager.getConnection(PG.url()); var st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
        }
        String url = PG.url() + (PG.url().contains("?") ? "&" : "?") + "currentSchema=" + schema;
        return Catalog.open(url, null, null);
    }
}
