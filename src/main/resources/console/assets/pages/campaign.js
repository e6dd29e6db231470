import {get, post} from '../api.js';
import {conversionChart} from '../chart.js';
import {alertBox, h, link, path, replace, table, update} from '../dom.js';
import {amount, bucketTitle, catalogue, count, goalsOf, points, rate, reasonLabel, reentryLabel, statusLabel, time,
  typeLabel, windowLabel} from '../format.js';
import {crumbs} from './review.js';
import {deliveries, eventCell} from './exits.js';

const BUCKETS = {hour: 'By hour, last 48 hours', day: 'By day (UTC), last 30 days'};

/** One campaign: its figures, conversions over time, the latest exits and why, and its actions. */
export function campaignPage({params, query, navigate}) {
  const [id] = params;
  let bucket = query.get('by') === 'day' ? 'day' : 'hour';
  const heading = h('h1', {tabindex: '-1'}, id);
  const summary = h('div', {class: 'region'});
  const actions = h('div', {class: 'actions'});
  const feedback = h('div', {});
  const figures = h('div', {class: 'region'});
  const breakdown = h('div', {class: 'region'});
  const chart = conversionChart('chart-note');
  const chartTable = h('div', {class: 'region'});
  const exits = h('div', {class: 'region'});
  const dialog = endDialog();
  let campaign = null;

  const bucketChoice = h('fieldset', {class: 'segmented'},
    h('legend', {}, 'Conversions'),
    Object.entries(BUCKETS).map(([value, label]) => h('label', {},
      h('input', {type: 'radio', name: 'bucket', value, checked: value === bucket, onchange: () => {
        bucket = value;
        history.replaceState(null, '', '#' + path('campaigns', id) + (value === 'day' ? '?by=day' : ''));
        refresh();
      }}),
      h('span', {}, label))));

  async function refresh() {
    let data;
    try {
      data = await Promise.all([
        get(path('v1', 'campaigns', id)),
        get(path('v1', 'campaigns', id, 'stats')),
        get(path('v1', 'campaigns', id, 'conversions') + '?bucket=' + bucket),
        get(path('v1', 'campaigns', id, 'exits') + '?limit=20'),
        get('/v1/conversion-events'),
      ]);
    } catch (error) {
      if (error.status === 404) {
        replace(summary, alertBox(error.message));
        return false;
      }
      throw error;
    }
    const [found, stats, conversions, latest, events] = data;
    campaign = found;
    heading.textContent = campaign.name;
    const labels = catalogue(events.conversionEvents);
    update(summary, {campaign, events: events.conversionEvents}, () => description(campaign, labels));
    update(actions, {id: campaign.id, status: campaign.status}, () => buttons(campaign));
    update(figures, stats, () => cards(stats));
    update(breakdown, {stats, events: events.conversionEvents}, () => [byConversionEvent(campaign, stats, labels),
      uplift(stats.uplift)]);
    chart.set(conversions);
    update(chartTable, conversions, () => numbers(conversions));
    update(exits, latest, () => exitTable(latest.exits));
    return true;
  }

  function buttons(shown) {
    return [
      shown.status === 'draft'
        ? link(path('campaigns', shown.id, 'review'), 'Review and launch',
          {class: 'button primary', 'data-focus': 'review'})
        : null,
      shown.status !== 'ended'
        ? link(path('campaigns', shown.id, 'edit'), 'Change', {class: 'button', 'data-focus': 'edit'}) : null,
      shown.status !== 'ended'
        ? h('button', {type: 'button', class: 'danger', 'data-focus': 'end', onclick: () => dialog.open(shown)},
          'End campaign') : null,
    ];
  }

  function endDialog() {
    const text = h('p', {id: 'end-dialog-text'});
    const confirm = h('button', {type: 'button', class: 'danger', id: 'confirm-end'}, 'End campaign');
    const keep = h('button', {type: 'button', class: 'quiet', autofocus: true}, 'Keep it running');
    const element = h('dialog', {'aria-labelledby': 'end-dialog-title', 'aria-describedby': 'end-dialog-text'},
      h('h2', {id: 'end-dialog-title'}, 'End this campaign?'), text,
      h('div', {class: 'actions'}, confirm, keep));
    keep.addEventListener('click', () => element.close());
    confirm.addEventListener('click', async () => {
      confirm.disabled = true;
      try {
        const ended = await post(path('v1', 'campaigns', id, 'end'));
        element.close();
        replace(feedback, h('p', {class: 'notice', role: 'status'}, `Ended. ${count(ended.enrollmentsEnded)} `
          + `${ended.enrollmentsEnded === 1 ? 'user' : 'users'} left the campaign, and the sender is told to `
          + 'stop messaging them.'));
        await refresh();
        actions.querySelector('a, button')?.focus() ?? heading.focus();
      } catch (error) {
        element.close();
        replace(feedback, alertBox(error.message));
      } finally {
        confirm.disabled = false;
      }
    });
    return {
      element,
      async open(shown) {
        const stats = await get(path('v1', 'campaigns', shown.id, 'stats')).catch(() => null);
        const users = stats === null ? 'Every user still in it' : `The ${count(stats.active)} `
          + `${stats.active === 1 ? 'user' : 'users'} still in it`;
        text.textContent = `${users} will leave ${shown.name} now (this is not a conversion), and the sender is `
          + 'told to stop messaging them. An ended campaign cannot be launched or changed again.';
        element.showModal();
      },
    };
  }

  return {
    title: 'Campaign',
    content: h('section', {},
      crumbs(null),
      h('div', {class: 'page-head'}, heading, actions),
      summary,
      feedback,
      h('section', {'aria-labelledby': 'figures-heading'},
        h('h2', {id: 'figures-heading', class: 'visually-hidden'}, 'Figures'), figures),
      breakdown,
      h('section', {'aria-labelledby': 'chart-heading', class: 'panel'},
        h('h2', {id: 'chart-heading'}, 'Conversions over time'),
        bucketChoice,
        chart.element,
        h('p', {class: 'hint', id: 'chart-note'}, 'Counted when each user converted. Hover a bar for its count, '
          + 'or open the numbers below.'),
        h('details', {}, h('summary', {}, 'Show the numbers'), chartTable)),
      h('section', {'aria-labelledby': 'exits-heading', class: 'panel'},
        h('h2', {id: 'exits-heading'}, 'Latest exits'),
        exits),
      dialog.element),
    refresh,
  };
}

