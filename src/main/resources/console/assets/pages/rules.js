import {get, post} from '../api.js';
import {alertBox, facts, h, replace, table, update} from '../dom.js';
import {catalogue, count, time} from '../format.js';

const OUTCOMES = {
  loaded: 'Loaded',
  unchanged: 'Unchanged: the folder held the rules already running',
  invalid: 'Refused: the folder does not compile',
  refused: 'Refused: live campaigns use a conversion event it drops',
};

/** For analysts: what the service runs, how the last reload went, and how the cases fare. */
export function rulesPage() {
  const summary = h('div', {class: 'region'});
  const reload = h('div', {class: 'region'});
  const files = h('div', {class: 'region'});
  const cases = h('div', {class: 'region'}, h('p', {class: 'loading'}, 'Running the cases…'));
  const feedback = h('div', {'aria-live': 'polite'});
  let casesVersion = null;

  const reloadButton = h('button', {type: 'button', id: 'reload-rules'}, 'Reload the folder now');
  reloadButton.addEventListener('click', async () => {
    reloadButton.disabled = true;
    replace(feedback, h('p', {class: 'loading'}, 'Compiling the rules folder…'));
    try {
      const report = await post('/v1/rules/reload');
      replace(feedback, h('p', {class: 'notice', role: 'status'}, report.outcome === 'loaded'
        ? `Loaded rules version ${report.version}.` : 'The folder holds the rules already running.'));
    } catch (error) {
      replace(feedback, alertBox(error.status === 422 || error.status === 409
        ? 'Not loaded: the service keeps the rules it runs. The last reload below says why.' : error.message));
    }
    reloadButton.disabled = false;
    await refresh();
  });

  const rerun = h('button', {type: 'button', id: 'run-cases'}, 'Run the cases again');
  rerun.addEventListener('click', async () => {
    rerun.disabled = true;
    try {
      await runCases();
    } catch (error) {
      replace(cases, alertBox(error.message));
    }
    rerun.disabled = false;
  });

  async function runCases() {
    const report = await get('/v1/rules/cases');
    casesVersion = report.rulesVersion;
    update(cases, report, () => caseReport(report));
  }

  async function refresh() {
    const [rules, events] = await Promise.all([get('/v1/rules'), get('/v1/conversion-events')]);
    update(summary, {version: rules.version, loadedAt: rules.loadedAt}, () => facts([
      ['Running version', h('code', {id: 'rules-version'}, rules.version)],
      ['Loaded', time(rules.loadedAt)],
    ]));
    update(reload, rules.lastReload, () => lastReload(rules.lastReload));
    const labels = catalogue(events.conversionEvents);
    update(files, {files: rules.files, events: events.conversionEvents}, () => table('Policy files',
      ['File', 'Conversion events it defines'], rules.files.map((file) => [
        h('code', {}, file.file),
        file.conversionEvents.length === 0 ? '—' : h('ul', {class: 'plain'}, file.conversionEvents.map((id) =>
          h('li', {}, h('strong', {}, labels(id).label), ' ', h('code', {}, id), ' — ', labels(id).description))),
      ]), {id: 'rule-files'}));
    if (casesVersion !== rules.version) {
      await runCases();
    }
  }

  return {
    title: 'Rules',
    content: h('section', {},
      h('h1', {tabindex: '-1'}, 'Rules'),
      h('p', {}, 'The conversion policies the service runs, from its rules folder. It watches the folder and '
        + 'reloads it when a file changes; a folder that does not compile is refused and the running rules stay.'),
      summary,
      h('section', {'aria-labelledby': 'reload-heading', class: 'panel'},
        h('h2', {id: 'reload-heading'}, 'Last reload'),
        reload,
        h('div', {class: 'actions'}, reloadButton),
        feedback),
      h('section', {'aria-labelledby': 'files-heading', class: 'panel'},
        h('h2', {id: 'files-heading'}, 'Files and conversion events'),
        files),
      h('section', {'aria-labelledby': 'cases-heading', class: 'panel'},
        h('h2', {id: 'cases-heading'}, 'Analysts\' cases'),
        h('p', {}, 'The *.cases.yaml files in the folder, played against the running rules as test-rules plays them.'),
        cases,
        h('div', {class: 'actions'}, rerun))),
    refresh,
  };
}

function lastReload(report) {
  if (!report) {
    return h('p', {}, 'No reload since the service started: it runs the rules it started with.');
  }
  return h('div', {id: 'last-reload'},
    h('p', {}, h('span', {class: 'badge ' + (report.outcome === 'loaded' || report.outcome === 'unchanged'
      ? 'live' : 'failed')}, OUTCOMES[report.outcome] ?? report.outcome), ' ', time(report.at),
    report.version ? [' · version ', h('code', {}, report.version)] : null),
    report.message ? h('p', {}, report.message) : null,
    report.errors.length === 0 ? null : h('ul', {class: 'problems', id: 'reload-errors'},
      report.errors.map((error) => h('li', {},
        h('code', {class: 'location'}, where(error)), ' ', error.message))));
}

function where(problem) {
  return (problem.file ?? 'rules') + (problem.line > 0 ? `:${problem.line}` : '')
    + (problem.column > 0 ? `:${problem.column}` : '');
}

function caseReport(report) {
  const total = report.passed + report.failed;
  return h('div', {id: 'case-report'},
    h('p', {class: 'case-summary'},
      h('span', {class: 'badge ' + (report.failed === 0 && report.unreadable.length === 0 ? 'live' : 'failed')},
        report.failed === 0 && report.unreadable.length === 0 ? 'All pass' : 'Failing'), ' ',
      `${count(report.passed)} of ${count(total)} ${total === 1 ? 'case' : 'cases'} passed against version `,
      h('code', {}, report.rulesVersion), report.unreadable.length > 0
        ? `; ${report.unreadable.length} case ${report.unreadable.length === 1 ? 'file' : 'files'} unreadable` : ''),
    report.unreadable.length === 0 ? null : h('ul', {class: 'problems'}, report.unreadable.map((file) =>
      h('li', {}, h('code', {class: 'location'}, where(file)), ' ', file.message))),
    total === 0 ? h('p', {class: 'empty'}, 'No cases: put a *.cases.yaml file beside each policy.')
      : table('Cases', ['Result', 'Case', 'File'], report.cases.map((ruleCase) => [
        h('span', {class: 'badge ' + (ruleCase.passed ? 'live' : 'failed')}, ruleCase.passed ? 'Pass' : 'Fail'),
        [ruleCase.name, ruleCase.failures ? h('ul', {class: 'problems'},
          ruleCase.failures.map((failure) => h('li', {}, failure))) : null],
        h('code', {}, `${ruleCase.file}:${ruleCase.line}`),
      ]), {id: 'cases'}));
}
