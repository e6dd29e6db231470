package com.conversionrules.rules;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The catalogue of conversion events: {@code none} plus every one the loaded rules define. */
public final class ConversionEvents {
    private final Map<String, ConversionEventDefinition> byId;
    private final List<ConversionEventDefinition> ordered;

    ConversionEvents(List<ConversionEventDefinition> fromRules) {
        Map<String, ConversionEventDefinition> all = new LinkedHashMap<>();
        all.put(ConversionEventDefinition.NONE.id(), ConversionEventDefinition.NONE);
        fromRules.forEach(definition -> all.put(definition.id(), definition));
        this.byId = Map.copyOf(all);
        this.ordered = List.copyOf(all.values());
    }

    public Optional<ConversionEventDefinition> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    public boolean contains(String id) {
        return byId.containsKey(id);
    }

    /** {@code none} first, then the policies in file order. */
    public Collection<ConversionEventDefinition> all() {
        return ordered;
    }

    public List<String> ids() {
        return ordered.stream().map(ConversionEventDefinition::id).toList();
    }
}
