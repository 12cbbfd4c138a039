// The plot of list calls (log scale) against median detection latency, one point per policy and
// backup duration, written as plain SVG text. Pure.
import type { PollEfficiencyRow, PollingPolicyName } from './poll-efficiency';

const WIDTH = 760;
const HEIGHT = 460;
const PLOT = { left: 70, right: 560, top: 40, bottom: 400 };
const COLOURS: Record<PollingPolicyName, string> = {
  'ours-backoff': '#d62728',
  'ours-predictive': '#1f77b4',
  'ours-predictive-history': '#17becf',
  'aws-waiter': '#ff7f0e',
  oracle: '#2ca02c',
};

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const round = (value: number) => Math.round(value * 10) / 10;

/** `1 min`, `10 min`, `1 h`, `6 h`. */
export function durationLabel(seconds: number): string {
  return seconds >= 3600 && seconds % 3600 === 0 ? `${seconds / 3600} h` : seconds >= 60 ? `${round(seconds / 60)} min` : `${seconds} s`;
}

/** A round upper bound for the latency axis: 10, 20, 50, 100, 200, … */
function niceMax(value: number): number {
  const steps = [1, 2, 5];
  for (let power = 1; ; power *= 10) {
    for (const step of steps) if (step * power * 10 >= value) return step * power * 10;
  }
}

export function pollingPlotSvg(rows: readonly PollEfficiencyRow[]): string {
  const calls = rows.map((row) => Math.max(row.callsMedian, 1));
  const decadeLow = Math.floor(Math.log10(Math.min(...calls, 1)));
  const decadeHigh = Math.max(Math.ceil(Math.log10(Math.max(...calls, 10))), decadeLow + 1);
  const latencyMax = niceMax(Math.max(...rows.map((row) => row.latencyMedianSeconds), 1));
  const x = (value: number) =>
    round(PLOT.left + ((Math.log10(Math.max(value, 1)) - decadeLow) / (decadeHigh - decadeLow)) * (PLOT.right - PLOT.left));
  const y = (seconds: number) => round(PLOT.bottom - (seconds / latencyMax) * (PLOT.bottom - PLOT.top));

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="20" text-anchor="middle" font-size="14">List calls per backup against median detection latency</text>`,
  ];
  // Axes with a gridline at each decade (x) and each fifth of the range (y).
  for (let decade = decadeLow; decade <= decadeHigh; decade += 1) {
    const at = x(10 ** decade);
    parts.push(`<line x1="${at}" y1="${PLOT.top}" x2="${at}" y2="${PLOT.bottom}" stroke="#ddd"/>`);
    parts.push(`<text x="${at}" y="${PLOT.bottom + 16}" text-anchor="middle">${10 ** decade}</text>`);
  }
  for (let i = 0; i <= 5; i += 1) {
    const seconds = (latencyMax * i) / 5;
    parts.push(`<line x1="${PLOT.left}" y1="${y(seconds)}" x2="${PLOT.right}" y2="${y(seconds)}" stroke="#ddd"/>`);
    parts.push(`<text x="${PLOT.left - 6}" y="${y(seconds) + 4}" text-anchor="end">${round(seconds)}</text>`);
  }
  parts.push(
    `<line x1="${PLOT.left}" y1="${PLOT.bottom}" x2="${PLOT.right}" y2="${PLOT.bottom}" stroke="black"/>`,
    `<line x1="${PLOT.left}" y1="${PLOT.top}" x2="${PLOT.left}" y2="${PLOT.bottom}" stroke="black"/>`,
    `<text x="${(PLOT.left + PLOT.right) / 2}" y="${PLOT.bottom + 36}" text-anchor="middle">list calls per backup (median, log scale)</text>`,
    `<text transform="translate(20 ${(PLOT.top + PLOT.bottom) / 2}) rotate(-90)" text-anchor="middle">median detection latency (s)</text>`,
  );

  // One line per policy through its durations, a labelled point per row, and the legend.
  const policies = [...new Set(rows.map((row) => row.policy))];
  policies.forEach((policy, index) => {
    const own = rows.filter((row) => row.policy === policy).sort((a, b) => a.backupSeconds - b.backupSeconds);
    const colour = COLOURS[policy] ?? 'black';
    const points = own.map((row) => `${x(row.callsMedian)},${y(row.latencyMedianSeconds)}`).join(' ');
    parts.push(`<polyline points="${points}" fill="none" stroke="${colour}" stroke-opacity="0.5"/>`);
    for (const row of own) {
      const label = `${policy}, ${durationLabel(row.backupSeconds)}: ${row.callsMedian} calls, ${row.latencyMedianSeconds} s median`;
      parts.push(
        `<circle class="point" data-policy="${escape(policy)}" data-backup-seconds="${row.backupSeconds}" cx="${x(row.callsMedian)}" ` +
          `cy="${y(row.latencyMedianSeconds)}" r="4" fill="${colour}"><title>${escape(label)}</title></circle>`,
        `<text x="${x(row.callsMedian) + 6}" y="${y(row.latencyMedianSeconds) - 6}" font-size="10" fill="${colour}">${durationLabel(row.backupSeconds)}</text>`,
      );
    }
    const legendY = PLOT.top + 10 + index * 20;
    parts.push(
      `<circle cx="${PLOT.right + 24}" cy="${legendY}" r="4" fill="${colour}"/>`,
      `<text x="${PLOT.right + 34}" y="${legendY + 4}">${escape(policy)}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
