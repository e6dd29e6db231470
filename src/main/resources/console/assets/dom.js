// Building the page. Everything goes through createElement and textContent: nothing the API returns
// is ever parsed as HTML, so a campaign named <img src=x onerror=alert(1)> shows as that text.

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An element: h('a', {href: '#/x', class: 'link'}, 'text', child, [more]). on* props add listeners. */
export function h(tag, props, ...children) {
  return fill(document.createElement(tag), props, children);
}

/** An SVG element, as h() builds HTML ones. */
export function s(tag, props, ...children) {
  return fill(document.createElementNS(SVG_NS, tag), props, children);
}

function fill(element, props, children) {
  for (const [name, value] of Object.entries(props ?? {})) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else if (name === 'class') {
      element.setAttribute('class', value);
    } else if (name === 'text') {
      element.textContent = String(value);
    } else if (name === 'value' && 'value' in element) {
      element.value = value;
    } else if (name === 'checked' || name === 'selected') {
      element[name] = Boolean(value);
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    if (Array.isArray(child)) {
      append(element, child);
    } else {
      element.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
}

/** Replaces an element's children, keeping keyboard focus on the control with the same data-focus key. */
export function replace(region, ...children) {
  const active = document.activeElement;
  const focusKey = active && region.contains(active) ? active.dataset.focus : undefined;
  region.replaceChildren();
  append(region, children);
  if (focusKey !== undefined) {
    const again = [...region.querySelectorAll('[data-focus]')].find((el) => el.dataset.focus === focusKey);
    again?.focus();
  }
}

/**
 * Shows data in a region only when it differs from what the region shows, so polling does not
 * rebuild (and steal focus from) a table nobody changed.
 */
const shown = new WeakMap();
export function update(region, data, render) {
  const fingerprint = JSON.stringify(data);
  if (shown.get(region) === fingerprint) {
    return;
  }
  shown.set(region, fingerprint);
  replace(region, render(data));
}

/** A table whose rows stack into labelled blocks on a narrow screen (the labels come from the headers). */
export function table(caption, headers, rows, options = {}) {
  return h('div', {class: 'table-wrap'},
    h('table', {class: 'data', id: options.id},
      h('caption', {class: options.showCaption ? null : 'visually-hidden'}, caption),
      h('thead', {}, h('tr', {}, headers.map((header) => h('th', {scope: 'col'}, header)))),
      h('tbody', {}, rows.map((cells) => h('tr', {},
        cells.map((cell, i) => h('td', {'data-label': headers[i]}, h('div', {}, cell))))))));
}

/** A definition list from [term, value] pairs. */
export function facts(pairs) {
  return h('dl', {class: 'facts'}, pairs.filter(Boolean).map(([term, value]) =>
    h('div', {}, h('dt', {}, term), h('dd', {}, value))));
}

/** An error message box; role=alert so screen readers hear it when it appears. */
export function alertBox(message) {
  return h('p', {class: 'alert', role: 'alert'}, message);
}

/** A link inside the console; ids are encoded so any id makes a safe path. */
export function link(path, text, props = {}) {
  return h('a', {href: '#' + path, ...props}, text);
}

export function path(...segments) {
  return '/' + segments.map((segment) => encodeURIComponent(segment)).join('/');
}
