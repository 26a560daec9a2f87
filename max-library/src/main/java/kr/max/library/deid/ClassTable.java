package kr.max.library.deid;

import java.util.Arrays;

/**
 * The equivalence classes of one lattice node: for each class its quasi-identifier codes, packed into a key of one or
 * more longs, and its number of rows. Built by adding keys — from rows once at the bottom, from another node's
 * classes everywhere else — then sealed into dense arrays.
 *
 * <p>While building, a slot of the open-addressing table holds the key itself, its class number and its rows side by
 * side in one array, so a probe reads one cache line and never follows a pointer: at a million classes the probes are
 * cache misses, and this keeps them to one each.
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
    /** While building: per slot the key's words, then one word of (class << 32 | rows); 0 rows = empty slot. */
    private long[] slots;
    private final int stride;
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
        this.stride = w + 1;
        int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        slots = new long[cap * stride];
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
            int base = i * stride;
            long meta = slots[base + w];
            if (meta == 0) {
                System.arraycopy(key, 0, slots, base, w);
                slots[base + w] = ((long) size << 32) | n;
                int c = size++;
                if (size * 2 > slotMask + 1) grow();
                return c;
            }
            if (sameKey(base, key)) {
                slots[base + w] = meta + n; // rows in the low word, at most the table's row count
                return (int) (meta >>> 32);
            }
            i = (i + 1) & slotMask;
        }
    }

    /** Ends building: the classes move to dense arrays in class order and the hash table is dropped. */
    void seal() {
        keys = new long[size * w];
        counts = new int[size];
        for (int base = 0; base < slots.length; base += stride) {
            long meta = slots[base + w];
            if (meta == 0) continue;
            int c = (int) (meta >>> 32);
            counts[c] = (int) meta;
            System.arraycopy(slots, base, keys, c * w, w);
        }
        slots = null;
        sealed = true;
    }

    /** Memory held, in ints, for the cache's budget. */
    long footprint() {
        return sealed ? (long) size * (2L * w + 1) : 2L * slots.length;
    }

    private boolean sameKey(int base, long[] key) {
        for (int j = 0; j < w; j++) if (slots[base + j] != key[j]) return false;
        return true;
    }

    private int hash(long[] key, int from) {
        if (w == 1) return (int) LongIntMap.mix(key[from]);
        long h = 0;
        for (int j = 0; j < w; j++) h = LongIntMap.mix(h ^ key[from + j]) + j;
        return (int) h;
    }

    private void grow() {
        long[] old = slots;
        int cap = (slotMask + 1) * 2;
        slots = new long[cap * stride];
        slotMask = cap - 1;
        for (int base = 0; base < old.length; base += stride) {
            if (old[base + w] == 0) continue;
            int i = hash(old, base) & slotMask;
            while (slots[i * stride + w] != 0) i = (i + 1) & slotMask;
            System.arraycopy(old, base, slots, i * stride, stride);
        }
    }

    @Override
    public String toString() {
        return "ClassTable" + Arrays.toString(levels) + "[" + size + " classes]";
    }
}
