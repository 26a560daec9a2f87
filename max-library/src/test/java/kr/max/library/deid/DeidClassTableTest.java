package kr.max.library.deid;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DeidClassTableTest {

    @Test
    void codesThatNeedMoreThanOneLongKeepTheirClassesApartAndTheirCounts() {
        int[] counts = {1 << 30, 3, 1 << 30, 1, 1 << 25, 1000};
        var layout = new ClassTable.Layout(counts);
        assertThat(layout.words).isEqualTo(2);
        var rnd = new Random(5);
        var table = new ClassTable(layout, new int[counts.length], 16); // small: it must grow many times
        var oracle = new HashMap<List<Integer>, Integer>();
        var classOf = new HashMap<List<Integer>, Integer>();
        long[] key = new long[layout.words];
        for (int r = 0; r < 50_000; r++) {
            int[] codes = new int[counts.length];
            for (int i = 0; i < counts.length; i++) {
                // few distinct values per column, so classes repeat, with codes up to the top bits
                codes[i] = counts[i] == 1 ? 0 : counts[i] - 1 - rnd.nextInt(Math.min(counts[i], 3));
            }
            Arrays.fill(key, 0);
            for (int i = 0; i < counts.length; i++) layout.put(key, i, codes[i]);
            int c = table.add(key, 1);
            List<Integer> t = Arrays.stream(codes).boxed().toList();
            oracle.merge(t, 1, Integer::sum);
            assertThat(classOf.computeIfAbsent(t, x -> c)).isEqualTo(c);
        }
        table.seal();
        assertThat(table.size()).isEqualTo(oracle.size());
        for (var e : classOf.entrySet()) {
            int c = e.getValue();
            var codes = new ArrayList<Integer>();
            for (int i = 0; i < counts.length; i++) codes.add(table.code(c, i));
            assertThat(codes).isEqualTo(e.getKey());
            assertThat(table.count(c)).isEqualTo(oracle.get(e.getKey()));
        }
    }
}
