package com.conversionrules.rules;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.drools.base.definitions.rule.impl.RuleImpl;
import org.drools.compiler.kie.builder.impl.DrlProject;
import org.drools.kiesession.rulebase.InternalKnowledgeBase;
import org.drools.kiesession.rulebase.KnowledgeBaseFactory;
import org.kie.api.KieBase;
import org.kie.api.KieBaseConfiguration;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;
import org.kie.api.builder.ReleaseId;
import org.kie.api.builder.model.KieModuleModel;
import org.kie.api.conf.EventProcessingOption;
import org.kie.api.definition.KiePackage;
import org.kie.api.definition.rule.Rule;
import org.kie.api.runtime.conf.ClockTypeOption;
import org.kie.internal.conf.ConsequenceExceptionHandlerOption;

/**
 * Compiles the analysts' rules folder through the KIE API with the classic DRL compiler, which
 * reports every error with its file and line, and reads the conversion events from rule metadata.
 */
public final class RulesLoader {
    /** Where policy files sit inside the in-memory KIE module; stripped again from messages. */
    private static final String MODULE_FOLDER = "policies/";
    private static final String MODULE_ROOT = "src/main/resources/" + MODULE_FOLDER;
    private static final String KIE_ANNOTATIONS = "org.kie.api.definition.type.";
    /** Follows every syntax error, without a line; the syntax error itself says more. */
    private static final String PARSER_GAVE_UP = "Parser returned a null Package";
    private static final AtomicInteger BUILDS = new AtomicInteger();

    private final Path rulesDir;

    public RulesLoader(Path rulesDir) {
        this.rulesDir = rulesDir;
    }

    /** What compiling the folder gave: the rules when nothing stopped them, and every problem found. */
    public record Compilation(LoadedRules rules, List<RuleProblem> errors, List<RuleProblem> warnings) {
        public boolean ok() {
            return errors.isEmpty();
        }
    }

    /** Compiles the folder for the service; refuses it with every error. */
    public LoadedRules load() throws RulesException {
        Compilation compilation = compile();
        if (!compilation.ok()) {
            throw new RulesException(compilation.errors());
        }
        return compilation.rules();
    }

    /** Compiles the folder exactly as {@link #load()} does, keeping warnings too; never throws for bad rules. */
    public Compilation compile() {
        try {
            return build();
        } catch (RulesException e) {
            return new Compilation(null, e.problems(), List.of());
        }
    }

    private Compilation build() throws RulesException {
        List<Path> files = policyFiles();
        KieServices kie = KieServices.Factory.get();
        ReleaseId releaseId = kie.newReleaseId("com.conversionrules", "policies", "1.0." + BUILDS.incrementAndGet());

        KieFileSystem kfs = kie.newKieFileSystem();
        kfs.generateAndWritePomXML(releaseId);
        kfs.writeKModuleXML(moduleModel(kie).toXML());
        Fingerprint fingerprint = new Fingerprint();
        Map<String, String> generated = new LinkedHashMap<>();
        Map<String, String> drlByFile = new LinkedHashMap<>();
        List<RuleProblem> unreadableTables = new ArrayList<>();
        for (Path file : files) {
            String name = relative(file);
            byte[] content = read(file);
            fingerprint.add(name, content);
            if (PolicyFiles.isDecisionTable(file)) {
                try {
                    generated.put(name, DecisionTables.toDrl(file, name));
                } catch (RulesException e) {
                    unreadableTables.addAll(e.problems());
                    continue;
                }
            }
            drlByFile.put(name, generated.getOrDefault(name, new String(content, StandardCharsets.UTF_8)));
            kfs.write(MODULE_ROOT + name, content);
        }
        if (!unreadableTables.isEmpty()) {
            // Drools would throw on the first such table instead of reporting it.
            return new Compilation(null, unreadableTables, List.of());
        }

        KieBuilder builder = kie.newKieBuilder(kfs).buildAll(DrlProject.class);
        List<RuleProblem> problems = inTables(problems(builder, Message.Level.ERROR), generated);
        List<RuleProblem> warnings = inTables(problems(builder, Message.Level.WARNING), generated);
        if (!problems.isEmpty()) {
            return new Compilation(null, problems, warnings);
        }
        KieBase kieBase = kie.newKieContainer(releaseId).newKieBase(baseConfiguration(kie));
        LoadedRules rules = new LoadedRules(kieBase, new ConversionEvents(definitions(kieBase)), fingerprint.version(),
                Instant.now(), files.stream().map(this::relative).toList(), EventNamesRead.of(drlByFile));
        return new Compilation(rules, List.of(), warnings);
    }

    /**
     * Rules compiled before, read back (see {@link CompiledRulesCache}): the same KieBase without
     * parsing or compiling anything.
     */
    static LoadedRules fromPackages(Collection<KiePackage> packages, String version, List<String> files,
                                    EventNamesRead eventNames) throws RulesException {
        InternalKnowledgeBase kieBase = KnowledgeBaseFactory.newKnowledgeBase(baseConfiguration(KieServices.Factory.get()));
        kieBase.addPackages(packages);
        return new LoadedRules(kieBase, new ConversionEvents(definitions(kieBase)), version, Instant.now(), files,
                eventNames);
    }

    /** A new, empty KieBase configured as the service's, to read cached packages into. */
    static InternalKnowledgeBase emptyBase() {
        return KnowledgeBaseFactory.newKnowledgeBase(baseConfiguration(KieServices.Factory.get()));
    }

    /** Drools counts lines in the DRL it generated from a decision table; point at the table's row instead. */
    private static List<RuleProblem> inTables(List<RuleProblem> problems, Map<String, String> generated) {
        return problems.stream().map(problem -> {
            String drl = generated.get(problem.file());
            if (drl == null || problem.line() <= 0) {
                return problem;
            }
            return new RuleProblem(problem.file(), DecisionTables.rowOf(drl, problem.line()), 0, problem.message());
        }).toList();
    }

