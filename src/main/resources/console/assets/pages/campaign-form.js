import {get, patch, post} from '../api.js';
import {alertBox, h, link, path, replace} from '../dom.js';
import {CAMPAIGN_TYPES, count, statusLabel, typeLabel} from '../format.js';

const ID_PATTERN = /^[A-Za-z0-9._:@+=-]{1,256}$/;
const UNITS = [['D', 'days', 86400], ['H', 'hours', 3600], ['M', 'minutes', 60]];

const MAX_EVENTS = 4;

/**
 * Creating a campaign (#/campaigns/new) or changing one (#/campaigns/{id}/edit): name, type, up to
 * four conversion events from the rules' catalogue, an optional conversion window, whether users who
 * left may enter again, and the share held out to measure the lift.
 */
export function campaignFormPage({params, navigate}) {
  const editing = params.length > 0 ? params[0] : null;
  const body = h('div', {}, h('p', {class: 'loading'}, 'Loading…'));
  const heading = h('h1', {tabindex: '-1'}, editing ? 'Change campaign' : 'New campaign');
  load();
  return {title: editing ? 'Change campaign' : 'New campaign', content: h('section', {}, heading, body)};

  async function load() {
    try {
      const [events, campaign, stats] = await Promise.all([
        get('/v1/conversion-events'),
        editing ? get(path('v1', 'campaigns', editing)) : null,
        editing ? get(path('v1', 'campaigns', editing, 'stats')) : null,
      ]);
      if (campaign) {
        heading.textContent = `Change ${campaign.name}`;
      }
      replace(body, form(events.conversionEvents, campaign, stats));
    } catch (error) {
      replace(body, alertBox(error.message));
    }
  }

  function form(catalogue, campaign, stats) {
    const errors = h('div', {class: 'form-errors'});
    const name = h('input', {id: 'campaign-name', name: 'name', required: true, maxlength: '512',
      value: campaign?.name ?? '', autocomplete: 'off'});
    const id = campaign ? null : h('input', {id: 'campaign-id', name: 'id', required: true, maxlength: '256',
      autocomplete: 'off', spellcheck: 'false', autocapitalize: 'off', 'aria-describedby': 'campaign-id-hint'});
    let idEdited = false;
    if (id) {
      id.addEventListener('input', () => { idEdited = id.value !== ''; });
      name.addEventListener('input', () => {
        if (!idEdited) {
          id.value = slug(name.value);
        }
      });
    }

    let type = campaign?.type ?? 'multi_touch';
    const typeField = campaign
      ? h('div', {class: 'field'}, h('p', {class: 'label'}, 'Type'), h('p', {}, typeLabel(type),
        h('span', {class: 'hint'}, ' (a campaign keeps its type)')))
      : h('fieldset', {class: 'choices'},
        h('legend', {}, 'Type'),
        Object.entries(CAMPAIGN_TYPES).map(([value, {label, description}]) => choice('type', value, label,
          description, value === type, () => { type = value; showConversion(); })));

    const flowNote = h('p', {class: 'notice', id: 'flow-note'},
      'Flows take no conversion event: a flow\'s steps branch on whether a user performed an event '
      + '(the performed-event query, GET /v1/users/{userId}/performed), so nobody leaves a flow on conversion.');
    // The campaign's own goals, kept with their windows (a window set per event through the API stays).
    const goals = (campaign?.conversionEvents ?? []).filter((goal) => goal.id !== 'none');
    // The order they were chosen in: the first listed wins when one event counts for two.
    let chosen = goals.map((goal) => goal.id);
    const eventChoices = catalogue.filter((event) => event.id !== 'none').map((event) => choice('conversionEvent',
      event.id, event.label,
      [event.description, event.file ? h('span', {class: 'source'}, ` Rule file: ${event.file}`) : null],
      chosen.includes(event.id), (change) => {
        chosen = chosen.filter((id) => id !== event.id).concat(change.target.checked ? [event.id] : []);
        showConversion();
      }, 'checkbox'));
    const conversion = h('fieldset', {class: 'choices', id: 'conversion-event'},
      h('legend', {}, 'Conversion events'),
      h('p', {class: 'hint'}, `When a user in the campaign does one of these (up to ${MAX_EVENTS}), they leave it at `
        + 'once, the sender is told to stop messaging them, and it counts as a conversion. Choose none for a '
        + 'campaign nobody leaves on conversion. When one event counts for two of them, the exit is credited to '
        + 'the one ticked first.'),
      flowNote,
      eventChoices);

    const existing = splitWindow(campaign?.conversionWindow);
    const windowLength = h('input', {id: 'window-length', name: 'windowLength', type: 'number', min: '1',
      step: '1', inputmode: 'numeric', value: existing?.length ?? '', 'aria-describedby': 'window-hint'});
    const windowUnit = h('select', {id: 'window-unit', name: 'windowUnit'},
      UNITS.map(([value, label]) => h('option', {value, selected: value === (existing?.unit ?? 'D')}, label)));
    const windowField = h('fieldset', {class: 'window', id: 'conversion-window'},
      h('legend', {}, 'Conversion window (optional)'),
      h('div', {class: 'inline'},
        h('label', {for: 'window-length'}, 'Convert only within'),
        windowLength,
        h('label', {for: 'window-unit', class: 'visually-hidden'}, 'Unit of the conversion window'),
        windowUnit,
        h('span', {}, 'of enrolling')),
      h('p', {class: 'hint', id: 'window-hint'}, 'Counted from each user\'s own enrollment. Leave it empty for no '
        + 'limit: then any later event converts.'));

    const reentry = splitReentry(campaign?.reentry);
    const reentryKind = h('select', {id: 'reentry-kind', name: 'reentryKind', onchange: () => showReentry()},
      [['always', 'Any time'], ['never', 'Never'], ['after', 'After a while']].map(([value, label]) =>
        h('option', {value, selected: value === reentry.kind}, label)));
    const reentryLength = h('input', {id: 'reentry-length', name: 'reentryLength', type: 'number', min: '1',
      step: '1', inputmode: 'numeric', value: reentry.length ?? '30'});
    const reentryUnit = h('select', {id: 'reentry-unit', name: 'reentryUnit'},
      UNITS.map(([value, label]) => h('option', {value, selected: value === (reentry.unit ?? 'D')}, label)));
    const reentryAfter = h('span', {class: 'inline'},
      h('label', {for: 'reentry-length', class: 'visually-hidden'}, 'How long after leaving'), reentryLength,
      h('label', {for: 'reentry-unit', class: 'visually-hidden'}, 'Unit'), reentryUnit, h('span', {}, 'after leaving'));
    const reentryField = h('fieldset', {class: 'window', id: 'reentry'},
      h('legend', {}, 'Users who left may enter again'),
      h('div', {class: 'inline'}, h('label', {for: 'reentry-kind', class: 'visually-hidden'}, 'When'), reentryKind,
        reentryAfter),
      h('p', {class: 'hint'}, 'Whether a user who converted or was removed can be enrolled again. Enrollments it '
        + 'refuses are counted apart (refusedReentry) and change nothing.'));

    const fixed = campaign && campaign.status !== 'draft';
    const holdout = h('input', {id: 'holdout-percent', name: 'holdoutPercent', type: 'number', min: '0', max: '50',
      step: '1', inputmode: 'numeric', value: String(campaign?.holdoutPercent ?? 0), disabled: fixed,
      'aria-describedby': 'holdout-hint'});
    const holdoutField = h('fieldset', {class: 'window', id: 'holdout'},
      h('legend', {}, 'Holdout'),
      h('div', {class: 'inline'}, h('label', {for: 'holdout-percent'}, 'Hold out'), holdout,
        h('span', {}, '% of enrolled users')),
      h('p', {class: 'hint', id: 'holdout-hint'}, fixed ? 'Fixed at launch: changing it would move users between '
        + 'the groups.' : 'Held-out users are sent nothing, so the campaign page can show what the messages '
        + 'changed (0 to 50; fixed once the campaign is launched).'));

    const liveNotice = campaign?.status === 'live' ? h('div', {class: 'notice', id: 'live-change-notice'},
      h('p', {}, h('strong', {}, `This campaign is live with ${count(stats.active)} `
        + `${stats.active === 1 ? 'user' : 'users'} in it.`),
      ' A change of the conversion event or window applies to them the moment you save:'),
      h('ul', {},
        h('li', {}, 'New conversion events: from then on they leave when they do one of the new events instead of '
          + 'the old ones. What they did before is not looked at again, so nobody leaves because of the change '
          + 'itself.'),
        h('li', {}, 'A new window: it still counts from each user\'s own enrollment. With a shorter window, users '
          + 'who enrolled longer ago than the new window can no longer convert and stay until they are removed or '
          + 'the campaign ends; a longer or no window lets later events convert more of them.'),
        h('li', {}, 'Users who already converted or left are not affected.'))) : null;

    const submit = h('button', {type: 'submit', class: 'primary'}, campaign ? 'Save changes' : 'Continue to review');
    const cancel = link(campaign ? path('campaigns', campaign.id) : '/campaigns', 'Cancel', {class: 'button'});
    const element = h('form', {class: 'campaign-form', novalidate: true},
      h('div', {class: 'field'}, h('label', {for: 'campaign-name'}, 'Name'), name),
      id ? h('div', {class: 'field'},
        h('label', {for: 'campaign-id'}, 'Id'), id,
        h('p', {class: 'hint', id: 'campaign-id-hint'}, 'How the API and your sending system name the campaign: '
          + 'letters, digits and . _ : @ + = - only. It cannot change later.'))
        : h('div', {class: 'field'}, h('p', {class: 'label'}, 'Id'), h('p', {}, h('code', {}, campaign.id),
          ` · ${statusLabel(campaign.status)}`)),
      typeField,
      conversion,
      windowField,
      reentryField,
      holdoutField,
      liveNotice,
      errors,
      h('div', {class: 'actions'}, submit, cancel));

    /** The chosen events in the order chosen, each the campaign's own (with its window) where it had it. */
    function selectedEvents() {
      return chosen.map((id) => goals.find((goal) => goal.id === id) ?? {id, conversionWindow: null});
    }

    function showConversion() {
      const flow = type === 'flow';
      flowNote.hidden = !flow;
      const full = selectedEvents().length >= MAX_EVENTS;
      if (flow) {
        chosen = [];
      }
      for (const input of conversion.querySelectorAll('input')) {
        input.checked = chosen.includes(input.value);
        input.disabled = flow || (full && !input.checked);
      }
      windowField.hidden = flow || selectedEvents().length === 0;
    }
    showConversion();

    function showReentry() {
      reentryAfter.hidden = reentryKind.value !== 'after';
    }
    showReentry();

    element.addEventListener('submit', async (event) => {
      event.preventDefault();
      const problems = [];
      for (const input of [name, id, windowLength, reentryLength, holdout]) {
        input?.removeAttribute('aria-invalid');
      }
      if (name.value.trim() === '') {
        problems.push([name, 'Give the campaign a name.']);
      }
      if (id && !ID_PATTERN.test(id.value)) {
        problems.push([id, id.value === '' ? 'Give the campaign an id.'
          : 'The id may hold only letters, digits and . _ : @ + = -']);
      }
      const window = windowField.hidden ? null : windowValue(windowLength.value, windowUnit.value);
      if (window === undefined) {
        problems.push([windowLength, 'The window is a whole number above zero, or empty for no limit.']);
      }
      const reentryValue = reentryKind.value !== 'after' ? reentryKind.value
        : windowValue(reentryLength.value, reentryUnit.value);
      if (reentryValue === undefined || reentryValue === null) {
        problems.push([reentryLength, 'How long after leaving is a whole number above zero.']);
      }
      const heldOut = Number(holdout.value);
      if (!fixed && (!/^\d+$/.test(holdout.value.trim()) || heldOut > 50)) {
        problems.push([holdout, 'The holdout is a whole number from 0 to 50.']);
      }
      if (problems.length > 0) {
        problems.forEach(([input]) => input.setAttribute('aria-invalid', 'true'));
        replace(errors, alertBox(problems.map(([, message]) => message).join(' ')));
        problems[0][0].focus();
        return;
      }
      submit.disabled = true;
      replace(errors);
      try {
        if (campaign) {
          const changes = {};
          if (name.value.trim() !== campaign.name) {
            changes.name = name.value.trim();
          }
          const events = selectedEvents();
          const before = goals.map((goal) => goal.id).join();
          // Unchanged (or only re-ordered by unticking and ticking again) keeps the campaign's own list.
          if (events.map((goal) => goal.id).join() !== before) {
            changes.conversionEvents = events.length === 0 ? ['none'] : events;
          }
          const reentryWire = reentryKind.value === 'after' ? 'after:' + reentryValue : reentryValue;
          if (!sameReentry(reentryWire, campaign.reentry ?? 'always')) {
            changes.reentry = reentryWire;
          }
          if (!fixed && heldOut !== campaign.holdoutPercent) {
            changes.holdoutPercent = heldOut;
          }
          if (!sameWindow(window, campaign.conversionWindow)) {
            changes.conversionWindow = window;
          }
          if (Object.keys(changes).length === 0) {
            replace(errors, h('p', {class: 'notice', role: 'status'}, 'Nothing changed.'));
            return;
          }
          await patch(path('v1', 'campaigns', campaign.id), changes);
          navigate(campaign.status === 'draft'
            ? path('campaigns', campaign.id, 'review') : path('campaigns', campaign.id));
        } else {
          const events = selectedEvents();
          const draft = {id: id.value, name: name.value.trim(), type,
            conversionEvents: events.length === 0 ? ['none'] : events.map((goal) => goal.id),
            reentry: reentryKind.value === 'after' ? 'after:' + reentryValue : reentryValue,
            holdoutPercent: heldOut};
          if (window) {
            draft.conversionWindow = window;
          }
          await post('/v1/campaigns', draft);
          navigate(path('campaigns', draft.id, 'review'));
        }
      } catch (error) {
        if (error.status === 409 && id) {
          id.setAttribute('aria-invalid', 'true');
        }
        replace(errors, alertBox(error.message));
      } finally {
        submit.disabled = false;
      }
    });
    return element;
  }
}

