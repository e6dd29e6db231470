package com.conversionrules.rules;

import org.kie.api.runtime.KieRuntime;
import org.kie.api.runtime.rule.ConsequenceException;
import org.kie.api.runtime.rule.ConsequenceExceptionHandler;
import org.kie.api.runtime.rule.Match;
import org.kie.api.runtime.rule.RuleRuntime;

/**
 * Hands a failing right-hand side to the session's {@link PolicyContract#FAULTS_CHANNEL} and lets
 * the fire go on with the other matches, so one bad event does not stop the others evaluated with
 * it. A session without that channel gets Drools' own behaviour: the fire stops with a
 * {@link ConsequenceException}. Drools builds it by class name, hence public with no arguments.
 */
public final class RuleFaultHandler implements ConsequenceExceptionHandler {

    @Override
    public void handleException(Match match, RuleRuntime runtime, Exception exception) {
        if (runtime instanceof KieRuntime session && session.getChannels().get(PolicyContract.FAULTS_CHANNEL) != null) {
            session.getChannels().get(PolicyContract.FAULTS_CHANNEL).send(new RuleFault(match, exception));
            return;
        }
        throw new ConsequenceException(exception, runtime, match);
    }
}
