package com.conversionrules.http;

/**
 * Strict UTF-8, as RFC 3629 defines it. Jackson decodes overlong forms ({@code C0 AF} for "/"),
 * encoded surrogates and code points past U+10FFFF without a word, so a body could spell the same
 * text two ways or carry text no other reader accepts. One pass, no allocation; ASCII goes fast.
 */
final class Utf8 {
    private Utf8() {
    }

    /** The index of the first byte that does not belong to well-formed UTF-8, or -1 when all do. */
    static int firstMalformed(byte[] bytes, int from, int to) {
        int i = from;
        while (i < to) {
            int b = bytes[i];
            if (b >= 0) {
                i++;
                continue;
            }
            int lead = b & 0xff;
            int length;
            int min;
            int max = 0xbf;
            if (lead >= 0xc2 && lead <= 0xdf) {
                length = 2;
                min = 0x80;
            } else if (lead >= 0xe0 && lead <= 0xef) {
                length = 3;
                // E0 needs A0..BF (else overlong); ED needs 80..9F (else a surrogate).
                min = lead == 0xe0 ? 0xa0 : 0x80;
                max = lead == 0xed ? 0x9f : 0xbf;
            } else if (lead >= 0xf0 && lead <= 0xf4) {
                length = 4;
                // F0 needs 90..BF (else overlong); F4 needs 80..8F (else past U+10FFFF).
                min = lead == 0xf0 ? 0x90 : 0x80;
                max = lead == 0xf4 ? 0x8f : 0xbf;
            } else {
                return i; // a continuation byte with no lead, C0/C1 (always overlong), or F5..FF
            }
            if (i + length > to) {
                return i;
            }
            int second = bytes[i + 1] & 0xff;
            if (second < min || second > max) {
                return i;
            }
            for (int k = 2; k < length; k++) {
                int next = bytes[i + k] & 0xff;
                if (next < 0x80 || next > 0xbf) {
                    return i;
                }
            }
            i += length;
        }
        return -1;
    }
}
