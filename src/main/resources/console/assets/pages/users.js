import {get} from '../api.js';
import {alertBox, h, link, path, replace, table, update} from '../dom.js';
import {catalogue, count, ENROLLMENT_STATUSES, statusLabel, time} from '../format.js';
import {deliveries, explanation} from './exits.js';

const USER_ID = /^[A-Za-z0-9._:@+=-]{1,256}$/;

/** One user: every campaign they are or were in and why they left, and the performed-event query. */
export function usersPage({params, navigate}) {
  const [userId] = params;
  const lookup = h('input', {id: 'user-id', name: 'userId', value: userId ?? '', required: true, autocomplete: 'off',
    spellcheck: 'false', autocapitalize: 'off'});
  const lookupError = h('div', {});
  const search = h('form', {role: 'search', class: 'inline-form', novalidate: true},
    h('label', {for: 'user-id'}, 'User id'), lookup, h('button', {type: 'submit'}, 'Look up'));
  search.addEventListener('submit', (event) => {
    event.preventDefault();
    const wanted = lookup.value.trim();
    if (!USER_ID.test(wanted)) {
      replace(lookupError, alertBox('A user id is letters, digits and . _ : @ + = - only.'));
      lookup.focus();
      return;
    }
    navigate(path('users', wanted));
  });

  if (!userId) {
    return {
      title: 'Users',
      focus: lookup,
      content: h('section', {},
        h('h1', {tabindex: '-1'}, 'Users'),
        h('p', {}, 'Look a user up by the id your platform sends: every campaign they are or were in, why they '
          + 'left each one, and what a flow step would see when it asks whether they did something.'),
        search, lookupError),
    };
  }

  const enrollments = h('div', {class: 'region'});
  async function refresh() {
    const [found, campaigns, events] = await Promise.all([
      get(path('v1', 'users', userId, 'campaigns')),
      get('/v1/campaigns'),
      get('/v1/conversion-events'),
    ]);
    const byId = new Map(campaigns.campaigns.map((campaign) => [campaign.id, campaign]));
    const labels = catalogue(events.conversionEvents);
    update(enrollments, {found, campaigns: campaigns.campaigns, events: events.conversionEvents},
      () => enrollmentList(found.enrollments, byId, labels));
  }

  return {
    title: `User ${userId}`,
    content: h('section', {},
      h('h1', {tabindex: '-1'}, `User ${userId}`),
      search, lookupError,
      h('section', {'aria-labelledby': 'user-campaigns-heading', class: 'panel'},
        h('h2', {id: 'user-campaigns-heading'}, 'Campaigns'),
        enrollments),
      performedQuery(userId)),
    refresh,
  };
}

function enrollmentList(list, campaigns, labels) {
  if (list.length === 0) {
    return h('p', {class: 'empty'}, 'This user was never enrolled in a campaign.');
  }
  return table('Campaigns of this user', ['Campaign', 'Status', 'Enrolled', 'What happened', 'Sender'],
    list.map((enrollment) => {
      const campaign = campaigns.get(enrollment.campaignId);
      const name = campaign?.name ?? enrollment.campaignId;
      const label = labels(enrollment.exit?.conversionEvent ?? campaign?.conversionEvent).label;
      return [
        [link(path('campaigns', enrollment.campaignId), name, {'data-focus': 'campaign-' + enrollment.campaignId}),
          campaign ? h('span', {class: 'source'}, ` ${statusLabel(campaign.status).toLowerCase()} campaign`) : null],
        ENROLLMENT_STATUSES[enrollment.status] ?? enrollment.status,
        time(enrollment.enrolledAt),
        enrollment.exit ? explanation(enrollment.exit, label) : 'Still in the campaign.',
        enrollment.exit ? deliveries(enrollment.exit) : '—',
      ];
    }), {id: 'user-campaigns'});
}

/** What GET /v1/users/{userId}/performed answers: what a flow step would see. */
function performedQuery(userId) {
  const eventName = h('input', {id: 'performed-event', name: 'event', required: true, autocomplete: 'off',
    placeholder: 'Placed Order', 'aria-describedby': 'performed-event-hint'});
  const since = h('input', {id: 'performed-since', name: 'since', type: 'datetime-local', step: '1'});
  const answer = h('div', {id: 'performed-answer', 'aria-live': 'polite'});
  const form = h('form', {class: 'performed', novalidate: true},
    h('div', {class: 'field'}, h('label', {for: 'performed-event'}, 'Event name'), eventName,
      h('p', {class: 'hint', id: 'performed-event-hint'},
        'As your platform sends it, e.g. Placed Order or Clicked Email.')),
    h('div', {class: 'field'}, h('label', {for: 'performed-since'}, 'Since (optional, your local time)'), since),
    h('div', {class: 'actions'}, h('button', {type: 'submit'}, 'Ask')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const name = eventName.value.trim();
    if (name === '') {
      replace(answer, alertBox('Type the event name to ask about.'));
      eventName.focus();
      return;
    }
    const query = new URLSearchParams({event: name});
    if (since.value) {
      query.set('since', new Date(since.value).toISOString());
    }
    try {
      const result = await get(path('v1', 'users', userId, 'performed') + '?' + query);
      replace(answer, h('p', {class: result.performed ? 'answer yes' : 'answer no'},
        h('strong', {}, result.performed ? 'Yes. ' : 'No. '),
        result.performed
          ? [`${userId} performed `, h('q', {}, name), ` ${count(result.count)} `
            + `${result.count === 1 ? 'time' : 'times'}${result.since ? ' since then' : ''}; the last at `,
          time(result.last), '.']
          : [`${userId} has not performed `, h('q', {}, name), result.since ? [' since ', time(result.since)] : null,
            '. Event names must match exactly, capitals included.']));
    } catch (error) {
      replace(answer, alertBox(error.message));
    }
  });
  return h('section', {'aria-labelledby': 'performed-heading', class: 'panel'},
    h('h2', {id: 'performed-heading'}, 'Has this user performed an event?'),
    h('p', {}, 'What a flow step sees when it asks (GET /v1/users/{userId}/performed).'),
    form, answer);
}
