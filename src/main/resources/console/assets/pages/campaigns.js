import {get} from '../api.js';
import {h, link, path, table, update} from '../dom.js';
import {amount, catalogue, count, rate, STATUSES, statusLabel, typeLabel} from '../format.js';

const FILTERS = [['all', 'All'], ...Object.entries(STATUSES)];

/** Every campaign with its figures, newest first, filtered by status. */
export function campaignsPage({query}) {
  let filter = FILTERS.some(([value]) => value === query.get('status')) ? query.get('status') : 'all';
  const region = h('div', {class: 'region', 'aria-live': 'off'});
  let latest = null;

  const filters = h('fieldset', {class: 'segmented'},
    h('legend', {}, 'Show'),
    FILTERS.map(([value, label]) => h('label', {},
      h('input', {
        type: 'radio', name: 'status-filter', value, checked: value === filter, 'data-focus': 'filter-' + value,
        onchange: () => {
          filter = value;
          history.replaceState(null, '', value === 'all' ? '#/campaigns' : '#/campaigns?status=' + value);
          if (latest) {
            show(latest);
          }
        },
      }),
      h('span', {}, label))));

  function show(data) {
    latest = data;
    const campaigns = data.campaigns.filter((campaign) => filter === 'all' || campaign.status === filter);
    update(region, {filter, campaigns, stats: data.stats}, () => listing(campaigns, data));
  }

  async function refresh() {
    const [list, events] = await Promise.all([get('/v1/campaigns'), get('/v1/conversion-events')]);
    const campaigns = list.campaigns.slice().reverse();
    const stats = await Promise.all(campaigns.map((campaign) => get(path('v1', 'campaigns', campaign.id, 'stats'))));
    show({campaigns, events: events.conversionEvents, stats: Object.fromEntries(stats.map((s) => [s.campaignId, s]))});
  }

  function listing(campaigns, data) {
    if (campaigns.length === 0) {
      return h('p', {class: 'empty'}, data.campaigns.length === 0
        ? ['No campaigns yet. ', link('/campaigns/new', 'Create the first one.')]
        : `No ${STATUSES[filter].toLowerCase()} campaigns.`);
    }
    const conversionEvent = catalogue(data.events);
    return table('Campaigns', ['Campaign', 'Type', 'Status', 'Conversion event', 'Enrolled', 'Active', 'Converted',
      'Conversion rate', 'Revenue'], campaigns.map((campaign) => {
      const stats = data.stats[campaign.id];
      return [
        link(path('campaigns', campaign.id), campaign.name, {'data-focus': 'campaign-' + campaign.id}),
        typeLabel(campaign.type),
        h('span', {class: 'badge ' + campaign.status}, statusLabel(campaign.status)),
        conversionEvent(campaign.conversionEvent).label,
        number(stats && count(stats.enrolled)),
        number(stats && count(stats.active)),
        number(stats && count(stats.converted)),
        number(stats && rate(stats.conversionRate)),
        number(stats && amount(stats.revenue)),
      ];
    }), {id: 'campaigns'});
  }

  return {
    title: 'Campaigns',
    content: h('section', {},
      h('div', {class: 'page-head'},
        h('h1', {tabindex: '-1'}, 'Campaigns'),
        h('a', {class: 'button primary', href: '#/campaigns/new'}, 'New campaign')),
      filters,
      region),
    refresh,
    // Every campaign's figures are counted per request: the list asks less often than one campaign's page.
    refreshMs: 10000,
  };
}

function number(text) {
  return h('span', {class: 'number'}, text ?? '—');
}
