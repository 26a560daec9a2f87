package kr.max.library.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SchemaVersionTest {

    @Test
    void schemaVersionConstantMatchesTheNewestMigrationFile() throws IOException {
        try (var files = Files.list(Path.of("src/main/resources/db/catalog"))) {
            int newest = files.map(p -> p.getFileName().toString()).filter(n -> n.matches("V[0-9]+__.*\\.sql"))
                    .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).max().orElse(0);
            assertThat(Catalog.SCHEMA_VERSION).isEqualTo(newest);
        }
    }
}
