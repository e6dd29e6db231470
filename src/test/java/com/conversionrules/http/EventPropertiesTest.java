package com.conversionrules.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The properties rules read are what Jackson's own conversion of the same JSON gives, types included. */
class EventPropertiesTest {
    private static final long SEED = System.nanoTime();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Test
    void propertiesReadAsJacksonConvertsThem() throws Exception {
        Random random = new Random(SEED);
        for (int i = 0; i < 2_000; i++) {
            ObjectNode properties = object(random, 0);
            // Read back from text, as a request body is: numbers get the node types parsing gives them.
            JsonNode parsed = Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(properties));
            Map<?, ?> expected = Json.MAPPER.convertValue(parsed, Map.class);
            Map<String, Object> read = EventFacts.of("e", "u", "n", 0, null, parsed, "").getProperties();
            assertEquals(expected, read, () -> parsed + " (seed " + SEED + ")");
            assertEquals(types(expected), types(read), () -> parsed + " (seed " + SEED + ")");
        }
    }

    private static ObjectNode object(Random random, int depth) {
        ObjectNode node = NODES.objectNode();
        for (int i = random.nextInt(5); i > 0; i--) {
            node.set("k" + random.nextInt(8), value(random, depth));
        }
        return node;
    }

    private static JsonNode value(Random random, int depth) {
        switch (random.nextInt(depth > 3 ? 8 : 10)) {
            case 0: return NODES.textNode("t" + random.nextInt());
            case 1: return NODES.numberNode(random.nextInt());
            case 2: return NODES.numberNode(random.nextLong());
            case 3: return NODES.numberNode(new BigInteger(80, random));
            case 4: return NODES.numberNode(random.nextDouble() * 1e6);
            case 5: return NODES.booleanNode(random.nextBoolean());
            case 6: return NODES.nullNode();
            case 7: return NODES.numberNode(random.nextInt(100));
            case 8: return object(random, depth + 1);
            default:
                ArrayNode array = NODES.arrayNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    array.add(value(random, depth + 1));
                }
                return array;
        }
    }

    /** The same structure with each value replaced by its class name, so 1 (Integer) and 1L (Long) differ. */
    private static Object types(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> types = new java.util.LinkedHashMap<>();
            map.forEach((k, v) -> types.put(k, types(v)));
            return types;
        }
        if (value instanceof java.util.List<?> list) {
            return list.stream().map(EventPropertiesTest::types).toList();
        }
        return value == null ? "null" : value.getClass().getName();
    }
}
