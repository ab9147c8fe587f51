// The dashboard's only hand-written browser code: pause and the "N new" count, keeping a half-typed
// reply from being refreshed away, and drawing the cost chart. No build step: served as written.
(function () {
  'use strict';
  var paused = false;
  var unseen = new Set();
  var opened = false;

  function panels() {
    return document.querySelectorAll('.panel-body');
  }

  function refreshAll() {
    panels().forEach(function (element) {
      window.htmx.trigger(element, 'fleet:refresh');
    });
  }

  function showCount() {
    var counter = document.getElementById('new-count');
    if (counter === null) return;
    counter.textContent = unseen.size + ' new';
    counter.hidden = !paused || unseen.size === 0;
  }

  // Whether a panel may refresh now: not while paused, and not under a field someone is typing in.
  window.fleetLive = function (element) {
    if (paused) return false;
    var active = document.activeElement;
    if (active && element.contains(active) && /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName) && active.value) return false;
    return true;
  };

  document.addEventListener('htmx:sseMessage', function (event) {
    if (!paused || !event.detail) return;
    // One event carries every id that changed in its window, space-separated.
    String(event.detail.data || '')
      .split(' ')
      .forEach(function (id) {
        if (id !== '' && id !== '-') unseen.add(event.detail.type + ':' + id);
      });
    showCount();
  });

  document.addEventListener('htmx:sseOpen', function () {
    var state = document.getElementById('live-state');
    if (state) state.dataset.connected = 'true';
    // Hints sent while the stream was down are gone (NOTIFY has no replay): refetch everything once.
    if (opened && !paused) refreshAll();
    opened = true;
  });

  document.addEventListener('htmx:sseError', function () {
    var state = document.getElementById('live-state');
    if (state) state.dataset.connected = 'false';
  });

  var COLORS = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#4b5563', '#65a30d', '#ea580c'];

  function drawCharts(root) {
    if (!window.uPlot || !root.querySelectorAll) return;
    root.querySelectorAll('script.cost-series').forEach(function (script) {
      var target = script.parentElement && script.parentElement.querySelector('.cost-chart');
      if (!target) return;
      var series = JSON.parse(script.textContent || '{"labels":[],"data":[[]]}');
      target.textContent = '';
      target.fleetSeries = series;
      if (series.data[0].length === 0) return;
      var options = {
        width: Math.max(320, target.clientWidth || 600),
        height: 200,
        scales: { x: { time: true } },
        series: [{}].concat(
          series.labels.map(function (label, index) {
            return {
              label: label,
              stroke: COLORS[index % COLORS.length],
              value: function (u, v) {
                return v == null ? '' : '$' + v.toFixed(4);
              },
            };
          }),
        ),
      };
      target.fleetChart = new window.uPlot(options, series.data, target);
    });
  }

  // A refresh that brings the same HTML swaps nothing: no flicker, and a button being clicked stays put.
  document.addEventListener('htmx:beforeSwap', function (event) {
    var target = event.detail.target;
    if (!target || !target.classList || !target.classList.contains('panel-body')) return;
    var text = event.detail.serverResponse;
    if (target.fleetLastResponse === text) event.detail.shouldSwap = false;
    target.fleetLastResponse = text;
  });

  document.addEventListener('htmx:afterSwap', function (event) {
    drawCharts(event.target);
  });

  document.addEventListener('DOMContentLoaded', function () {
    drawCharts(document);
    var button = document.getElementById('pause');
    if (!button) return;
    button.addEventListener('click', function () {
      paused = !paused;
      button.setAttribute('aria-pressed', String(paused));
      button.textContent = paused ? 'Resume' : 'Pause';
      document.body.dataset.paused = String(paused);
      if (!paused) {
        unseen.clear();
        refreshAll();
      }
      showCount();
    });
  });
})();
