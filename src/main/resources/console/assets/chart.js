// Conversions over time as SVG bars, drawn for the width the chart has. A bar chart of counts needs
// no library: this is the whole of it, and it keeps the console free of any download.

import {h, s} from './dom.js';
import {bucketLabel, bucketTitle, count} from './format.js';

const HEIGHT = 220;
const MARGIN = {top: 12, right: 20, bottom: 26, left: 40};
const LABEL_WIDTH = 48;

/** A chart element with set(data) to show {bucket, buckets: [{start, conversions}]}; it redraws when resized. */
export function conversionChart(describedBy) {
  const figure = h('div', {class: 'chart'});
  let data = null;
  let drawnWidth = 0;
  const draw = () => {
    const width = Math.max(280, Math.floor(figure.clientWidth || 640));
    if (data === null || width === drawnWidth && figure.firstChild) {
      return;
    }
    drawnWidth = width;
    figure.replaceChildren(svg(data, width, describedBy));
  };
  new ResizeObserver(() => {
    if (Math.floor(figure.clientWidth) !== drawnWidth) {
      draw();
    }
  }).observe(figure);
  return {
    element: figure,
    set(next) {
      if (JSON.stringify(next) === JSON.stringify(data)) {
        return;
      }
      data = next;
      drawnWidth = 0;
      draw();
    },
  };
}

function svg(data, width, describedBy) {
  const buckets = data.buckets;
  const most = Math.max(0, ...buckets.map((bucket) => bucket.conversions));
  const step = niceStep(Math.max(most, 1) / 4);
  const top = Math.max(step, Math.ceil(most / step) * step);
  // Room for the longest count on the axis, at about 7 pixels a character.
  const left = Math.max(MARGIN.left, 12 + 7 * count(top).length);
  const plotWidth = width - left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const y = (value) => MARGIN.top + plotHeight - (value / top) * plotHeight;
  const band = plotWidth / buckets.length;
  const labelEvery = Math.max(1, Math.ceil(LABEL_WIDTH / band));
  const titleId = 'chart-title';

  const grid = [];
  for (let value = 0; value <= top; value += step) {
    grid.push(s('line', {class: 'grid', x1: left, x2: width - MARGIN.right, y1: y(value), y2: y(value)}),
      s('text', {class: 'axis', x: left - 6, y: y(value) + 4, 'text-anchor': 'end'}, count(value)));
  }
  const bars = buckets.map((bucket, i) => {
    const height = MARGIN.top + plotHeight - y(bucket.conversions);
    const x = left + i * band + band * 0.15;
    return s('rect', {
      class: 'bar', x: x.toFixed(1), y: y(bucket.conversions).toFixed(1), width: Math.max(1, band * 0.7).toFixed(1),
      height: Math.max(bucket.conversions > 0 ? 1 : 0, height).toFixed(1),
    }, s('title', {}, `${bucketTitle(bucket.start, data.bucket)}: ${count(bucket.conversions)} `
      + (bucket.conversions === 1 ? 'conversion' : 'conversions')));
  });
  const labels = [];
  for (let i = buckets.length - 1; i >= 0; i -= labelEvery) {
    labels.push(s('text', {class: 'axis', x: (left + (i + 0.5) * band).toFixed(1), y: HEIGHT - 8,
      'text-anchor': 'middle'}, bucketLabel(buckets[i].start, data.bucket)));
  }
  const empty = most === 0 ? s('text', {class: 'empty-chart', x: left + plotWidth / 2,
    y: MARGIN.top + plotHeight / 2, 'text-anchor': 'middle'}, 'No conversions in this period') : null;
  return s('svg', {viewBox: `0 0 ${width} ${HEIGHT}`, width, height: HEIGHT, role: 'img',
    'aria-labelledby': titleId, 'aria-describedby': describedBy},
  s('title', {id: titleId}, summary(data, most)), grid, bars, labels, empty);
}

/** One sentence for a screen reader: the period, the total, and the busiest bucket. */
export function summary(data, most = Math.max(0, ...data.buckets.map((bucket) => bucket.conversions))) {
  const unit = data.bucket === 'day' ? 'day' : 'hour';
  const period = `Conversions per ${unit}, ${data.buckets.length} ${unit}s`;
  if (most === 0) {
    return `${period}: none.`;
  }
  const busiest = data.buckets.find((bucket) => bucket.conversions === most);
  return `${period}: ${count(data.conversions)} in all; the most, ${count(most)}, `
    + `${unit === 'day' ? 'on' : 'at'} ${bucketTitle(busiest.start, data.bucket)}.`;
}

function niceStep(raw) {
  const power = 10 ** Math.floor(Math.log10(Math.max(raw, 1)));
  const fraction = raw / power;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return Math.max(1, nice * power);
}
