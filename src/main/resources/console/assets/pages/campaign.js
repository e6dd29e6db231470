import {get, post} from '../api.js';
import {conversionChart} from '../chart.js';
import {alertBox, h, link, path, replace, table, update} from '../dom.js';
import {amount, bucketTitle, catalogue, count, rate, reasonLabel, statusLabel, time, typeLabel, windowLabel}
  from '../format.js';
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
    const conversionEvent = catalogue(events.conversionEvents)(campaign.conversionEvent);
    update(summary, {campaign, label: conversionEvent.label}, () => description(campaign, conversionEvent));
    update(actions, {id: campaign.id, status: campaign.status}, () => buttons(campaign));
    update(figures, stats, () => cards(stats));
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

function description(campaign, conversionEvent) {
  const conversion = campaign.type === 'flow' ? 'Flows take no conversion event'
    : campaign.conversionEvent === 'none' ? 'No conversion event: nobody leaves on conversion'
      : [`Converts on ${conversionEvent.label}`,
        campaign.conversionWindow ? ` within ${windowLabel(campaign.conversionWindow)} of enrolling` : ''];
  return h('p', {class: 'meta'},
    h('span', {class: 'badge ' + campaign.status}, statusLabel(campaign.status)), ' ',
    typeLabel(campaign.type), ' · ', conversion,
    campaign.launchedAt ? [' · launched ', time(campaign.launchedAt)] : null,
    campaign.endedAt ? [' · ended ', time(campaign.endedAt)] : null);
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
