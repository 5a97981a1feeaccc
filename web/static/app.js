// Traject's own script: small enhancements on top of pages that work
// without it. Loaded from /static (CSP script-src 'self'), never inline.
(function () {
  "use strict";

  var COLORS = ["#0b5394", "#b45f06", "#38761d", "#741b47", "#3d3d3d"];
  var DAY = 86400000;

  function isoDay(x) {
    return new Date(x * DAY).toISOString().slice(0, 10);
  }

  // The chart of levels per skill on the learner page, from the JSON in its
  // data-chart attribute (not a script block: htmx drops those on a swap).
  function drawChart(root) {
    var canvas = root.querySelector ? root.querySelector("#level-chart") : null;
    if (!canvas || !canvas.dataset.chart || !window.Chart) return;
    if (window.Chart.getChart(canvas)) return; // drawn already
    var data = JSON.parse(canvas.dataset.chart);
    var datasets = [];
    var lo = 12, hi = 0;
    data.skills.forEach(function (s, i) {
      var color = COLORS[i % COLORS.length];
      s.points.forEach(function (p) { lo = Math.min(lo, p.y); hi = Math.max(hi, p.y); });
      datasets.push({
        label: s.label, data: s.points, borderColor: color, backgroundColor: color,
        pointRadius: 4, pointHoverRadius: 6, tension: 0, stepped: false
      });
      if (s.goal) {
        lo = Math.min(lo, s.goal.level); hi = Math.max(hi, s.goal.level);
        datasets.push({
          label: s.label + " – " + data.labels.goal,
          data: [{ x: s.goal.from, y: s.goal.level }, { x: s.goal.to, y: s.goal.level }],
          borderColor: color, backgroundColor: color, borderDash: [6, 4], borderWidth: 2,
          pointStyle: "star", pointRadius: [0, 9], pointHoverRadius: 9
        });
      }
    });
    new window.Chart(canvas, {
      type: "line",
      data: { datasets: datasets },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        interaction: { mode: "nearest", intersect: false },
        scales: {
          x: { type: "linear", title: { display: true, text: data.labels.date },
               ticks: { callback: function (v) { return isoDay(v); }, maxTicksLimit: 8 } },
          y: { min: Math.max(0, lo - 1), max: Math.min(data.ladder.length - 1, hi + 1),
               title: { display: true, text: data.labels.level },
               ticks: { stepSize: 1, callback: function (v) { return data.ladder[v]; } } }
        },
        plugins: {
          legend: { position: "bottom" },
          tooltip: { callbacks: {
            title: function (items) { return items.length ? isoDay(items[0].parsed.x) : ""; },
            label: function (ctx) { return ctx.dataset.label + ": " + data.ladder[ctx.parsed.y]; }
          } }
        }
      }
    });
    canvas.setAttribute("data-drawn", "true");
  }

  // A select marked data-autosubmit submits its form when it changes.
  function autosubmit(root) {
    root.querySelectorAll("select[data-autosubmit]").forEach(function (sel) {
      if (sel.dataset.bound) return;
      sel.dataset.bound = "1";
      sel.addEventListener("change", function () { sel.form.submit(); });
    });
  }

  // The reason of an outflow is only for early leavers.
  function reasonToggle(root) {
    root.querySelectorAll("select[data-reason-toggle]").forEach(function (sel) {
      var reason = sel.form.querySelector("select[name=reason]");
      if (!reason) return;
      var sync = function () {
        var early = sel.value === "early_leaver";
        reason.disabled = !early;
        if (!early) reason.value = "";
      };
      if (!sel.dataset.bound) {
        sel.dataset.bound = "1";
        sel.addEventListener("change", sync);
      }
      sync();
    });
  }

  // Arrow up/down in the evaluation grid moves to the same column of the
  // row above or below, as in a spreadsheet.
  document.addEventListener("keydown", function (e) {
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    var t = e.target;
    if (!t.closest || !t.closest("table.grid") || t.tagName !== "INPUT" || t.type === "checkbox" || t.type === "date") return;
    var cell = t.closest("td"), row = t.closest("tr");
    var col = Array.prototype.indexOf.call(row.children, cell);
    var next = e.key === "ArrowDown" ? row.nextElementSibling : row.previousElementSibling;
    if (!next) return;
    var target = next.children[col] && next.children[col].querySelector("input,select");
    if (target) { e.preventDefault(); target.focus(); if (target.select) target.select(); }
  });

  // After htmx swapped a form back in, put focus where the user must look:
  // the first wrong field, or the confirmation.
  function focusAfterSwap(root) {
    var bad = root.querySelector && root.querySelector("[aria-invalid=true]");
    if (bad) { bad.focus(); return; }
    var ok = root.querySelector && root.querySelector(".ok");
    if (ok) { ok.setAttribute("tabindex", "-1"); ok.focus(); }
  }

  function init(root) {
    autosubmit(root);
    reasonToggle(root);
    drawChart(root);
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  // htmx:load fires for every piece of content htmx puts in the page.
  document.addEventListener("htmx:load", function () { init(document); });
  // After settling, not after swapping: htmx settles the swapped element's
  // width, height and style back, which would wipe a chart drawn before.
  document.addEventListener("htmx:afterSettle", function (e) {
    var root = e.detail.elt || document;
    init(document);
    focusAfterSwap(root.id ? document.getElementById(root.id) || root : root);
  });
})();
