// A hand-written SVG chart: for each throughput measurement, bars for zkts and ZooKeeper side by
// side — ops/s on the left, p99 latency on the right, both on log scales.
import { CLIENT_LABELS } from './clients.mjs';

const COLORS = { zkts: '#2b7bb9', zookeeper: '#e07b39' };
const NAMES = { zkts: 'zkts', zookeeper: 'ZooKeeper' };
const LABEL_WIDTH = 300;
const PANEL_WIDTH = 360;
const PANEL_GAP = 60;
const BAR_HEIGHT = 9;
const ROW_GAP = 8;
const TOP = 70;

const escapeXml = (text) => String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function shortLoad(row) {
  switch (row.workload) {
    case 'churn':
      return `${row.sessions} churners`;
    case 'watch':
      return `${row.extra?.watchers} watchers`;
    case 'lock':
      return `${row.sessions} contender${row.sessions === 1 ? '' : 's'}`;
    default:
      return `${row.sessions}×${row.inFlight}`;
  }
}

/** A log10 axis spanning the decades that hold `values`. */
function logScale(values) {
  const positive = values.filter((v) => typeof v === 'number' && v > 0);
  const lo = positive.length ? Math.floor(Math.log10(Math.min(...positive))) : 0;
  const hi = positive.length ? Math.ceil(Math.log10(Math.max(...positive))) : 1;
  const min = lo;
  const max = Math.max(hi, lo + 1);
  return {
    x: (v) => (v > 0 ? ((Math.log10(v) - min) / (max - min)) * PANEL_WIDTH : 0),
    ticks: Array.from({ length: max - min + 1 }, (_, i) => 10 ** (min + i)),
  };
}

const tickLabel = (v) => (v >= 1e6 ? `${v / 1e6}M` : v >= 1e3 ? `${v / 1e3}k` : String(v));

/** Renders the rows (JSON-line records of throughput workloads) as an SVG document. */
export function renderChart(rows) {
  const groups = [];
  const byKey = new Map();
  for (const row of rows) {
    const key = `${row.workload}|${row.sessions}|${row.inFlight}|${row.client}`;
    if (!byKey.has(key)) {
      const group = { label: `${row.workload} ${shortLoad(row)} · ${CLIENT_LABELS[row.client] ?? row.client}`, bars: {} };
      byKey.set(key, group);
      groups.push(group);
    }
    byKey.get(key).bars[row.target] = row;
  }
  const targets = ['zkts', 'zookeeper'].filter((t) => groups.some((g) => g.bars[t]));
  const rowHeight = targets.length * BAR_HEIGHT + ROW_GAP;
  const height = TOP + groups.length * rowHeight + 30;
  const width = LABEL_WIDTH + 2 * PANEL_WIDTH + PANEL_GAP + 80;
  const throughput = logScale(rows.map((r) => r.opsPerSec));
  const latency = logScale(rows.map((r) => r.p99Ms));
  const panels = [
    { title: 'throughput, ops/s (log scale, longer is better)', left: LABEL_WIDTH, scale: throughput, value: (r) => r.opsPerSec, text: (v) => Math.round(v).toLocaleString('en') },
    { title: 'p99 latency, ms (log scale, shorter is better)', left: LABEL_WIDTH + PANEL_WIDTH + PANEL_GAP, scale: latency, value: (r) => r.p99Ms, text: (v) => (v >= 10 ? v.toFixed(0) : v.toFixed(2)) },
  ];
  const out = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="11">`);
  out.push(`<rect width="${width}" height="${height}" fill="#fff"/>`);
  out.push(`<text x="10" y="20" font-size="15" font-weight="bold">zkts vs Apache ZooKeeper: 3-server ensembles on loopback</text>`);
  targets.forEach((target, i) => {
    const x = 10 + i * 120;
    out.push(`<rect x="${x}" y="32" width="12" height="12" fill="${COLORS[target]}"/><text x="${x + 16}" y="42">${NAMES[target]}</text>`);
  });
  for (const panel of panels) {
    out.push(`<text x="${panel.left}" y="${TOP - 14}" font-weight="bold">${escapeXml(panel.title)}</text>`);
    for (const tick of panel.scale.ticks) {
      const x = panel.left + panel.scale.x(tick);
      out.push(`<line x1="${x.toFixed(1)}" y1="${TOP - 6}" x2="${x.toFixed(1)}" y2="${height - 24}" stroke="#ddd"/>`);
      out.push(`<text x="${x.toFixed(1)}" y="${height - 10}" text-anchor="middle" fill="#666">${tickLabel(tick)}</text>`);
    }
  }
  groups.forEach((group, index) => {
    const y = TOP + index * rowHeight;
    if (index % 2 === 0) out.push(`<rect x="0" y="${y - ROW_GAP / 2}" width="${width}" height="${rowHeight}" fill="#f6f6f6"/>`);
    out.push(`<text x="${LABEL_WIDTH - 8}" y="${y + (targets.length * BAR_HEIGHT) / 2 + 4}" text-anchor="end">${escapeXml(group.label)}</text>`);
    targets.forEach((target, t) => {
      const row = group.bars[target];
      if (row === undefined) return;
      for (const panel of panels) {
        const value = panel.value(row);
        if (typeof value !== 'number' || !(value > 0)) continue;
        const w = Math.max(1, panel.scale.x(value));
        const by = y + t * BAR_HEIGHT;
        out.push(`<rect x="${panel.left}" y="${by}" width="${w.toFixed(1)}" height="${BAR_HEIGHT - 1}" fill="${COLORS[target]}"><title>${escapeXml(`${NAMES[target]} ${group.label}: ${panel.text(value)}`)}</title></rect>`);
        out.push(`<text x="${(panel.left + w + 3).toFixed(1)}" y="${by + BAR_HEIGHT - 1}" font-size="9" fill="#333">${panel.text(value)}</text>`);
      }
    });
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
