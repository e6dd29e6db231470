package com.conversionrules.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/** Generated bad input from one seeded {@link Random}: the same seed gives the same requests. */
final class Garbage {
    /** What a field holds, so a mutation can pick a value that is wrong for it. */
    enum Kind { ID, TEXT, ENUM, TIME, OBJECT, NUMBER, ARRAY, ITEM }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectWriter ESCAPING = new ObjectMapper().writer().with(JsonWriteFeature.ESCAPE_NON_ASCII);
    private static final String ALPHABET = "abcXYZ019 _-./:@+=\\\"'{}[],<>?%&#\u00e9\u00fc\u4e2d\u0000\u200b\u202e\ud83d\ude00";

    private final Random random;

    Garbage(Random random) {
        this.random = random;
    }

    int nextInt(int bound) {
        return random.nextInt(bound);
    }

    <T> T pick(List<T> options) {
        return options.get(random.nextInt(options.size()));
    }

    /** A body that is not a valid request to any route: bytes, non-objects, nesting, huge or broken text. */
    byte[] body() {
        return switch (random.nextInt(9)) {
            case 0 -> bytes(random.nextInt(2000));
            case 1 -> json(randomValue(4)).getBytes(StandardCharsets.UTF_8);
            case 2 -> json(randomObject(5)).getBytes(StandardCharsets.UTF_8);
            case 3 -> pick(List.of("", " ", "null", "true", "123", "\"123\"", "[]", "{}", "{", "}", "{\"a\":}",
                    "{\"a\":1}{\"b\":2}", "{'id':'x'}", "{\"id\":\"x\",}", "[{}]", "1e99999", "-0", "NaN",
                    "{\"events\":null}", "{\"batch\":null}")).getBytes(StandardCharsets.UTF_8);
            case 4 -> nested(random.nextBoolean() ? 2_000 : 50_000).getBytes(StandardCharsets.UTF_8);
            case 5 -> ("{\"id\":\"" + "x".repeat(1_100_000) + "\"}").getBytes(StandardCharsets.UTF_8);
            case 6 -> invalidUtf8();
            case 7 -> ("{\"id\":\"\\ud800\",\"name\":\"\\udfff\",\"userId\":\"\\ud800x\"}").getBytes(StandardCharsets.UTF_8);
            default -> bigNumbers().getBytes(StandardCharsets.UTF_8);
        };
    }

    /** A value that is wrong for a field of the given kind. */
    JsonNode wrongFor(Kind kind) {
        List<JsonNode> wrongTypes = List.of(NODES.numberNode(random.nextInt()), NODES.booleanNode(random.nextBoolean()),
                NODES.arrayNode().add("x"), NODES.objectNode().put("x", 1), NODES.numberNode(1.5e300));
        return switch (kind) {
            case ID -> random.nextInt(3) == 0 ? pick(wrongTypes) : NODES.textNode(pick(List.of("", "   ",
                    "has space", "slash/x", "\u00fcn\u00ef", "x".repeat(257 + random.nextInt(5000)), "\ud800",
                    "tab\tx", "new\nline", "\u0000", text(1 + random.nextInt(40)) + " ")));
            case TEXT -> random.nextInt(3) == 0 ? pick(wrongTypes) : NODES.textNode(pick(List.of("", "   ", "\t\n",
                    "y".repeat(513 + random.nextInt(5000)), "a\ud800b", "\udc00")));
            case ENUM -> random.nextInt(3) == 0 ? pick(wrongTypes) : NODES.textNode(pick(List.of("", "bogus",
                    "MULTI_TOUCH", "x".repeat(100), "\ud800")));
            case TIME -> random.nextInt(4) == 0 ? pick(wrongTypes) : NODES.textNode(pick(List.of("yesterday",
                    "2026-13-01T00:00:00Z", "1999-12-31T23:59:59Z", "2100-01-01T00:00:00Z", "2099-01-01T00:00:00Z",
                    "2026-11-02T10:00:00", "+999999999-12-31T23:59:59Z", "1700000000", "", "2026-11-02",
                    "2026-11-02T25:00:00Z", "0000-01-01T00:00:00Z")));
            case OBJECT -> pick(List.of(NODES.textNode("{}"), NODES.numberNode(5), NODES.arrayNode(),
                    NODES.booleanNode(true), deepObject(40 + random.nextInt(200)),
                    NODES.objectNode().put("blob", "z".repeat(40_000)),
                    NODES.objectNode().put("k\ud800", "v"), NODES.objectNode().put("k", "v\udc00")));
            case NUMBER -> pick(List.of(NODES.textNode("abc"), NODES.textNode("NaN"), NODES.textNode("Infinity"),
                    NODES.textNode("1e400"), NODES.booleanNode(true), NODES.arrayNode().add(1),
                    NODES.objectNode().put("a", 1), NODES.textNode("")));
            case ARRAY -> pick(List.of(NODES.objectNode(), NODES.textNode("[]"), NODES.arrayNode(),
                    NODES.numberNode(3), NODES.arrayNode().add(1), NODES.arrayNode().add("x"),
                    NODES.arrayNode().add(NODES.arrayNode())));
            case ITEM -> pick(List.of(NODES.textNode("x"), NODES.numberNode(1), NODES.arrayNode(),
                    NODES.booleanNode(false), NODES.objectNode()));
        };
    }

