package dev.orderpipeline.domain.model;

/**
 * The character rules of every free-text field of an order (address fields, attribute names and values).
 *
 * <p>The order travels as an SQS message, a DynamoDB item and (in part) an EventBridge event. SQS accepts only the
 * XML 1.0 {@code Char} production (#x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]); a text
 * outside it is refused by the queue after intake already validated it, which is why this class decides at intake.
 * Of that set the project also refuses every C0 and C1 control character (including TAB, LF, CR and DEL): they are
 * never part of a name, an address or a label, and they break logs and CSV exports. So a text is acceptable when
 * every code point is in [U+0020-U+007E], [U+00A0-U+D7FF], [U+E000-U+FFFD] or [U+10000-U+10FFFF]: a lone
 * surrogate, U+FFFE and U+FFFF are refused.
 *
 * <p>Lengths are counted in Unicode code points ({@link #length}), not UTF-16 units: "256 characters" holds 256
 * emoji as well as 256 letters. The byte size stays bounded (at most 4 UTF-8 bytes per code point).
 */
public final class Text {
    private Text() {
    }

    /** True when every code point of {@code s} is one the pipeline carries (see the class comment). */
    public static boolean isAcceptable(String s) {
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (!isAcceptable(cp)) {
                return false;
            }
            i += Character.charCount(cp);
        }
        return true;
    }

    /** True for a code point of XML 1.0 {@code Char} that is not a C0/C1 control; false for any surrogate. */
    public static boolean isAcceptable(int cp) {
        return (cp >= 0x20 && cp <= 0x7E)
                || (cp >= 0xA0 && cp <= 0xD7FF)
                || (cp >= 0xE000 && cp <= 0xFFFD)
                || (cp >= 0x10000 && cp <= 0x10FFFF);
    }

    /** The length in Unicode code points; a lone surrogate counts as one. */
    public static int length(String s) {
        return s.codePointCount(0, s.length());
    }

    /** Acceptable characters, and between {@code min} and {@code max} code points long. */
    public static boolean isAcceptable(String s, int min, int max) {
        if (s == null) {
            return false;
        }
        // cheap bound first: code points <= UTF-16 units <= 2 * code points
        if (s.length() < min || s.length() > 2 * max) {
            return false;
        }
        int length = length(s);
        return length >= min && length <= max && isAcceptable(s);
    }
}
