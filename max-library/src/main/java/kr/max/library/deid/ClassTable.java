package kr.max.library.deid;

import java.util.Arrays;

/**
 * The equivalence classes of one lattice node: for each class its quasi-identifier codes (flat, {@code q} per
 * class) and its number of rows. Built by adding code tuples, from rows once at the bottom and from another node's
 * classes everywhere else.
 */
final class ClassTable {
    final int q;
    final int[] levels;
    private int[] codes;
    private int[] counts;
    private int[] slots;
    private int size;
    private int mask;

    ClassTable(int q, int[] levels, int expected) {
        this.q = q;
        this.levels = levels.clone();
        int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        slots = new int[cap];
        Arrays.fill(slots, -1);
        mask = cap - 1;
        int initial = Math.max(8, Math.min(expected, cap / 2));
        codes = new int[initial * Math.max(q, 1)];
        counts = new int[initial];
    }

    int size() {
        return size;
    }

    int count(int c) {
        return counts[c];
    }

    int code(int c, int i) {
        return codes[c * q + i];
    }

    /** Adds {@code n} rows with the codes in {@code tuple}; returns the class. */
    int add(int[] tuple, int n) {
        int h = hash(tuple);
        int i = h & mask;
        while (true) {
            int c = slots[i];
            if (c < 0) {
                if (size == counts.length) growArrays();
                System.arraycopy(tuple, 0, codes, size * q, q);
                counts[size] = n;
                slots[i] = size;
                size++;
                if (size * 2 > slots.length) rehash();
                return size - 1;
            }
            if (same(c, tuple)) {
                counts[c] += n;
                return c;
            }
            i = (i + 1) & mask;
        }
    }

    /** Memory held, in ints, for the cache's budget. */
    long footprint() {
        return (long) codes.length + counts.length + (slots == null ? 0 : slots.length);
    }

    /** Drops the hash index: the table is complete and only read from now on. */
    void seal() {
        slots = null;
        codes = Arrays.copyOf(codes, size * q);
        counts = Arrays.copyOf(counts, size);
    }

    private boolean same(int c, int[] tuple) {
        int base = c * q;
        for (int i = 0; i < q; i++) if (codes[base + i] != tuple[i]) return false;
        return true;
    }

    private int hash(int[] tuple) {
        long h = 0x9E3779B97F4A7C15L;
        for (int i = 0; i < q; i++) h = (h ^ tuple[i]) * 0x100000001B3L + (h >>> 29);
        return (int) LongIntMap.mix(h);
    }

    private int hashOf(int c) {
        long h = 0x9E3779B97F4A7C15L;
        int base = c * q;
        for (int i = 0; i < q; i++) h = (h ^ codes[base + i]) * 0x100000001B3L + (h >>> 29);
        return (int) LongIntMap.mix(h);
    }

    private void growArrays() {
        int cap = counts.length * 2;
        counts = Arrays.copyOf(counts, cap);
        codes = Arrays.copyOf(codes, cap * Math.max(q, 1));
    }

    private void rehash() {
        slots = new int[slots.length * 2];
        Arrays.fill(slots, -1);
        mask = slots.length - 1;
        for (int c = 0; c < size; c++) {
            int i = hashOf(c) & mask;
            while (slots[i] >= 0) i = (i + 1) & mask;
            slots[i] = c;
        }
    }
}
