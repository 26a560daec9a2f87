package kr.max.library.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A column name broken into lower-case words, for the role, unit and description rules.
 *
 * <p>{@code Barrel_Temperature_1} → {@code barrel, temperature, 1}; {@code PassOrFail} → {@code pass, or, fail};
 * {@code EQUIP_CD} → {@code equip, cd}; {@code 설비명} → {@code 설비명}. The <em>head</em> is the word the name is
 * about, which in English and Korean alike comes last: {@code Machine_Temperature} is a temperature, not a machine,
 * and {@code 설비온도} is a 온도. Trailing numbers and identifier words ({@code cd}, {@code name}, {@code no}, 명,
 * 코드, 번호) are passed over, so {@code EQUIP_CD}'s head is {@code equip} and {@code 작업자명}'s Korean head is 작업자.
 *
 * @param original the name as given
 * @param words    lower-case words in order
 * @param joined   the words run together ({@code passorfail}, {@code timestamp}, {@code moldcode})
 * @param head     the last word that is neither a number nor an identifier word (else the last non-number)
 * @param lastWord the last word that is not a number ({@code id} for {@code _id})
 * @param korean   the Hangul part of the name run together ({@code 설정온도}), empty when none
 * @param koreanHead {@link #korean} without a trailing identifier word ({@code 작업자명} → {@code 작업자})
 */
record ColumnName(String original, List<String> words, String joined, String head, String lastWord, String korean,
                  String koreanHead) {

    private static final Set<String> IDENTIFIER_WORDS = Set.of("id", "cd", "code", "name", "nm", "no", "num", "number");
    private static final String[] KOREAN_IDENTIFIER_WORDS = {"명칭", "이름", "코드", "번호", "아이디", "명"};

    static ColumnName of(String name) {
        List<String> words = split(name);
        String joined = String.join("", words);
        String lastWord = "";
        String head = "";
        for (int i = words.size() - 1; i >= 0; i--) {
            String w = words.get(i);
            if (isNumber(w)) continue;
            if (lastWord.isEmpty()) lastWord = w;
            if (!IDENTIFIER_WORDS.contains(w)) {
                head = w;
                break;
            }
        }
        if (head.isEmpty()) head = lastWord;
        var korean = new StringBuilder();
        for (String w : words) if (isHangul(w.charAt(0))) korean.append(w);
        String k = korean.toString();
        String koreanHead = k;
        for (String suffix : KOREAN_IDENTIFIER_WORDS) {
            if (k.length() > suffix.length() && k.endsWith(suffix)) {
                koreanHead = k.substring(0, k.length() - suffix.length());
                break;
            }
        }
        return new ColumnName(name, List.copyOf(words), joined, head, lastWord, k, koreanHead);
    }

    boolean hasWord(String... candidates) {
        for (String c : candidates) if (words.contains(c)) return true;
        return false;
    }

    boolean headIs(String... candidates) {
        for (String c : candidates) if (head.equals(c)) return true;
        return false;
    }

    boolean lastWordIs(String... candidates) {
        for (String c : candidates) if (lastWord.equals(c)) return true;
        return false;
    }

    boolean joinedIs(String... candidates) {
        for (String c : candidates) if (joined.equals(c)) return true;
        return false;
    }

    boolean koreanContains(String... candidates) {
        for (String c : candidates) if (korean.contains(c)) return true;
        return false;
    }

    boolean koreanHeadEndsWith(String... candidates) {
        for (String c : candidates) if (!koreanHead.isEmpty() && koreanHead.endsWith(c)) return true;
        return false;
    }

    boolean koreanEndsWith(String... candidates) {
        for (String c : candidates) if (!korean.isEmpty() && korean.endsWith(c)) return true;
        return false;
    }

    /** Splits at separators, lower→upper case changes, before the last capital of a run of capitals, and between letters, digits and Hangul. */
    static List<String> split(String name) {
        var words = new ArrayList<String>();
        var current = new StringBuilder();
        int n = name.length();
        int previousKind = 0;
        for (int i = 0; i < n; i++) {
            char c = name.charAt(i);
            int kind = kind(c);
            if (kind == 0) {
                flush(current, words);
                previousKind = 0;
                continue;
            }
            boolean boundary = false;
            if (previousKind != 0 && !current.isEmpty()) {
                if (kind != previousKind && !(previousKind == UPPER && kind == LOWER)) boundary = true;
                // "XMLFile": a capital followed by a lower-case letter after capitals starts a new word.
                if (previousKind == UPPER && kind == UPPER && i + 1 < n && kind(name.charAt(i + 1)) == LOWER) boundary = true;
            }
            if (boundary) flush(current, words);
            current.append(c);
            previousKind = kind;
        }
        flush(current, words);
        return words;
    }

    private static final int LOWER = 1;
    private static final int UPPER = 2;
    private static final int DIGIT = 3;
    private static final int HANGUL = 4;
    private static final int OTHER_LETTER = 5;

    private static int kind(char c) {
        if (c >= 'a' && c <= 'z') return LOWER;
        if (c >= 'A' && c <= 'Z') return UPPER;
        if (c >= '0' && c <= '9') return DIGIT;
        if (isHangul(c)) return HANGUL;
        if (Character.isLetter(c)) return Character.isUpperCase(c) ? UPPER : Character.isLowerCase(c) ? LOWER : OTHER_LETTER;
        return 0;
    }

    private static boolean isHangul(char c) {
        return c >= '\uAC00' && c <= '\uD7A3' || c >= '\u3131' && c <= '\u318E';
    }

    private static boolean isNumber(String w) {
        return !w.isEmpty() && w.chars().allMatch(ch -> ch >= '0' && ch <= '9');
    }

    private static void flush(StringBuilder current, List<String> words) {
        if (!current.isEmpty()) {
            words.add(current.toString().toLowerCase(Locale.ROOT));
            current.setLength(0);
        }
    }
}
