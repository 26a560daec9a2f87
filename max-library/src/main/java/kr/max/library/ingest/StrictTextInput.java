package kr.max.library.ingest;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.util.Arrays;

/**
 * Decodes bytes to characters strictly: a byte sequence the charset cannot decode is neither a crash nor a silent
 * replacement. It becomes U+FFFD in the text <em>and</em> its absolute character position is remembered, so the
 * reader can report {@link IngestError#BAD_ENCODING} on the row (and line) that holds it. A genuine U+FFFD in the
 * file is not reported, because only remembered positions count.
 */
final class StrictTextInput implements Closeable {

    private static final int BYTE_BUFFER = 1 << 16;

    private final InputStream in;
    private final CharsetDecoder decoder;
    private final ByteBuffer bytes = ByteBuffer.allocate(BYTE_BUFFER).flip();
    private boolean endOfBytes;
    private boolean done;
    private long charsDelivered;

    // Queue of undecodable places not yet claimed by a row: absolute char position and the bytes in hex.
    private long[] badPositions = new long[8];
    private String[] badBytes = new String[8];
    private int badHead;
    private int badTail;

    StrictTextInput(InputStream in, Charset charset) {
        this.in = in;
        this.decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    /**
     * Reads up to {@code len} (at least 2) characters into {@code dst}; returns how many, or -1 at the end.
     */
    int read(char[] dst, int off, int len) throws IOException {
        if (done) return -1;
        CharBuffer out = CharBuffer.wrap(dst, off, len);
        while (out.hasRemaining()) {
            CoderResult r = decoder.decode(bytes, out, endOfBytes);
            if (r.isOverflow()) break;
            if (r.isUnderflow()) {
                if (endOfBytes) {
                    if (decoder.flush(out).isOverflow()) break;
                    done = true;
                    break;
                }
                readMoreBytes();
                continue;
            }
            if (!out.hasRemaining()) break; // report it on the next call, with room for the replacement
            rememberBadBytes(charsDelivered + out.position() - off, r.length());
            out.put('\uFFFD');
        }
        int produced = out.position() - off;
        charsDelivered += produced;
        return produced == 0 && done ? -1 : produced;
    }

    /** Absolute character position of the oldest unclaimed undecodable place, or {@link Long#MAX_VALUE}. */
    long firstBadPosition() {
        return badHead == badTail ? Long.MAX_VALUE : badPositions[badHead];
    }

    /** Removes the oldest unclaimed undecodable place and returns its bytes in hex ({@code 0xC3 0x28}). */
    String takeBadBytes() {
        String hex = badBytes[badHead];
        badBytes[badHead] = null;
        badHead++;
        if (badHead == badTail) badHead = badTail = 0;
        return hex;
    }

    private void readMoreBytes() throws IOException {
        bytes.compact();
        int n = in.read(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
        if (n < 0) endOfBytes = true;
        else bytes.position(bytes.position() + n);
        bytes.flip();
    }

    private void rememberBadBytes(long charPosition, int length) {
        var hex = new StringBuilder();
        int p = bytes.position();
        for (int i = 0; i < length; i++) {
            if (i > 0) hex.append(' ');
            hex.append(String.format("0x%02X", bytes.get(p + i) & 0xFF));
        }
        bytes.position(p + length);
        if (badTail == badPositions.length) {
            if (badHead > 0) {
                int n = badTail - badHead;
                System.arraycopy(badPositions, badHead, badPositions, 0, n);
                System.arraycopy(badBytes, badHead, badBytes, 0, n);
                Arrays.fill(badBytes, n, badTail, null);
                badHead = 0;
                badTail = n;
            } else {
                badPositions = Arrays.copyOf(badPositions, badPositions.length * 2);
                badBytes = Arrays.copyOf(badBytes, badBytes.length * 2);
            }
        }
        badPositions[badTail] = charPosition;
        badBytes[badTail] = hex.toString();
        badTail++;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
