package kr.max.library.deid;

import java.util.Arrays;

/** Dense codes for long keys: open addressing, no boxing. Codes are given in order of first appearance. */
final class LongIntMap {
    private long[] keys;
    private int[] codes;
    private int size;
    private int mask;

    LongIntMap(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        keys = new long[cap];
        codes = new int[cap];
        Arrays.fill(codes, -1);
        mask = cap - 1;
    }

    int size() {
        return size;
    }

    /** The code of {@code key}, a new one ({@link #size()} before the call) if it is new. */
    int code(long key) {
        int i = (int) mix(key) & mask;
        while (true) {
            int c = codes[i];
            if (c < 0) {
                keys[i] = key;
                codes[i] = size;
                if (++size * 2 > keys.length) grow();
                return size - 1;
            }
            if (keys[i] == key) return c;
            i = (i + 1) & mask;
        }
    }

    /** The code of {@code key}, or -1. */
    int get(long key) {
        int i = (int) mix(key) & mask;
        while (true) {
            int c = codes[i];
            if (c < 0) return -1;
            if (keys[i] == key) return c;
            i = (i + 1) & mask;
        }
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldCodes = codes;
        keys = new long[oldKeys.length * 2];
        codes = new int[oldKeys.length * 2];
        Arrays.fill(codes, -1);
        mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldCodes[j] < 0) continue;
            int i = (int) mix(oldKeys[j]) & mask;
            while (codes[i] >= 0) i = (i + 1) & mask;
            keys[i] = oldKeys[j];
            codes[i] = oldCodes[j];
        }
    }

    static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }
}