function description(campaign, labels) {
  const goals = goalsOf(campaign).map((goal) => labels(goal.id).label
    + (goal.window ? ` within ${windowLabel(goal.window)} of enrolling` : ''));
  const conversion = campaign.type === 'flow' ? 'Flows take no conversion event'
    : campaign.conversionEvent === 'none' ? 'No conversion event: nobody leaves on conversion'
      : goals.length === 1 ? `Converts on ${goals[0]}`
        : `Converts on whichever comes first: ${goals.slice(0, -1).join(', ')} or ${goals[goals.length - 1]}`;
  return h('p', {class: 'meta'},
    h('span', {class: 'badge ' + campaign.status}, statusLabel(campaign.status)), ' ',
    typeLabel(campaign.type), ' · ', conversion,
    campaign.reentry && campaign.reentry !== 'always'
      ? ` · users who left enter again: ${reentryLabel(campaign.reentry).toLowerCase()}` : null,
    campaign.holdoutPercent > 0 ? ` · ${campaign.holdoutPercent}% held out` : null,
    campaign.launchedAt ? [' · launched ', time(campaign.launchedAt)] : null,
    campaign.endedAt ? [' · ended ', time(campaign.endedAt)] : null);
}

/** Conversions per conversion event, for a campaign that waits (or waited) for more than one. */
function byConversionEvent(campaign, stats, labels) {
  const rows = stats.conversionEvents ?? [];
  if (goalsOf(campaign).length < 2 && rows.length < 2) {
    return null;
  }
  return h('section', {'aria-labelledby': 'by-event-heading', class: 'panel'},
    h('h2', {id: 'by-event-heading'}, 'Conversions by conversion event'),
    rows.length === 0 ? h('p', {class: 'empty'}, 'Nobody has converted yet.')
      : table('Conversions by conversion event', ['Conversion event', 'Converted', 'Conversion rate', 'Revenue'],
        rows.map((row) => [labels(row.id).label, h('span', {class: 'number'}, count(row.converted)),
          h('span', {class: 'number'}, rate(row.conversionRate)), h('span', {class: 'number'}, amount(row.revenue))]),
        {id: 'by-conversion-event'}));
}

