// Traject's own script: small enhancements on top of pages that work
// without it. Loaded from /static (CSP script-src 'self'), never inline.
(function () {
  "use strict";

  var COLORS = ["#0b5394", "#b45f06", "#38761d", "#741b47", "#3d3d3d"];
  var DAY = 86400000;

  function isoDay(x) {
    return new Date(x * DAY).toISOString().slice(0, 10);
  }

  // lineOverTime draws datasets of {x: day number, y} points as lines over
  // time: the x axis in dates, the y axis from y.min to y.max in whole
  // steps written by y.text (a level of the ladder, a point of the scale).
  function lineOverTime(canvas, datasets, dateLabel, xTicks, y) {
    new window.Chart(canvas, {
      type: "line",
      data: { datasets: datasets },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        interaction: { mode: "nearest", intersect: false },
        scales: {
          x: { type: "linear", title: { display: true, text: dateLabel },
               ticks: { callback: function (v) { return isoDay(v); }, maxTicksLimit: xTicks } },
          y: { min: y.min, max: y.max, title: { display: true, text: y.title },
               ticks: { stepSize: 1, callback: y.text } }
        },
        plugins: {
          legend: { position: "bottom", labels: { usePointStyle: true, pointStyleWidth: 18, generateLabels: function (chart) {
            // A set of markers in several colours (the goals) shows in the
            // legend in the ink colour, not in its first marker's.
            var items = window.Chart.defaults.plugins.legend.labels.generateLabels(chart);
            items.forEach(function (it) {
              var ds = chart.data.datasets[it.datasetIndex];
              if (ds && ds.legendColor) { it.strokeStyle = ds.legendColor; it.fillStyle = "#ffffff"; }
            });
            return items;
          } } },
          tooltip: { callbacks: {
            title: function (items) { return items.length ? isoDay(items[0].parsed.x) : ""; },
            label: function (ctx) {
              var raw = ctx.raw || {}, v = raw.level !== undefined ? raw.level : ctx.parsed.y;
              return ctx.dataset.label + (raw.skill ? " " + raw.skill : "") + ": " + y.text(v);
            }
          } }
        }
      }
    });
  }

  // The chart of levels per skill on the learner page, from the JSON in its
  // data-chart attribute (not a script block: htmx drops those on a swap).
  // One line per skill, each with its own colour, marker and dash, so that
  // five skills stay apart in colour and in print; lines that share a level
  // are nudged a little apart (the tooltip gives the true level). The goals
  // are one set of markers, a star per skill in its colour at the target
  // date, not lines of their own.
  var SKILL_MARKS = ["circle", "rect", "triangle", "rectRot", "crossRot"];
  var SKILL_DASH = [[], [6, 3], [2, 3], [8, 3, 2, 3], [12, 4]];
  function drawChart(root) {
    var canvas = root.querySelector ? root.querySelector("#level-chart") : null;
    if (!canvas || !canvas.dataset.chart || !window.Chart) return;
    if (window.Chart.getChart(canvas)) return; // drawn already
    var data = JSON.parse(canvas.dataset.chart);
    var datasets = [];
    var goals = { label: data.labels.goal, data: [], showLine: false, pointStyle: "star", pointRadius: 10, pointHoverRadius: 12,
                  borderWidth: 2, pointBorderColor: [], pointBackgroundColor: [], borderColor: "#1d232b", backgroundColor: "#ffffff",
                  legendColor: "#1d232b" };
    var lo = 12, hi = 0, n = data.skills.length;
    data.skills.forEach(function (s, i) {
      var k = s.index % COLORS.length, color = COLORS[k];
      var nudge = n > 1 ? (i - (n - 1) / 2) * 0.08 : 0;
      s.points.forEach(function (p) { lo = Math.min(lo, p.y); hi = Math.max(hi, p.y); });
      datasets.push({
        label: s.label, borderColor: color, backgroundColor: color, borderDash: SKILL_DASH[k], borderWidth: 2,
        pointStyle: SKILL_MARKS[k], pointRadius: 5, pointHoverRadius: 7, tension: 0,
        data: s.points.map(function (p) { return { x: p.x, y: p.y + nudge, level: p.y }; })
      });
      if (s.goal) {
        lo = Math.min(lo, s.goal.level); hi = Math.max(hi, s.goal.level);
        goals.data.push({ x: s.goal.to, y: s.goal.level + nudge, level: s.goal.level, skill: s.label });
        goals.pointBorderColor.push(color);
        goals.pointBackgroundColor.push(color + "55");
      }
    });
    if (goals.data.length) datasets.push(goals);
    lineOverTime(canvas, datasets, data.labels.date, 8, {
      min: Math.max(0, lo - 1), max: Math.min(data.ladder.length - 1, hi + 1),
      title: data.labels.level, text: function (v) { return data.ladder[v]; }
    });
    canvas.setAttribute("data-drawn", "true");
  }

  // The chart of observed wellbeing and involvement beside it, from the JSON
  // in data-wb-chart: scores 1 to 5 over time.
  function drawWellbeingChart(root) {
    var canvas = root.querySelector ? root.querySelector("#wellbeing-chart") : null;
    if (!canvas || !canvas.dataset.wbChart || !window.Chart) return;
    if (window.Chart.getChart(canvas)) return; // drawn already
    var data = JSON.parse(canvas.dataset.wbChart);
    var datasets = data.series.map(function (s, i) {
      var color = COLORS[(i + 2) % COLORS.length];
      return { label: s.label, data: s.points, borderColor: color, backgroundColor: color,
               pointRadius: 4, pointHoverRadius: 6, tension: 0, borderDash: i ? [6, 4] : [] };
    });
    lineOverTime(canvas, datasets, data.labels.date, 6, {
      min: 1, max: 5, title: data.labels.score, text: function (v) { return data.scores[v]; }
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

  // The keyboard rhythm of the group page's grids (the evaluation grid and
  // the observation form, both table.grid), entered row by row:
  // - arrow up/down move to the same column of the row above or below, as
  //   in a spreadsheet, from a level field and from the decision too (where
  //   they would otherwise change the choice: Alt+arrow down opens it);
  // - in a score (an observation scale) the number keys 1-5, and 0 for
  //   "not observed", choose the point and go on to the next scale;
  // - Enter saves the form from any field but the feedback (a new line).
  // Tab needs nothing: the learner links are out of the tab order, so Tab
  // from a row's last field goes to the next row's first.
  function moveRow(t, down) {
    var cell = t.closest("td"), row = t.closest("tr");
    if (!cell || !row) return false;
    var col = Array.prototype.indexOf.call(row.children, cell);
    var next = down ? row.nextElementSibling : row.previousElementSibling;
    var target = next && next.children[col] && next.children[col].querySelector("input:not([type=hidden]),select");
    if (!target) return false;
    target.focus();
    if (target.select) target.select();
    return true;
  }

  function nextScale(t) {
    var table = t.closest("table.grid");
    var scales = Array.prototype.slice.call(table.querySelectorAll("fieldset.scale"));
    var next = scales[scales.indexOf(t.closest("fieldset.scale")) + 1];
    if (!next) return;
    var to = next.querySelector("input[type=radio]:checked") || next.querySelector("input[type=radio]");
    if (to) to.focus();
  }

  document.addEventListener("keydown", function (e) {
    var t = e.target;
    if (!t.closest || !t.closest("table.grid") || e.altKey || e.ctrlKey || e.metaKey || t.disabled) return;
    if (t.type === "radio" && /^[0-5]$/.test(e.key) && t.closest("fieldset.scale")) {
      var value = e.key === "0" ? "" : e.key;
      var point = t.closest("fieldset.scale").querySelector('input[type=radio][value="' + value + '"]');
      if (!point) return;
      e.preventDefault();
      point.checked = true;
      point.dispatchEvent(new Event("change", { bubbles: true }));
      nextScale(point);
      return;
    }
    if (e.key === "Enter" && (t.tagName === "SELECT" || t.type === "checkbox" || t.type === "radio") && t.form) {
      e.preventDefault();
      if (t.form.requestSubmit) t.form.requestSubmit(); else t.form.submit();
      return;
    }
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    if (t.tagName === "SELECT" || (t.tagName === "INPUT" && t.type !== "checkbox" && t.type !== "radio" && t.type !== "date")) {
      if (moveRow(t, e.key === "ArrowDown")) e.preventDefault();
      else if (t.tagName === "SELECT") e.preventDefault(); // the first or last row: keep the choice
    }
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
    drawWellbeingChart(root);
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

// The dashboard: its charts, drawn from the JSON in each canvas's
// data-dashboard-chart (bars linked to the cases behind them), and its
// period form.
(function () {
  "use strict";

  // Each indicator keeps its own colour on every chart of the dashboard
  // (issue 20): nine colours, none used twice, distinguishable for the
  // common colour blindnesses (Okabe–Ito and Tol's, darkened for contrast
  // on white). A year earlier is the same colour, lighter.
  var INDICATOR_COLORS = {
    access: "#0072b2", progress: "#d55e00", certification: "#009e73", learning_gain: "#cc79a7",
    outflow: "#8c6d00", effects: "#56b4e9", wellbeing: "#6a3d9a", involvement: "#b2182b", survey: "#4d4d4d"
  };
  var FALLBACK = "#3d3d3d";

  function seriesColor(s) {
    var c = INDICATOR_COLORS[s.ind] || FALLBACK;
    return s.prev ? c + "66" : c; // 40 % opaque
  }

  function drawDashboardCharts(root) {
    if (!window.Chart || !root.querySelectorAll) return;
    root.querySelectorAll("canvas[data-dashboard-chart]").forEach(function (canvas) {
      if (window.Chart.getChart(canvas)) return; // drawn already
      var spec = JSON.parse(canvas.dataset.dashboardChart);
      var unit = spec.unit === "percent" ? "%" : "";
      var datasets = spec.datasets.map(function (s) {
        var color = seriesColor(s);
        return { label: s.label, data: s.data, links: s.links, backgroundColor: color,
                 borderColor: INDICATOR_COLORS[s.ind] || FALLBACK, borderWidth: s.prev ? 1 : 0 };
      });
      new window.Chart(canvas, {
        type: "bar",
        data: { labels: spec.labels, datasets: datasets },
        options: {
          responsive: true, maintainAspectRatio: false, animation: false,
          indexAxis: spec.labels.length > 8 && datasets.length === 1 ? "y" : "x",
          scales: spec.unit === "percent" ? { y: { min: 0, max: 100, ticks: { callback: function (v) { return v + "%"; } } } } : {},
          plugins: {
            legend: { display: datasets.length > 1, position: "bottom" },
            tooltip: { callbacks: { label: function (ctx) {
              var v = ctx.raw;
              return ctx.dataset.label + ": " + (v === null ? "–" : v + unit);
            } } }
          },
          onHover: function (evt, els) {
            var link = els.length && datasets[els[0].datasetIndex].links[els[0].index];
            canvas.style.cursor = link ? "pointer" : "default";
          },
          onClick: function (evt, els) {
            if (!els.length) return;
            var link = datasets[els[0].datasetIndex].links[els[0].index];
            if (link) window.location.assign(link);
          }
        }
      });
      canvas.setAttribute("data-drawn", "true");
    });
  }

  // Editing a date of the period makes it a custom range; the exact-numbers
  // box applies at once.
  function dashboardForm(root) {
    if (!root.querySelectorAll) return;
    root.querySelectorAll("input[data-custom-period]").forEach(function (input) {
      if (input.dataset.bound) return;
      input.dataset.bound = "1";
      input.addEventListener("change", function () {
        var sel = input.form.querySelector("select[name=period]");
        if (sel) sel.value = "custom";
      });
    });
    root.querySelectorAll("input[data-autosubmit-check]").forEach(function (box) {
      if (box.dataset.bound) return;
      box.dataset.bound = "1";
      box.addEventListener("change", function () { box.form.submit(); });
    });
  }

  function init(root) {
    drawDashboardCharts(root);
    dashboardForm(root);
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSettle", function () { init(document); });
})();

// Workspace (imports, exports, schedules, administration): small
// enhancements; every form works without them.
(function () {
  "use strict";

  // Typing a date of the export form chooses the custom period.
  document.addEventListener("input", function (e) {
    var t = e.target;
    if (!t.form || t.form.id !== "export-form" || (t.id !== "exp-from" && t.id !== "exp-to")) return;
    var custom = document.getElementById("period-custom");
    if (custom) custom.checked = true;
  });

  // An upload form says it is busy while the file goes up and is checked:
  // large data sets take a while.
  document.addEventListener("submit", function (e) {
    var f = e.target;
    if (f.id !== "upload-form" && f.id !== "import-confirm" && f.id !== "export-form") return;
    var b = f.querySelector("button[type=submit]");
    if (!b || f.id === "export-form") return; // a download leaves the page as it is
    window.setTimeout(function () { b.disabled = true; b.setAttribute("aria-busy", "true"); }, 0);
  });
})();

// A "print" button on the printable pages (no inline handlers: the CSP forbids them).
(function () {
  "use strict";
  document.addEventListener("click", function (e) {
    if (e.target.closest && e.target.closest("[data-print]")) window.print();
  });
})();

// The register: Enter in the hours of a registered row saves that row (its
// change event, which htmx posts), not the whole lesson's form.
(function () {
  "use strict";
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Enter") return;
    var t = e.target;
    if (!t.closest || t.tagName !== "INPUT" || t.type !== "text" || !t.closest("tr[data-live]")) return;
    e.preventDefault();
    t.dispatchEvent(new Event("change", { bubbles: true }));
  });
})();
