import {get} from '../api.js';
import {h, table, update} from '../dom.js';
import {count, time} from '../format.js';

/** The sender endpoints exits are posted to, whether a 410 disabled one, and what waits for each. */
export function endpointsPage() {
  const region = h('div', {class: 'region'});

  async function refresh() {
    const {endpoints} = await get('/v1/webhook-endpoints');
    update(region, endpoints, () => endpoints.length === 0
      ? h('p', {class: 'empty'}, 'No sender endpoint is configured: exits are only on the pull feed '
        + '(GET /v1/exits). Set SENDER_WEBHOOKS to have them posted.')
      : table('Sender endpoints', ['Endpoint', 'URL', 'State', 'Waiting', 'Given up'], endpoints.map((endpoint) => [
        h('strong', {}, endpoint.name),
        h('code', {class: 'url'}, endpoint.url),
        state(endpoint),
        h('span', {class: 'number'}, count(endpoint.waiting)),
        h('span', {class: 'number'}, count(endpoint.failed)),
      ]), {id: 'endpoints'}));
  }

  return {
    title: 'Sender endpoints',
    content: h('section', {},
      h('h1', {tabindex: '-1'}, 'Sender endpoints'),
      h('p', {}, 'Every exit is posted to each endpoint as a signed webhook and retried until it is delivered or '
        + 'given up. Waiting counts exits not delivered yet; given up counts those whose retries ran out '
        + '(they stay on the pull feed).'),
      region),
    refresh,
  };
}

function state(endpoint) {
  if (endpoint.disabled) {
    return h('span', {}, h('span', {class: 'badge failed'}, 'Disabled'), ' since ', time(endpoint.disabledAt),
      endpoint.disabledReason ? `: ${endpoint.disabledReason}` : '',
      '. Nothing is sent to it; change its URL and restart to send what waits.');
  }
  if (!endpoint.configured) {
    return h('span', {}, h('span', {class: 'badge ended'}, 'No longer configured'));
  }
  return h('span', {class: 'badge live'}, 'Active');
}
