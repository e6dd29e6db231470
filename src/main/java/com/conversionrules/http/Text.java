package com.conversionrules.http;

/**
 * Unicode checks. JSON escapes can spell a lone UTF-16 surrogate ({@code "\ud800"}), which no UTF-8
 * writer accepts: stored or echoed back, such text would fail later, far from the request.
 */
final class Text {
    private Text() {
    }

    static boolean isWellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** The text with every lone surrogate replaced by U+FFFD, safe to write into any reply. */
    static String wellFormed(String text) {
        if (text == null || isWellFormed(text)) {
            return text;
        }
        StringBuilder clean = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                clean.append(c).append(text.charAt(++i));
            } else {
                clean.append(Character.isSurrogate(c) ? '\ufffd' : c);
            }
        }
        return clean.toString();
    }

    /** How many bytes the text takes as UTF-8, without encoding it. */
    static int utf8Length(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
