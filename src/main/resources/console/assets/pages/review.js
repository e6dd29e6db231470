import {get, post} from '../api.js';
import {alertBox, facts, h, link, path, replace} from '../dom.js';
import {goalsOf, reentryLabel, statusLabel, time, typeLabel, windowLabel} from '../format.js';

/** What a marketer reads before launch: the campaign, its conversion event, every warning; then launch. */
export function reviewPage({params, navigate}) {
  const [id] = params;
  const heading = h('h1', {tabindex: '-1'}, 'Review');
  const body = h('div', {}, h('p', {class: 'loading'}, 'Loading…'));
  load();
  return {title: 'Review', content: h('section', {}, crumbs(id), heading, body)};

  async function load() {
    try {
      show(await get(path('v1', 'campaigns', id, 'review')));
    } catch (error) {
      replace(body, alertBox(error.message));
    }
  }

  function show(review) {
    const {campaign, warnings} = review;
    const definitions = review.conversionEvents ?? [review.conversionEvent];
    heading.textContent = `Review ${campaign.name}`;
    const feedback = h('div', {});
    const launch = h('button', {type: 'button', class: 'primary', id: 'launch'}, 'Launch campaign');
    launch.addEventListener('click', async () => {
      launch.disabled = true;
      replace(feedback);
      try {
        await post(path('v1', 'campaigns', campaign.id, 'launch'));
        navigate(path('campaigns', campaign.id));
      } catch (error) {
        replace(feedback, alertBox(error.message));
        launch.disabled = false;
      }
    });
    const describe = (conversionEvent) => conversionEvent.missing
      ? h('span', {class: 'warning-text'}, `${conversionEvent.id} (no loaded rule defines it)`)
      : [h('strong', {}, conversionEvent.label), ' — ', conversionEvent.description,
        conversionEvent.file ? h('span', {class: 'source'}, ` Rule file: ${conversionEvent.file}`) : null];
    const goals = goalsOf(campaign);
    const conversion = definitions.length === 1 ? describe(definitions[0])
      : h('ol', {class: 'plain'}, definitions.map((definition, i) => h('li', {}, describe(definition),
        goals[i]?.window ? ` Within ${windowLabel(goals[i].window)} of enrolling.` : '')));
    replace(body,
      facts([
        ['Name', campaign.name],
        ['Id', h('code', {}, campaign.id)],
        ['Type', typeLabel(campaign.type)],
        [definitions.length === 1 ? 'Conversion event' : 'Conversion events (the first that happens)', conversion],
        campaign.type === 'flow' || campaign.conversionEvent === 'none' ? null
          : ['Conversion window', windowLabel(campaign.conversionWindow)],
        ['Users who left may enter again', reentryLabel(campaign.reentry)],
        ['Held out', campaign.holdoutPercent > 0 ? `${campaign.holdoutPercent}% of enrolled users (sent nothing, `
          + 'to measure the lift)' : 'Nobody'],
        ['Status', statusLabel(campaign.status)],
        campaign.launchedAt ? ['Launched', time(campaign.launchedAt)] : null,
      ]),
      h('section', {'aria-labelledby': 'warnings-heading', class: 'warnings'},
        h('h2', {id: 'warnings-heading'}, 'Before you launch'),
        warnings.length === 0
          ? h('p', {}, 'Nothing to warn about.')
          : h('ul', {id: 'warnings'}, warnings.map((warning) => h('li', {}, warning)))),
      feedback,
      campaign.status === 'draft'
        ? h('div', {class: 'actions'}, launch,
          link(path('campaigns', campaign.id, 'edit'), 'Change it', {class: 'button'}),
          link(path('campaigns', campaign.id), 'Keep as draft', {class: 'button quiet'}))
        : h('p', {class: 'notice'}, `This campaign is ${statusLabel(campaign.status).toLowerCase()}. `,
          link(path('campaigns', campaign.id), 'Open its page.')));
  }
}

export function crumbs(id) {
  return h('nav', {class: 'crumbs', 'aria-label': 'Breadcrumb'},
    link('/campaigns', 'Campaigns'), id ? [' / ', link(path('campaigns', id), id)] : null);
}