    private static List<RuleProblem> problems(KieBuilder builder, Message.Level level) {
        List<RuleProblem> problems = new ArrayList<>();
        for (Message message : builder.getResults().getMessages(level)) {
            if (!message.getText().contains(PARSER_GAVE_UP)) {
                problems.add(new RuleProblem(fileOf(message.getPath()), message.getLine(), message.getColumn(),
                        message.getText().strip()));
            }
        }
        return problems;
    }

    /** What {@link #moduleModel} says, plus the handler that keeps a failing rule to its own match. */
    private static KieBaseConfiguration baseConfiguration(KieServices kie) {
        KieBaseConfiguration configuration = kie.newKieBaseConfiguration();
        configuration.setOption(EventProcessingOption.CLOUD);
        configuration.setOption(ConsequenceExceptionHandlerOption.get(RuleFaultHandler.class));
        return configuration;
    }

    private static KieModuleModel moduleModel(KieServices kie) {
        KieModuleModel module = kie.newKieModuleModel();
        // No package list: with one, Drools compares each file's package with its folder and warns
        // about every policy an analyst keeps in a subfolder. Without one, every file is in the base.
        module.newKieBaseModel("conversions")
                .setDefault(true)
                .setEventProcessingMode(EventProcessingOption.CLOUD)
                .newKieSessionModel("shard")
                .setDefault(true)
                .setClockType(ClockTypeOption.REALTIME);
        return module;
    }

    private List<Path> policyFiles() throws RulesException {
        if (!Files.isDirectory(rulesDir)) {
            throw new RulesException(List.of(new RuleProblem(rulesDir.toString(), 0, 0,
                    "the rules folder does not exist; set RULES_DIR to the folder holding the .drl policies")));
        }
        try {
            List<Path> files = PolicyFiles.list(rulesDir);
            if (files.isEmpty()) {
                throw new RulesException(List.of(new RuleProblem(rulesDir.toString(), 0, 0,
                        "the rules folder holds no .drl policy files (or .drl.csv, .drl.xls, .drl.xlsx decision tables)")));
            }
            return files;
        } catch (IOException e) {
            throw new RulesException(List.of(new RuleProblem(rulesDir.toString(), 0, 0,
                    "cannot read the rules folder: " + e.getMessage())));
        }
    }

    /** A policy file's name as messages and the catalogue show it: relative to the rules folder. */
    public String relative(Path file) {
        return rulesDir.relativize(file).toString().replace('\\', '/');
    }

    private static byte[] read(Path file) throws RulesException {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new RulesException(List.of(new RuleProblem(file.toString(), 0, 0, "cannot read: " + e.getMessage())));
        }
    }

    private static String fileOf(String modulePath) {
        if (modulePath == null) {
            return null;
        }
        int at = modulePath.indexOf(MODULE_FOLDER);
        return at < 0 ? modulePath : modulePath.substring(at + MODULE_FOLDER.length());
    }

    /** Groups the rules by the conversion event their metadata names; one policy file per event. */
    private static List<ConversionEventDefinition> definitions(KieBase kieBase) throws RulesException {
        Map<String, List<Rule>> rulesByEvent = new LinkedHashMap<>();
        kieBase.getKiePackages().stream()
                .flatMap(pkg -> pkg.getRules().stream())
                .sorted(Comparator.comparing(RulesLoader::sourceOf).thenComparing(Rule::getName))
                .forEach(rule -> {
                    Object id = rule.getMetaData().get(PolicyContract.CONVERSION_EVENT);
                    if (id != null) {
                        rulesByEvent.computeIfAbsent(id.toString(), key -> new ArrayList<>()).add(rule);
                    }
                });

        List<ConversionEventDefinition> definitions = new ArrayList<>();
        List<RuleProblem> problems = new ArrayList<>();
        rulesByEvent.forEach((id, rules) -> {
            String file = sourceOf(rules.get(0));
            if (id.equals(ConversionEventDefinition.NONE.id())) {
                problems.add(new RuleProblem(file, 0, 0, "'none' is reserved: it means no conversion event"));
                return;
            }
            rules.stream().map(RulesLoader::sourceOf).filter(other -> !other.equals(file)).findFirst()
                    .ifPresent(other -> problems.add(new RuleProblem(other, 0, 0, "conversion event '" + id
                            + "' is already defined in " + file + "; each conversion event lives in one file")));
            definitions.add(new ConversionEventDefinition(id,
                    firstMeta(rules, "label", id), firstMeta(rules, "description", null),
                    firstMeta(rules, "warning", null), file, rules.stream().map(Rule::getName).toList()));
        });
        if (!problems.isEmpty()) {
            throw new RulesException(problems);
        }
        return definitions;
    }

    private static String firstMeta(List<Rule> rules, String key, String fallback) {
        return rules.stream().map(rule -> meta(rule, key)).filter(value -> value != null)
                .map(Object::toString).findFirst().orElse(fallback);
    }

    /** Drools files {@code @label} and {@code @description} under its own annotation names; accept both. */
    private static Object meta(Rule rule, String key) {
        Object value = rule.getMetaData().get(key);
        if (value == null) {
            value = rule.getMetaData().get(KIE_ANNOTATIONS + Character.toUpperCase(key.charAt(0)) + key.substring(1));
        }
        return value;
    }

    /** The analyst's file a rule came from, relative to the rules folder. */
    public static String sourceOf(Rule rule) {
        if (rule instanceof RuleImpl impl && impl.getResource() != null) {
            return fileOf(impl.getResource().getSourcePath());
        }
        return "";
    }
}
