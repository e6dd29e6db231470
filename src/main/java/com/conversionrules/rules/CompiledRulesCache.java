package com.conversionrules.rules;

import com.conversionrules.store.PrivateFolder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.drools.base.common.DroolsObjectInputStream;
import org.drools.base.common.DroolsObjectOutputStream;
import org.drools.kiesession.rulebase.InternalKnowledgeBase;
import org.kie.api.definition.KiePackage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rules folders that passed the gate, compiled, kept in the data directory: a restart with the same
 * folder (every file, cases included) and the same build of the service reads the compiled packages
 * back instead of parsing, compiling and checking again (about 1.8 s of a start, measured on this
 * kind of machine). Anything that does not read back is ignored and the folder is compiled again.
 */
public final class CompiledRulesCache {
    private static final Logger LOG = LoggerFactory.getLogger(CompiledRulesCache.class);
    private static final String SUFFIX = ".rules";
    private static final int KEEP = 3;

    private final Path folder;
    private final String build;

    public CompiledRulesCache(Path dataDir) {
        this.folder = dataDir.resolve("rules-cache");
        this.build = buildIdentity();
    }

    /** The key of a rules folder for this build: every file under it, and the service's own code. */
    public String key(Path rulesDir) throws IOException {
        MessageDigest digest = sha256();
        digest.update(build.getBytes(StandardCharsets.UTF_8));
        try (Stream<Path> walk = Files.walk(rulesDir)) {
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                digest.update(rulesDir.relativize(file).toString().getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(Files.readAllBytes(file));
                digest.update((byte) 0);
            }
        }
        return HexFormat.of().formatHex(digest.digest()).substring(0, 32);
    }

    /** The rules compiled from a folder with this key, if this data directory has them. */
    public Optional<LoadedRules> load(String key) {
        Path file = folder.resolve(key + SUFFIX);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        InternalKnowledgeBase empty = RulesLoader.emptyBase();
        try (InputStream in = Files.newInputStream(file);
             DroolsObjectInputStream objects = new DroolsObjectInputStream(in, empty.getRootClassLoader())) {
            String version = (String) objects.readObject();
            @SuppressWarnings("unchecked")
            List<String> files = (List<String>) objects.readObject();
            @SuppressWarnings("unchecked")
            Collection<KiePackage> packages = (Collection<KiePackage>) objects.readObject();
            @SuppressWarnings("unchecked")
            Map<String, List<EventNamesRead.Reader>> namesRead = (Map<String, List<EventNamesRead.Reader>>) objects.readObject();
            @SuppressWarnings("unchecked")
            List<EventNamesRead.Reader> anyName = (List<EventNamesRead.Reader>) objects.readObject();
            return Optional.of(RulesLoader.fromPackages(packages, version, files, new EventNamesRead(namesRead, anyName)));
        } catch (IOException | ClassNotFoundException | RulesException | RuntimeException e) {
            LOG.warn("The compiled rules in {} do not read back ({}); compiling the folder instead", file, e.toString());
            return Optional.empty();
        }
    }

    /** Keeps the rules under the key; only the last few folders are kept. A failure to write only costs the next start time. */
    public void save(String key, LoadedRules rules) {
        try {
            PrivateFolder.create(folder);
            Path file = folder.resolve(key + SUFFIX);
            Path partial = folder.resolve(key + SUFFIX + ".partial");
            PrivateFolder.createFile(partial);
            try (OutputStream out = Files.newOutputStream(partial);
                 DroolsObjectOutputStream objects = new DroolsObjectOutputStream(out)) {
                objects.writeObject(rules.version());
                objects.writeObject(new ArrayList<>(rules.files()));
                objects.writeObject(new ArrayList<>(rules.kieBase().getKiePackages()));
                // The names the rules read come from their source, which a read-back does not parse.
                Map<String, List<EventNamesRead.Reader>> namesRead = new LinkedHashMap<>();
                rules.eventNames().byName().forEach((name, readers) -> namesRead.put(name, new ArrayList<>(readers)));
                objects.writeObject(namesRead);
                objects.writeObject(new ArrayList<>(rules.eventNames().anyName()));
            }
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            prune();
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not keep the compiled rules in {} ({}); the next start compiles them again", folder,
                    e.toString());
        }
    }

    private void prune() throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            List<Path> kept = files.filter(path -> path.getFileName().toString().endsWith(SUFFIX))
                    .sorted(Comparator.comparing(CompiledRulesCache::modified).reversed()).toList();
            for (Path old : kept.subList(Math.min(KEEP, kept.size()), kept.size())) {
                Files.deleteIfExists(old);
            }
        }
    }

    private static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Which build of the service this is: the jar's size and time, so packages compiled against
     * other classes are never read back; running from a classes folder, that folder.
     */
    private static String buildIdentity() {
        try {
            Path code = Path.of(CompiledRulesCache.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(code)) {
                return code.getFileName() + ":" + Files.size(code) + ":" + Files.getLastModifiedTime(code).toMillis();
            }
            return code.toString();
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return "unknown";
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
