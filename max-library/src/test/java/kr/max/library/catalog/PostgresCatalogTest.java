package kr.max.library.catalog;

import kr.max.library.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class PostgresCatalogTest extends CatalogContractTest {

    private static TestPostgres pg;
    private static int databases;

    @BeforeAll
    static void startPostgres() throws Exception {
        pg = TestPostgres.startOrSkip();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        TestPostgres.stop(pg);
    }

    @Override
    protected Catalog newCatalog() throws Exception {
        // Each test gets an empty schema in the class's database.
        String schema = "t" + (++databases);
        try (var c = java.sql.DriverManager.getConnection(pg.url()); var st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
        }
        String url = pg.url() + (pg.url().contains("?") ? "&" : "?") + "currentSchema=" + schema;
        return Catalog.open(url, null, null);
    }
}
