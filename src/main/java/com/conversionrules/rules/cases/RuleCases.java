package com.conversionrules.rules.cases;

import com.conversionrules.rules.PolicyFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Every case file in a rules folder, read: the cases, and the files that could not be read. */
public record RuleCases(List<RuleCase> cases, List<CaseFileException> unreadable) {

    public static RuleCases read(Path rulesDir) throws IOException {
        List<RuleCase> cases = new ArrayList<>();
        List<CaseFileException> unreadable = new ArrayList<>();
        for (Path file : PolicyFiles.listCases(rulesDir)) {
            String name = rulesDir.relativize(file).toString().replace('\\', '/');
            try {
                cases.addAll(CaseFileReader.read(name, Files.readString(file)));
            } catch (CaseFileException e) {
                unreadable.add(e);
            }
        }
        return new RuleCases(cases, unreadable);
    }

    /** The cases read from one file, by its name relative to the rules folder. */
    public List<RuleCase> inFile(String file) {
        return cases.stream().filter(ruleCase -> ruleCase.file().equals(file)).toList();
    }
}
