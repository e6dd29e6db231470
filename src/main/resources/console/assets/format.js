// How numbers, times and the API's words read on screen.

import {h} from './dom.js';

const whole = new Intl.NumberFormat(undefined, {maximumFractionDigits: 0});
const money = new Intl.NumberFormat(undefined, {minimumFractionDigits: 2, maximumFractionDigits: 2});
const percent = new Intl.NumberFormat(undefined, {style: 'percent', maximumFractionDigits: 1});
const dateTime = new Intl.DateTimeFormat(undefined, {dateStyle: 'medium', timeStyle: 'medium'});
const hourLabel = new Intl.DateTimeFormat(undefined, {hour: 'numeric'});
const localDay = new Intl.DateTimeFormat(undefined, {day: 'numeric', month: 'short'});
const dayLabel = new Intl.DateTimeFormat(undefined, {day: 'numeric', month: 'short', timeZone: 'UTC'});
const dayAndHour = new Intl.DateTimeFormat(undefined,
  {day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit'});
const clock = new Intl.DateTimeFormat(undefined, {timeStyle: 'medium'});

export const count = (n) => whole.format(n ?? 0);
export const amount = (n) => money.format(n ?? 0);
export const rate = (n) => percent.format(n ?? 0);
export const timeOfDay = (date) => clock.format(date);

/** A <time> element: local time on screen, the exact UTC instant on hover and for machines. */
export function time(iso) {
  if (!iso) {
    return '—';
  }
  return h('time', {datetime: iso, title: iso}, dateTime.format(new Date(iso)));
}

/** Chart labels: hour buckets in local time, day buckets as the UTC dates the API counts by. */
export function bucketLabel(iso, bucket) {
  const date = new Date(iso);
  if (bucket === 'day') {
    return dayLabel.format(date);
  }
  return date.getHours() === 0 ? localDay.format(date) : hourLabel.format(date);
}

export function bucketTitle(iso, bucket) {
  return bucket === 'day' ? dayLabel.format(new Date(iso)) + ' (UTC day)' : dayAndHour.format(new Date(iso));
}

export const CAMPAIGN_TYPES = {
  multi_touch: {label: 'Multi-touch campaign', description: 'A planned series of emails and SMS sent to an audience.'},
  automation: {label: 'Automation', description: 'A series that starts for each user when they trigger it.'},
  flow: {label: 'Flow', description: 'Steps that branch on what each user did. Nobody leaves a flow on conversion.'},
};

export const typeLabel = (type) => CAMPAIGN_TYPES[type]?.label ?? type;

export const STATUSES = {draft: 'Draft', live: 'Live', ended: 'Ended'};
export const statusLabel = (status) => STATUSES[status] ?? status;

export const EXIT_REASONS = {converted: 'Converted', removed: 'Removed', campaign_ended: 'Campaign ended'};
export const reasonLabel = (reason) => EXIT_REASONS[reason] ?? reason;

export const ENROLLMENT_STATUSES = {active: 'In the campaign', holdout: 'In the campaign, held out', converted: 'Converted',
  exited: 'Left'};

/** "always" -> "Any time", "never" -> "Never", "after:P30D" -> "30 days after leaving". */
export function reentryLabel(reentry) {
  if (!reentry || reentry === 'always') {
    return 'Any time';
  }
  if (reentry === 'never') {
    return 'Never';
  }
  return reentry.startsWith('after:') ? `${windowLabel(reentry.slice('after:'.length))} after leaving` : reentry;
}

/** Each conversion event a campaign waits for, with the window that holds for it (its own, else the campaign's). */
export function goalsOf(campaign) {
  const goals = campaign.conversionEvents ?? [{id: campaign.conversionEvent, conversionWindow: null}];
  return goals.map((goal) => ({id: goal.id, window: goal.conversionWindow ?? campaign.conversionWindow ?? null}));
}

/** A difference of rates in percentage points, signed: 0.04 -> "+4.0 points". */
export function points(difference) {
  const value = (difference * 100).toFixed(1);
  return `${difference > 0 ? '+' : ''}${value.replace('-', '\u2212')} points`;
}

/** P7D -> "7 days", PT12H -> "12 hours", P1DT6H -> "1 day 6 hours"; null -> "No limit". */
export function windowLabel(window) {
  if (!window) {
    return 'No limit';
  }
  const match = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(window);
  if (!match) {
    return window;
  }
  const parts = [[match[1], 'day'], [match[2], 'hour'], [match[3], 'minute'], [match[4], 'second']]
    .filter(([n]) => n !== undefined && Number(n) !== 0)
    .map(([n, unit]) => `${n} ${unit}${Number(n) === 1 ? '' : 's'}`);
  return parts.length === 0 ? window : parts.join(' ');
}

/** The catalogue as a map from id to its entry, with a readable fallback for ids it no longer has. */
export function catalogue(conversionEvents) {
  const byId = new Map(conversionEvents.map((event) => [event.id, event]));
  return (id) => byId.get(id) ?? {id, label: id, description: 'No loaded rule defines this conversion event.'};
}