    /** A random string of the given length from an alphabet of quotes, controls, unicode and emoji. */
    String text(int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return text.toString();
    }

    String header() {
        return switch (random.nextInt(5)) {
            case 0 -> "Bearer " + printable(1 + random.nextInt(80));
            case 1 -> "Basic " + java.util.Base64.getEncoder().encodeToString(bytes(random.nextInt(60)));
            case 2 -> "Bearer";
            case 3 -> printable(1 + random.nextInt(100));
            default -> "Bearer wk_" + printable(32);
        };
    }

    private String printable(int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append((char) (0x21 + random.nextInt(0x7e - 0x21)));
        }
        return text.toString();
    }

    private byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private byte[] invalidUtf8() {
        byte[] prefix = "{\"id\":\"".getBytes(StandardCharsets.UTF_8);
        byte[] bad = {(byte) 0xc3, (byte) 0x28, (byte) 0xff, (byte) 0xfe, (byte) 0xed, (byte) 0xa0, (byte) 0x80};
        byte[] suffix = "\",\"userId\":\"u\",\"name\":\"n\"}".getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[prefix.length + bad.length + suffix.length];
        System.arraycopy(prefix, 0, body, 0, prefix.length);
        System.arraycopy(bad, 0, body, prefix.length, bad.length);
        System.arraycopy(suffix, 0, body, prefix.length + bad.length, suffix.length);
        return body;
    }

    private String nested(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    private JsonNode deepObject(int depth) {
        ObjectNode root = NODES.objectNode();
        ObjectNode current = root;
        for (int i = 0; i < depth; i++) {
            current = current.putObject("d");
        }
        return root;
    }

    private String bigNumbers() {
        return "{\"id\":" + "9".repeat(1 + random.nextInt(2000)) + ",\"userId\":-1e308,\"name\":0.0000001}";
    }

    private JsonNode randomValue(int depth) {
        int choice = random.nextInt(depth <= 0 ? 5 : 7);
        return switch (choice) {
            case 0 -> NODES.textNode(text(random.nextInt(30)));
            case 1 -> NODES.numberNode(random.nextLong());
            case 2 -> NODES.numberNode(random.nextDouble() * Math.pow(10, random.nextInt(300)));
            case 3 -> NODES.booleanNode(random.nextBoolean());
            case 4 -> NODES.nullNode();
            case 5 -> randomObject(depth - 1);
            default -> {
                ArrayNode array = NODES.arrayNode();
                for (int i = random.nextInt(5); i > 0; i--) {
                    array.add(randomValue(depth - 1));
                }
                yield array;
            }
        };
    }

    private ObjectNode randomObject(int depth) {
        ObjectNode object = NODES.objectNode();
        for (int i = random.nextInt(6); i > 0; i--) {
            object.set(text(1 + random.nextInt(12)), randomValue(depth - 1));
        }
        return object;
    }

    /** JSON text with every non-ASCII character escaped, so lone surrogates reach the server as {@code \\ud800}. */
    static String json(JsonNode node) {
        try {
            return ESCAPING.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
