package com.conversionrules.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-written UTF-8 check agrees with the JDK's strict decoder, byte for byte. */
class Utf8Test {
    @Test
    void agreesWithTheJdkDecoderOnEveryTwoByteAndThreeByteSequence() {
        byte[] bytes = new byte[3];
        for (int a = 0; a < 256; a++) {
            for (int b = 0; b < 256; b++) {
                for (int c : new int[] {0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xff}) {
                    bytes[0] = (byte) a;
                    bytes[1] = (byte) b;
                    bytes[2] = (byte) c;
                    assertEquals(jdkAccepts(bytes), Utf8.firstMalformed(bytes, 0, 3) < 0,
                            String.format("%02x %02x %02x", a, b, c));
                }
            }
        }
    }

    @Test
    void agreesWithTheJdkDecoderOnRandomText() {
        Random random = new Random(14);
        for (int round = 0; round < 200_000; round++) {
            byte[] bytes = new byte[1 + random.nextInt(8)];
            for (int i = 0; i < bytes.length; i++) {
                // Mostly bytes that can form or almost form multi-byte sequences.
                bytes[i] = (byte) (random.nextBoolean() ? 0x80 + random.nextInt(0x80) : random.nextInt(256));
            }
            assertEquals(jdkAccepts(bytes), Utf8.firstMalformed(bytes, 0, bytes.length) < 0,
                    java.util.HexFormat.ofDelimiter(" ").formatHex(bytes));
        }
    }

    @Test
    void pointsAtTheFirstByteOfTheBadSequence() {
        byte[] text = {'o', 'k', (byte) 0xe2, (byte) 0x82, (byte) 0xac, (byte) 0xc0, (byte) 0xaf, 'x'};
        assertEquals(5, Utf8.firstMalformed(text, 0, text.length));
        assertEquals(-1, Utf8.firstMalformed(text, 0, 5));
        assertEquals(2, Utf8.firstMalformed(text, 0, 4), "a sequence cut short by the end");
    }

    private static boolean jdkAccepts(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
