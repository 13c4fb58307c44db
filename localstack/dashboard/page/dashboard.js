// The local dashboard page: draws every widget of GET /api/widgets with uPlot and refreshes it from
// GET /api/data every 2 s. Plain browser JavaScript, served as is (no build step).
(() => {
  const COLORS = [
    '#1f77b4',
    '#ff7f0e',
    '#2ca02c',
    '#d62728',
    '#9467bd',
    '#8c564b',
    '#e377c2',
    '#7f7f7f',
    '#bcbd22',
    '#17becf',
  ];
  const REFRESH_MS = 2000;
  const charts = new Map();

  const fmt = (v) => (v === null || v === undefined ? '–' : Number.isInteger(v) ? String(v) : v.toFixed(1));

  function lastValue(values) {
    for (let i = values.length - 1; i >= 0; i--) if (values[i] !== null) return values[i];
    return null;
  }

  function createWidget(container, widget) {
    const box = document.createElement('div');
    box.className = 'widget';
    box.dataset.widgetId = widget.id;
    const title = document.createElement('h3');
    title.textContent = widget.title;
    box.append(title);
    const plotArea = document.createElement('div');
    box.append(plotArea);
    const latest = document.createElement('div');
    latest.className = 'latest';
    box.append(latest);
    container.append(box);
    const opts = {
      width: 420,
      height: 180,
      legend: { show: false },
      scales: { x: { time: true }, y: { range: (_u, min, max) => [0, Math.max(1, max * 1.1, min)] } },
      axes: [{}, { label: widget.unit, size: 60 }],
      series: [
        {},
        ...widget.series.map((s, i) => ({
          label: s.label,
          stroke: COLORS[i % COLORS.length],
          width: 2,
          spanGaps: true,
          // Single datapoints (a latency sample between empty buckets) must show too.
          points: { show: true, size: 5 },
        })),
      ],
    };
    const empty = [[], ...widget.series.map(() => [])];
    const plot = new uPlot(opts, empty, plotArea);
    charts.set(widget.id, { widget, plot, box, latest });
  }

  function render(data) {
    for (const [id, chart] of charts) {
      const series = data.widgets[id] ?? [];
      chart.plot.setData([data.x, ...series]);
      let points = 0;
      let total = 0;
      chart.latest.replaceChildren(
        ...chart.widget.series.map((s, i) => {
          const values = series[i] ?? [];
          for (const v of values) {
            if (v !== null) {
              points++;
              total += v;
            }
          }
          const span = document.createElement('span');
          span.dataset.series = s.label;
          const swatch = document.createElement('i');
          swatch.className = 'swatch';
          swatch.style.background = COLORS[i % COLORS.length];
          // Counters read as their total over the window, everything else as its latest value.
          const value = document.createElement('b');
          const isTotal = s.stat === 'Sum';
          value.textContent = isTotal ? fmt(values.reduce((a, v) => a + (v ?? 0), 0)) : fmt(lastValue(values));
          span.append(swatch, `${s.label}${isTotal ? ' (5 min)' : ''}: `, value);
          return span;
        }),
      );
      // What the browser test reads: how many datapoints the widget shows, their sum, and as of when.
      chart.box.dataset.points = String(points);
      chart.box.dataset.total = String(total);
      chart.box.dataset.asOf = String(data.x[data.x.length - 1] ?? 0);
    }
  }

  async function refresh() {
    const status = document.getElementById('status');
    try {
      const res = await fetch('/api/data?minutes=5');
      render(await res.json());
      status.textContent = `updated ${new Date().toLocaleTimeString()} · 5-second buckets, last 5 minutes · refresh every ${REFRESH_MS / 1000} s`;
    } catch (e) {
      status.textContent = `cannot reach the pipeline: ${e}`;
    }
  }

  async function main() {
    const res = await fetch('/api/widgets');
    const { subtitle, sections } = await res.json();
    document.getElementById('subtitle').textContent = subtitle;
    const root = document.getElementById('sections');
    for (const section of sections) {
      const el = document.createElement('section');
      const h = document.createElement('h2');
      h.textContent = section.title;
      const grid = document.createElement('div');
      grid.className = 'widgets';
      el.append(h, grid);
      root.append(el);
      for (const widget of section.widgets) createWidget(grid, widget);
    }
    await refresh();
    setInterval(refresh, REFRESH_MS);
  }

  main();
})();
