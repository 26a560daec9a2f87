package kr.max.library.deid;

import java.util.Arrays;

/**
 * The equivalence classes of one lattice node: for each class its quasi-identifier codes, packed into a key of one or
 * more longs, and its number of rows. Built by adding keys — from rows once at the bottom, from another node's
 * classes everywhere else — then sealed into dense arrays.
 *
 * <p>While building, a slot of the open-addressing table holds the key itself, its count and its class number, so a
 * probe reads one slot (three arrays at one index) and never follows a pointer: at a million classes the probes are
 * cache misses, and independent misses overlap.
 */
final class ClassTable {

    /** Where each quasi-identifier's code sits in a key: which long, which bits. */
    static final class Layout {
        final int q;
        final int words;
        final int[] word;
        final int[] shift;
        final long[] mask;

        /** A layout for codes below {@code codeCounts[i]}. */
        Layout(int[] codeCounts) {
            q = codeCounts.length;
            word = new int[q];
            shift = new int[q];
            mask = new long[q];
            int w = 0;
            int used = 0;
            for (int i = 0; i < q; i++) {
                int bits = codeCounts[i] <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(codeCounts[i] - 1);
                if (used + bits > 64) {
                    w++;
                    used = 0;
                }
                word[i] = w;
                shift[i] = used;
                mask[i] = bits == 0 ? 0 : bits == 64 ? -1L : (1L << bits) - 1;
                used += bits;
            }
            words = w + 1;
        }

        int code(long[] keys, int base, int i) {
            return (int) ((keys[base + word[i]] >>> shift[i]) & mask[i]);
        }

        void put(long[] key, int i, int code) {
            key[word[i]] |= (long) code << shift[i];
        }
    }

    final Layout layout;
    final int[] levels;
    private final int w;
    // building
    private long[] slotKeys;
    private int[] slotCounts;
    private int[] slotClass;
    private int slotMask;
    // classes
    private long[] keys;
    private int[] counts;
    private int size;
    private boolean sealed;

    ClassTable(Layout layout, int[] levels, int expected) {
        this.layout = layout;
        this.levels = levels.clone();
        this.w = layout.words;
        int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        slotKeys = new long[cap * w];
        slotCounts = new int[cap];
        slotClass = new int[cap];
        slotMask = cap - 1;
    }

    int size() {
        return size;
    }

    int count(int c) {
        return counts[c];
    }

    int code(int c, int i) {
        return layout.code(keys, c * w, i);
    }

    /** The key words of class {@code c} start at {@code c * layout.words} in this array. */
    long[] keys() {
        return keys;
    }

    /** Adds {@code n ≥ 1} rows with {@code key}; returns their class. */
    int add(long[] key, int n) {
        int i = hash(key, 0) & slotMask;
        while (true) {
            int count = slotCounts[i];
            if (count == 0) {
                System.arraycopy(key, 0, slotKeys, i * w, w);
                slotCounts[i] = n;
                slotClass[i] = size;
                int c = size++;
                if (size * 2 > slotCounts.length) grow();
                return c;
            }
            if (sameKey(i, key)) {
                slotCounts[i] = count + n;
                return slotClass[i];
            }
            i = (i + 1) & slotMask;
        }
    }

    /** Ends building: the classes move to dense arrays in class order and the hash table is dropped. */
    void seal() {
        keys = new long[size * w];
        counts = new int[size];
        for (int i = 0; i < slotCounts.length; i++) {
            if (slotCounts[i] == 0) continue;
            int c = slotClass[i];
            counts[c] = slotCounts[i];
            System.arraycopy(slotKeys, i * w, keys, c * w, w);
        }
        slotKeys = null;
        slotCounts = null;
        slotClass = null;
        sealed = true;
    }

    /** Memory held, in ints, for the cache's budget. */
    long footprint() {
        return sealed ? (long) size * (2L * w + 1) : (long) slotCounts.length * (2L * w + 2);
    }

    private boolean sameKey(int slot, long[] key) {
        int base = slot * w;
        for (int j = 0; j < w; j++) if (slotKeys[base + j] != key[j]) return false;
        return true;
    }

    private static int hash(long[] key, int base, int w) {
        long h = 0;
        for (int j = 0; j < w; j++) h = LongIntMap.mix(h ^ key[base + j]) + j;
        return (int) h;
    }

    private int hash(long[] key, int base) {
        return w == 1 ? (int) LongIntMap.mix(key[base]) : hash(key, base, w);
    }

    private void grow() {
        long[] oldKeys = slotKeys;
        int[] oldCounts = slotCounts;
        int[] oldClass = slotClass;
        int cap = oldCounts.length * 2;
        slotKeys = new long[cap * w];
        slotCounts = new int[cap];
        slotClass = new int[cap];
        slotMask = cap - 1;
        for (int s = 0; s < oldCounts.length; s++) {
            if (oldCounts[s] == 0) continue;
            int i = hash(oldKeys, s * w) & slotMask;
            while (slotCounts[i] != 0) i = (i + 1) & slotMask;
            System.arraycopy(oldKeys, s * w, slotKeys, i * w, w);
            slotCounts[i] = oldCounts[s];
            slotClass[i] = oldClass[s];
        }
    }

    @Override
    public String toString() {
        return "ClassTable" + Arrays.toString(levels) + "[" + size + " classes]";
    }
}