function choice(group, value, label, description, checked, onchange, type = 'radio') {
  const inputId = `${group}-${value}`;
  return h('div', {class: 'choice'},
    h('input', {type, name: group, id: inputId, value, checked, onchange,
      'aria-describedby': inputId + '-description'}),
    h('label', {for: inputId}, h('span', {class: 'choice-label'}, label)),
    h('p', {class: 'hint', id: inputId + '-description'}, description));
}

function slug(name) {
  return name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64);
}

/** undefined for an invalid entry, null for none, else an ISO-8601 duration. */
function windowValue(length, unit) {
  if (length.trim() === '') {
    return null;
  }
  if (!/^\d+$/.test(length.trim()) || Number(length) < 1) {
    return undefined;
  }
  const n = Number(length);
  return unit === 'D' ? `P${n}D` : `PT${n}${unit}`;
}

/** A window as a whole number of the largest unit that divides it. */
function splitWindow(window) {
  if (!window) {
    return null;
  }
  const seconds = windowSeconds(window);
  for (const [unit, , size] of UNITS) {
    if (seconds % size === 0) {
      return {length: seconds / size, unit};
    }
  }
  return {length: Math.ceil(seconds / 60), unit: 'M'};
}

function windowSeconds(window) {
  const match = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(window) ?? [];
  return (Number(match[1] ?? 0) * 86400) + (Number(match[2] ?? 0) * 3600) + (Number(match[3] ?? 0) * 60)
    + Number(match[4] ?? 0);
}

/** "after:P30D" as {kind: 'after', length: 30, unit: 'D'}; "never" and "always" as their kind. */
function splitReentry(reentry) {
  if (reentry?.startsWith('after:')) {
    return {kind: 'after', ...splitWindow(reentry.slice('after:'.length))};
  }
  return {kind: reentry === 'never' ? 'never' : 'always'};
}

function sameReentry(a, b) {
  return a.startsWith('after:') && b.startsWith('after:') ? sameWindow(a.slice(6), b.slice(6)) : a === b;
}

/** Whether two windows (ISO-8601 durations, or null for none) are the same length: P1D is PT24H. */
function sameWindow(a, b) {
  return a === null || b === null ? a === b : windowSeconds(a) === windowSeconds(b);
}