/** The users who got the messages against those held out, and what the difference is worth. */
function uplift(lift) {
  if (!lift) {
    return null;
  }
  const group = (label, counts) => [label, h('span', {class: 'number'}, count(counts.enrolled)),
    h('span', {class: 'number'}, count(counts.converted)), h('span', {class: 'number'}, rate(counts.conversionRate))];
  const verdict = lift.absoluteLift === null
    ? 'Not measurable yet: both groups need users.'
    : [`Lift: ${points(lift.absoluteLift)}`,
      lift.relativeLift === null ? '' : ` (${lift.relativeLift > 0 ? '+' : ''}${rate(lift.relativeLift)})`,
      ` · 95% interval: ${points(lift.interval95.low)} to ${points(lift.interval95.high)}`,
      lift.interval95.low > 0 ? ' — the messages made a difference.'
        : lift.interval95.high < 0 ? ' — users who got the messages converted less.'
          : ' — not distinguishable from no effect yet.'];
  return h('section', {'aria-labelledby': 'uplift-heading', class: 'panel'},
    h('h2', {id: 'uplift-heading'}, 'Holdout and lift'),
    h('p', {class: 'hint'}, `${lift.holdoutPercent}% of the users enrolled are held out: the sender sends them `
      + 'nothing, so they show what would have happened without the campaign.'),
    table('Treatment and holdout', ['Group', 'Enrolled', 'Converted', 'Conversion rate'],
      [group('Got the messages', lift.treatment), group('Held out', lift.holdout)], {id: 'uplift-groups'}),
    h('p', {id: 'uplift-verdict'}, verdict),
    h('p', {class: 'hint'}, `Interval: ${lift.method}.`));
}

function cards(stats) {
  const card = (label, value, id) => h('div', {class: 'figure'}, h('span', {class: 'figure-label'}, label),
    h('span', {class: value.length > 9 ? 'figure-value long' : 'figure-value', id}, value));
  return h('div', {class: 'figures'},
    card('Enrolled', count(stats.enrolled), 'figure-enrolled'),
    card('Still in it', count(stats.active), 'figure-active'),
    card('Converted', count(stats.converted), 'figure-converted'),
    card('Conversion rate', rate(stats.conversionRate), 'figure-rate'),
    card('Revenue', amount(stats.revenue), 'figure-revenue'));
}

function numbers(conversions) {
  return table(`Conversions per ${conversions.bucket}`, [conversions.bucket === 'day' ? 'Day (UTC)' : 'Hour',
    'Conversions'], conversions.buckets.slice().reverse()
    .map((bucket) => [bucketTitle(bucket.start, conversions.bucket), h('span', {class: 'number'},
      count(bucket.conversions))]));
}

function exitTable(list) {
  if (list.length === 0) {
    return h('p', {class: 'empty'}, 'Nobody has left this campaign yet.');
  }
  return table('Latest exits', ['When', 'User', 'Why', 'Event', 'Rule', 'Rule file', 'Rules version', 'Sender'],
    list.map((exit) => [
      time(exit.exitedAt),
      link(path('users', exit.userId), exit.userId, {'data-focus': 'exit-' + exit.id}),
      reasonLabel(exit.reason),
      eventCell(exit),
      exit.rule ? exit.rule.name : '—',
      exit.rule ? h('code', {}, exit.rule.file) : '—',
      exit.rule ? h('code', {}, exit.rule.rulesVersion) : '—',
      deliveries(exit),
    ]), {id: 'latest-exits'});
}
