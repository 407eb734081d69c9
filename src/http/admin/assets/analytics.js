// Draws the Analytics page's charts from the JSON the server put in the page (no extra request).
/* global Chart, document, window */
(function () {
  const data = JSON.parse(document.getElementById('analytics-data').textContent);
  const colors = ['#2563eb', '#16a34a', '#d97706', '#dc2626', '#7c3aed', '#0891b2'];
  const common = { responsive: true, maintainAspectRatio: false, animation: false };
  const charts = {};

  charts.conversations = new Chart(document.getElementById('chart-conversations'), {
    type: 'bar',
    data: {
      labels: data.days,
      datasets: Object.entries(data.conversationsPerDay).map(([channel, values], i) => ({ label: channel, data: values, backgroundColor: colors[i % colors.length] })),
    },
    options: { ...common, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } },
  });

  charts.resolved = new Chart(document.getElementById('chart-resolved'), {
    type: 'bar',
    data: {
      labels: data.days,
      datasets: [
        { label: 'bot only', data: data.resolved.bot, backgroundColor: colors[1] },
        { label: 'a person', data: data.resolved.person, backgroundColor: colors[2] },
      ],
    },
    options: { ...common, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } },
  });

  charts.firstResponse = new Chart(document.getElementById('chart-first-response'), {
    type: 'line',
    data: {
      labels: data.days,
      datasets: [
        { label: 'p50', data: data.firstResponse.p50, borderColor: colors[0], spanGaps: true },
        { label: 'p90', data: data.firstResponse.p90, borderColor: colors[3], spanGaps: true },
      ],
    },
    options: { ...common, scales: { y: { beginAtZero: true } } },
  });

  charts.accept = new Chart(document.getElementById('chart-accept'), {
    type: 'line',
    data: {
      labels: data.days,
      datasets: [
        { label: 'p50', data: data.acceptTime.p50, borderColor: colors[0], spanGaps: true },
        { label: 'p90', data: data.acceptTime.p90, borderColor: colors[3], spanGaps: true },
      ],
    },
    options: { ...common, scales: { y: { beginAtZero: true } } },
  });

  charts.tokens = new Chart(document.getElementById('chart-tokens'), {
    type: 'bar',
    data: {
      labels: data.days,
      datasets: [
        { label: 'input tokens', data: data.tokens.input, backgroundColor: colors[0], stack: 'tokens', yAxisID: 'y' },
        { label: 'output tokens', data: data.tokens.output, backgroundColor: colors[4], stack: 'tokens', yAxisID: 'y' },
        { label: 'cost, ' + data.currency, data: data.tokens.cost, type: 'line', borderColor: colors[3], yAxisID: 'cost' },
      ],
    },
    options: {
      ...common,
      scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true }, cost: { position: 'right', beginAtZero: true, grid: { drawOnChartArea: false } } },
    },
  });

  // For the browser test and anyone curious in the console: which charts drew how many points.
  window.adminCharts = charts;
  document.body.dataset.chartsReady = 'true';
})();
