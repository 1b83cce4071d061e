/*
 * gpubudget's HTML report: draws the charts that lib/report_chart.c
 * specifies (the JSON in <script id="gpb-charts">) with Chart.js 3, turns
 * the embedded scenario's data: URL into a Blob URL (no URL length limit),
 * and writes what it did into <div id="gpb-status"> (data-charts,
 * data-series "id:count,…", data-scenario-bytes, data-errors) so a
 * headless browser can check the page.
 * Compiled into the library by lib/embed.py (gpb__report_js) and inlined
 * into every report after Chart.js.
 */
(function () {
  'use strict';
  var errors = (window.gpbErrors = window.gpbErrors || []);
  var drawn = [];
  var spec = { currency: 'USD', charts: [] };
  var scenarioBytes = -1;

  /* The page's font stack (report_html.c's STYLE), CJK fallbacks included,
     so Chinese names on the charts render as in the tables. */
  var FONTS = 'system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",' +
    '"Helvetica Neue",Arial,"PingFang SC","Hiragino Sans GB",' +
    '"Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC",' +
    '"Noto Sans SC","WenQuanYi Micro Hei",sans-serif';

  /* Text cut to n characters (code points, so a CJK name is never split
     inside a character) with an ellipsis. */
  function clip(text, n) {
    var a = Array.from(String(text));
    return a.length <= n ? String(text) : a.slice(0, n - 1).join('') + '…';
  }

  function sig3(x) {
    var a = Math.abs(x);
    return a >= 100 ? x.toFixed(0) : a >= 10 ? x.toFixed(1) : x.toFixed(2);
  }

  /* Money as the text report writes it: $4.6M, ¥5,000万, ¥1.2亿. */
  function money(v) {
    if (!isFinite(v)) return String(v);
    var cur = spec.currency, sign = v < 0 ? '-' : '', a = Math.abs(v);
    if (cur === 'CNY') {
      if (a >= 1e8) return sign + '¥' + sig3(a / 1e8) + '亿';
      if (a >= 1e4) {
        return sign + '¥' +
          Math.round(a / 1e4).toLocaleString('en-US') + '万';
      }
      return sign + '¥' + sig3(a);
    }
    var sym = cur === 'EUR' ? '€' : cur === 'USD' ? '$' : '';
    if (a >= 1e9) return sign + sym + sig3(a / 1e9) + 'B';
    if (a >= 1e6) return sign + sym + sig3(a / 1e6) + 'M';
    if (a >= 1e3) return sign + sym + sig3(a / 1e3) + 'k';
    return sign + sym + sig3(a);
  }

  function percent(v) {
    return (100 * v).toFixed(Math.abs(v) < 0.1 ? 1 : 0) + '%';
  }

  function tick(isMoney, isPercent) {
    return function (value) {
      if (isMoney) return money(value);
      if (isPercent) return percent(value);
      return value;
    };
  }

  /* Vertical lines with labels at x positions of the x scale (funding
     months, P5/P50/P95, the tornado's base). */
  var markers = {
    id: 'gpbMarkers',
    afterDatasetsDraw: function (chart, args, opts) {
      var lines = (opts && opts.lines) || [];
      if (!lines.length) return;
      var x = chart.scales.x, area = chart.chartArea, ctx = chart.ctx;
      ctx.save();
      ctx.strokeStyle = '#555';
      ctx.fillStyle = '#222';
      ctx.setLineDash([4, 3]);
      ctx.font = '11px ' + FONTS;
      lines.forEach(function (m, i) {
        var px = x.getPixelForValue(m.x);
        if (!isFinite(px) || px < area.left - 1 || px > area.right + 1) return;
        ctx.beginPath();
        ctx.moveTo(px, area.top);
        ctx.lineTo(px, area.bottom);
        ctx.stroke();
        var w = ctx.measureText(m.label).width;
        var tx = px + 4 + w > area.right ? px - 4 - w : px + 4;
        ctx.fillText(m.label, tx, area.top + 12 + 13 * (i % 3));
      });
      ctx.restore();
    }
  };

  /* Category x axes keep Chart.js's own tick callback (the labels). */
  function axes(c) {
    return {
      x: { type: 'category', title: { display: true, text: c.x_title } },
      y: {
        title: { display: true, text: c.y_title },
        ticks: { callback: tick(c.y_money, c.y_percent) }
      }
    };
  }

  function base(c, type, datasets, scales, extra) {
    var o = {
      type: type,
      data: { labels: c.labels, datasets: datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: 'index', intersect: false },
        plugins: {
          title: { display: true, text: c.title },
          gpbMarkers: { lines: c.markers || [] }
        },
        scales: scales
      },
      plugins: [markers]
    };
    for (var k in extra || {}) o.options[k] = extra[k];
    return o;
  }

  function fan(c) {
    var s = c.series; /* P5, P25, P50, P75, P95, zero */
    var none = 'rgba(0,0,0,0)';
    var ds = [
      { label: 'P5', data: s[0].data, borderColor: none, pointRadius: 0,
        fill: false },
      { label: 'P5–P95', data: s[4].data, borderColor: none, pointRadius: 0,
        backgroundColor: 'rgba(54,120,200,0.18)', fill: '-1' },
      { label: 'P25', data: s[1].data, borderColor: none, pointRadius: 0,
        fill: false },
      { label: 'P25–P75', data: s[3].data, borderColor: none, pointRadius: 0,
        backgroundColor: 'rgba(54,120,200,0.38)', fill: '-1' },
      { label: 'median', data: s[2].data, borderColor: 'rgb(20,70,150)',
        borderWidth: 2, pointRadius: 0, fill: false },
      { label: 'zero', data: s[5].data, borderColor: 'rgb(200,30,30)',
        borderDash: [6, 4], borderWidth: 1, pointRadius: 0, fill: false }
    ];
    var cfg = base(c, 'line', ds, axes(c));
    cfg.options.plugins.legend = {
      labels: {
        filter: function (it) { return it.text !== 'P5' && it.text !== 'P25'; }
      }
    };
    cfg.options.plugins.tooltip = {
      callbacks: {
        label: function (ctx) {
          return ctx.dataset.label + ': ' + money(ctx.parsed.y);
        }
      }
    };
    return cfg;
  }

  function line(c) {
    var ds = c.series.map(function (s) {
      return { label: s.name, data: s.data, borderColor: 'rgb(200,60,30)',
               backgroundColor: 'rgba(200,60,30,0.15)', fill: true,
               pointRadius: 0 };
    });
    var cfg = base(c, 'line', ds, axes(c));
    cfg.options.scales.y.min = 0;
    cfg.options.scales.y.suggestedMax = 0.1;
    return cfg;
  }

  function hist(c) {
    var ds = c.series.map(function (s) {
      return { label: s.name, data: s.data,
               backgroundColor: 'rgba(54,120,200,0.6)',
               barPercentage: 1.0, categoryPercentage: 1.0 };
    });
    return base(c, 'bar', ds, axes(c));
  }

  function tornado(c) {
    var colours = ['rgba(40,140,90,0.75)', 'rgba(200,80,40,0.75)'];
    var ds = c.series.map(function (s, k) {
      return { label: s.name, grouped: false, backgroundColor: colours[k % 2],
               data: s.data.map(function (v) { return [c.base, v]; }) };
    });
    /* Labels are the inputs' names ("pretrain: MFU"); long ones are cut
       on the axis and given whole, with the key path, in the tooltip. */
    var sc = {
      x: { type: 'linear', title: { display: true, text: c.x_title },
           ticks: { callback: tick(c.x_money, false) } },
      y: { title: { display: false },
           ticks: { callback: function (v) {
             /* a category tick's value is its label's index */
             return clip(v in c.labels ? c.labels[v] : v, 40);
           } } }
    };
    var cfg = base(c, 'bar', ds, sc, { indexAxis: 'y' });
    cfg.options.plugins.gpbMarkers.lines = [
      { x: c.base, label: 'all at medians' }
    ];
    cfg.options.plugins.tooltip = {
      callbacks: {
        title: function (items) {
          var i = items.length ? items[0].dataIndex : 0;
          var key = c.keys && c.keys[i] ? ' (' + c.keys[i] + ')' : '';
          return c.labels[i] + key;
        },
        label: function (ctx) {
          var v = ctx.raw[1];
          return ctx.dataset.label + ': ' +
            (c.x_money ? money(v) : v.toFixed(2));
        }
      }
    };
    return cfg;
  }

  var builders = { fan: fan, line: line, hist: hist, tornado: tornado };

  function report() {
    var el = document.getElementById('gpb-status');
    var parts = drawn.map(function (d) { return d.id + ':' + d.series; });
    if (el) {
      el.setAttribute('data-charts', String(drawn.length));
      el.setAttribute('data-series', parts.join(','));
      el.setAttribute('data-scenario-bytes', String(scenarioBytes));
      el.setAttribute('data-errors', errors.join(' | '));
      el.textContent = 'charts=' + drawn.length + ' series=' + parts.join(',') +
        ' scenario=' + scenarioBytes + ' errors=' + errors.length;
    }
  }

  /* The scenario's download: the data: URL's bytes as a Blob, whose URL
     has no length limit (Chromium refuses data: URLs past 2 MB). The
     data: URL stays when Blob URLs are not available. */
  try {
    var a = document.getElementById('gpb-scenario-download');
    if (a) {
      var href = a.getAttribute('href') || '';
      var bin = atob(href.slice(href.indexOf(',') + 1));
      var bytes = new Uint8Array(bin.length);
      for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      scenarioBytes = bytes.length;
      if (window.URL && URL.createObjectURL && window.Blob) {
        a.setAttribute('href', URL.createObjectURL(
          new Blob([bytes], { type: 'application/yaml' })));
      }
    }
  } catch (e) {
    errors.push('scenario download: ' + (e && e.message ? e.message : e));
  }

  try {
    spec = JSON.parse(document.getElementById('gpb-charts').textContent);
    if (typeof Chart === 'undefined') throw new Error('Chart.js did not load');
    Chart.defaults.font.family = FONTS;
    spec.charts.forEach(function (c) {
      try {
        var canvas = document.getElementById('chart-' + c.id);
        if (!canvas) throw new Error('no canvas for chart ' + c.id);
        var chart = new Chart(canvas.getContext('2d'), builders[c.kind](c));
        drawn.push({ id: c.id, series: chart.data.datasets.length });
      } catch (e) {
        errors.push(c.id + ': ' + (e && e.message ? e.message : String(e)));
      }
    });
  } catch (e) {
    errors.push(e && e.message ? e.message : String(e));
  }
  report();
})();
