package com.conversionrules.http;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Checks a request's path and query before routing: every {@code %} starts two hex digits and what
 * they spell is UTF-8. Vert.x Web answers anything else with a plain-text 400 and a stack trace in
 * the log, which any client without a key could fill.
 */
final class PercentEncoding {
    private PercentEncoding() {
    }

    static boolean isWellFormed(String uri) {
        if (uri == null) {
            return true;
        }
        int percent = uri.indexOf('%');
        if (percent < 0) {
            return true;
        }
        ByteBuffer bytes = ByteBuffer.allocate(uri.length());
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c != '%') {
                if (bytes.position() > 0) {
                    if (!isUtf8(bytes)) {
                        return false;
                    }
                    bytes.clear();
                }
                continue;
            }
            if (i + 2 >= uri.length() || Character.digit(uri.charAt(i + 1), 16) < 0
                    || Character.digit(uri.charAt(i + 2), 16) < 0) {
                return false;
            }
            bytes.put((byte) (Character.digit(uri.charAt(i + 1), 16) * 16 + Character.digit(uri.charAt(i + 2), 16)));
            i += 2;
        }
        return bytes.position() == 0 || isUtf8(bytes);
    }

    private static boolean isUtf8(ByteBuffer bytes) {
        bytes.flip();
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes);
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
