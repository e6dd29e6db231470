// How an exit reads, on the campaign page and the user page alike.

import {h} from '../dom.js';
import {amount, time} from '../format.js';

const DELIVERY_STATES = {
  pending: 'waiting', delivered: 'delivered', failed: 'given up', endpoint_disabled: 'endpoint disabled',
  endpoint_removed: 'endpoint removed',
};

/** The event that caused an exit: its name, id and, for orders, value. */
export function eventCell(exit) {
  if (!exit.event) {
    return '—';
  }
  return h('span', {},
    h('span', {class: 'event-name'}, exit.event.name ?? '(event no longer stored)'), ' ',
    h('span', {class: 'source'}, exit.event.id),
    exit.value ? h('span', {class: 'source'}, ` · value ${amount(exit.value)}`) : null);
}

/** Where the exit's notice to each sender endpoint stands. */
export function deliveries(exit) {
  const entries = Object.entries(exit.deliveries ?? {});
  if (entries.length === 0) {
    return h('span', {class: 'source'}, 'pull feed only');
  }
  return h('span', {}, entries.map(([endpoint, delivery], i) => [i > 0 ? ', ' : '',
    `${endpoint}: ${DELIVERY_STATES[delivery.state] ?? delivery.state}`]));
}

/** One sentence saying why a user left: the event, the rule, its file and the rules version. */
export function explanation(exit, conversionLabel) {
  switch (exit.reason) {
    case 'converted':
      return h('p', {class: 'why'},
        'Converted ', time(exit.exitedAt), ': ',
        exit.event ? [h('q', {}, exit.event.name ?? exit.event.id), ' (event ', h('code', {}, exit.event.id),
          exit.event.time ? [' at ', time(exit.event.time)] : null, ')'] : 'an event',
        ` counts as ${conversionLabel}`,
        exit.rule ? [' by the rule ', h('q', {}, exit.rule.name), ' in ', h('code', {}, exit.rule.file),
          ', rules version ', h('code', {}, exit.rule.rulesVersion)] : null,
        '.', exit.value ? ` Order value ${amount(exit.value)}.` : null);
    case 'removed':
      return h('p', {class: 'why'}, 'Removed through the API ', time(exit.exitedAt), '.');
    case 'campaign_ended':
      return h('p', {class: 'why'}, 'Left when the campaign ended ', time(exit.exitedAt), '.');
    default:
      return h('p', {class: 'why'}, `Left (${exit.reason}) `, time(exit.exitedAt), '.');
  }
}
