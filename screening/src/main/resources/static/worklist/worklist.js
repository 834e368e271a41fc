// calciscreen worklist. Every patient datum is written with textContent or as an attribute value, never as HTML.
(function () {
  'use strict';

  var POLL_MS = 5000;
  var state = { rows: [], seen: null, rulesLoaded: false, firstRender: false, chart: null, timer: null };

  var el = window.calciscreenDom.el;

  function safeUrl(url) {
    return /^https?:\/\//i.test(url || '') ? url : '#';
  }

  function days(n) {
    if (n === null || n === undefined) { return 'unknown'; }
    if (n < 1) { return 'less than a day'; }
    return n === 1 ? '1 day' : n + ' days';
  }

  function capital(s) { return s ? s.charAt(0).toUpperCase() + s.slice(1) : s; }

  function patientLabel(row) {
    return row.name && row.name.length ? row.name : 'Patient/' + row.patientId;
  }

  function ruleItem(rule) {
    var li = el('li');
    li.appendChild(el('span', { 'class': 'rule-id' }, rule.id + ' ' + rule.title));
    li.appendChild(document.createTextNode(' (+' + rule.points + '): ' + rule.text));
    if (rule.date) {
      li.appendChild(document.createTextNode(' '));
      li.appendChild(el('span', { 'class': 'date' }, '· ' + rule.date));
    }
    return li;
  }

  function filtered() {
    var tier = document.getElementById('tier-filter').value;
    var rule = document.getElementById('rule-filter').value;
    return state.rows.filter(function (r) {
      return (!tier || r.tier === tier) && (!rule || r.rules.some(function (x) { return x.id === rule; }));
    });
  }

  function render(fresh) {
    var rows = filtered();
    var body = document.querySelector('#worklist tbody');
    var replacement = document.createElement('tbody');
    rows.forEach(function (r) {
      var tr = el('tr', { 'data-patient-id': r.patientId, 'data-flag-id': r.flagId, 'data-tier': r.tier,
        'data-score': r.score === null ? '' : String(r.score) });
      if (fresh[r.flagId]) { tr.className = 'fresh'; }
      var who = el('td', { 'data-label': 'Patient' });
      var open = el('a', { href: '#patient=' + encodeURIComponent(r.patientId), 'class': 'patient-name' }, patientLabel(r));
      who.appendChild(open);
      who.appendChild(el('br'));
      who.appendChild(el('a', { href: safeUrl(r.patientUrl), 'class': 'small', rel: 'noopener', target: '_blank' },
        'FHIR Patient/' + r.patientId));
      tr.appendChild(who);
      tr.appendChild(el('td', { 'data-label': 'Age' }, r.age === null ? 'unknown' : r.age));
      tr.appendChild(el('td', { 'data-label': 'Sex' }, r.sex));
      var tierCell = el('td', { 'data-label': 'Tier' });
      tierCell.appendChild(el('span', { 'class': 'tier ' + (r.tier === 'high' ? 'high' : 'moderate') }, capital(r.tier)));
      tr.appendChild(tierCell);
      tr.appendChild(el('td', { 'data-label': 'Score' }, r.score === null ? '–' : r.score));
      var rulesCell = el('td', { 'data-label': 'Rules fired' });
      var list = el('ul', { 'class': 'rules' });
      r.rules.forEach(function (rule) { list.appendChild(ruleItem(rule)); });
      rulesCell.appendChild(list);
      tr.appendChild(rulesCell);
      var active = el('td', { 'data-label': 'Active for' }, days(r.activeDays));
      if (r.raised) { active.setAttribute('title', 'raised ' + r.raised); }
      tr.appendChild(active);
      replacement.appendChild(tr);
    });
    body.parentNode.replaceChild(replacement, body);
    document.getElementById('empty').hidden = rows.length !== 0;
    if (!state.firstRender) {
      state.firstRender = true;
      document.body.setAttribute('data-first-render-ms', String(Math.round(performance.now())));
    }
    document.body.setAttribute('data-rows', String(rows.length));
  }

  function loadRules(rules) {
    if (state.rulesLoaded) { return; }
    var select = document.getElementById('rule-filter');
    rules.forEach(function (r) { select.appendChild(el('option', { value: r.id }, r.id + ' ' + r.title)); });
    state.rulesLoaded = true;
  }

  function status(text) { document.getElementById('status').textContent = text; }

  function refresh() {
    return fetch('/worklist/api/flags', { cache: 'no-store', headers: { Accept: 'application/json' } })
      .then(function (response) {
        window.calciscreenSignIn.check(response);
        if (!response.ok) { throw new Error('HTTP ' + response.status); }
        return response.json();
      })
      .then(function (data) {
        loadRules(data.rules);
        var fresh = {};
        var added = 0;
        if (state.seen) {
          data.rows.forEach(function (r) { if (!state.seen[r.flagId]) { fresh[r.flagId] = true; added++; } });
        }
        state.seen = {};
        data.rows.forEach(function (r) { state.seen[r.flagId] = true; });
        state.rows = data.rows;
        render(fresh);
        var shown = filtered().length;
        status(data.count + ' active Flag' + (data.count === 1 ? '' : 's') +
          (shown !== data.count ? ' (' + shown + ' shown)' : '') +
          (added ? ', ' + added + ' new' : '') + ' · updated ' + new Date().toLocaleTimeString());
      })
      .catch(function (e) { status('Could not read the worklist (' + e.message + '); retrying.'); });
  }

  // --- patient view

  function fact(dl, term, value, href) {
    dl.appendChild(el('dt', null, term));
    var dd = el('dd');
    if (href) {
      dd.appendChild(el('a', { href: safeUrl(href), rel: 'noopener', target: '_blank' }, value));
    } else {
      dd.textContent = value;
    }
    dl.appendChild(dd);
  }

  function showPatient(id) {
    document.getElementById('list-view').hidden = true;
    var view = document.getElementById('patient-view');
    view.hidden = false;
    document.getElementById('patient-heading').textContent = 'Patient/' + id;
    fetch('/worklist/api/patients/' + encodeURIComponent(id), { cache: 'no-store' })
      .then(function (r) {
        window.calciscreenSignIn.check(r);
        return r.json().then(function (body) { return { ok: r.ok, body: body }; });
      })
      .then(function (res) {
        if (!res.ok) { throw new Error(res.body.error || 'not found'); }
        renderPatient(res.body);
      })
      .catch(function (e) {
        document.getElementById('chart-summary').textContent = 'Could not load this patient: ' + e.message;
      });
  }

  function renderPatient(p) {
    document.getElementById('patient-heading').textContent = (p.name || 'Patient/' + p.patientId);
    var dl = document.getElementById('patient-facts');
    dl.textContent = '';
    fact(dl, 'FHIR Patient', 'Patient/' + p.patientId, p.patientUrl);
    fact(dl, 'Age', p.age === null ? 'unknown' : String(p.age));
    fact(dl, 'Sex', p.sex);
    fact(dl, 'Tier', p.tier ? capital(p.tier) : 'no active Flag');
    fact(dl, 'Score', p.score === null ? '–' : String(p.score));
    if (p.raised) { fact(dl, 'Flag raised', p.raised.substring(0, 10)); }

    var rules = document.getElementById('patient-rules');
    rules.textContent = '';
    p.rules.forEach(function (r) { rules.appendChild(ruleItem(r)); });
    if (!p.rules.length) { rules.appendChild(el('li', null, 'None.')); }

    var evidence = document.getElementById('evidence');
    evidence.textContent = '';
    p.evidence.forEach(function (e) {
      var li = el('li');
      li.appendChild(el('a', { href: safeUrl(e.url), rel: 'noopener', target: '_blank' }, e.reference));
      li.appendChild(document.createTextNode(': ' + e.description + (e.date ? ' (' + e.date + ')' : '')));
      evidence.appendChild(li);
    });
    if (!p.evidence.length) { evidence.appendChild(el('li', null, 'None.')); }

    drawChart(p);
  }

  function series(points) {
    return points.map(function (pt) { return { x: Date.parse(pt.at), y: pt.value, source: pt.source }; });
  }

  function line(from, to, value) { return [{ x: from, y: value }, { x: to, y: value }]; }

  function drawChart(p) {
    var from = Date.parse(p.from), to = Date.parse(p.to);
    var t = p.thresholds;
    var ca = series(p.series.correctedCalcium), po = series(p.series.phosphate), pth = series(p.series.pth);
    var table = document.querySelector('#trend-table tbody');
    table.textContent = '';
    [['Corrected calcium', 'mg/dL', p.series.correctedCalcium], ['Phosphate', 'mg/dL', p.series.phosphate],
      ['PTH', 'pg/mL', p.series.pth]].forEach(function (s) {
      s[2].forEach(function (pt) {
        var tr = el('tr');
        tr.appendChild(el('td', null, pt.at.substring(0, 10)));
        tr.appendChild(el('td', null, s[0]));
        tr.appendChild(el('td', null, pt.value + ' ' + s[1]));
        tr.appendChild(el('td', null, pt.source));
        table.appendChild(tr);
      });
    });
    document.getElementById('chart-summary').textContent = ca.length + ' corrected calcium, ' + po.length +
      ' phosphate and ' + pth.length + ' PTH values; dashed lines: the rule thresholds (corrected calcium > ' +
      t.correctedCalciumMgDl + ' mg/dL, phosphate > ' + t.phosphateMgDl + ' mg/dL, PTH > ' + t.pthPgMl + ' pg/mL).';
    var canvas = document.getElementById('trend');
    if (state.chart) { state.chart.destroy(); }
    if (typeof Chart === 'undefined') {
      document.getElementById('chart-summary').textContent += ' (The chart library did not load.)';
      return;
    }
    var dash = [6, 4];
    state.chart = new Chart(canvas, {
      type: 'line',
      data: {
        datasets: [
          { label: 'Corrected calcium (mg/dL)', data: ca, yAxisID: 'y', borderColor: '#0b4f9c', backgroundColor: '#0b4f9c', pointStyle: 'circle', pointRadius: 4 },
          { label: 'Phosphate (mg/dL)', data: po, yAxisID: 'y', borderColor: '#1b7a3a', backgroundColor: '#1b7a3a', pointStyle: 'rect', pointRadius: 4 },
          { label: 'PTH (pg/mL)', data: pth, yAxisID: 'y1', borderColor: '#9b1c1c', backgroundColor: '#9b1c1c', pointStyle: 'triangle', pointRadius: 5 },
          { label: 'Calcium threshold ' + t.correctedCalciumMgDl + ' mg/dL', data: line(from, to, t.correctedCalciumMgDl), yAxisID: 'y', borderColor: '#0b4f9c', borderDash: dash, borderWidth: 1.5, pointRadius: 0 },
          { label: 'Phosphate threshold ' + t.phosphateMgDl + ' mg/dL', data: line(from, to, t.phosphateMgDl), yAxisID: 'y', borderColor: '#1b7a3a', borderDash: dash, borderWidth: 1.5, pointRadius: 0 },
          { label: 'PTH threshold ' + t.pthPgMl + ' pg/mL', data: line(from, to, t.pthPgMl), yAxisID: 'y1', borderColor: '#9b1c1c', borderDash: dash, borderWidth: 1.5, pointRadius: 0 }
        ]
      },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false, parsing: true,
        interaction: { mode: 'nearest', intersect: false },
        scales: {
          x: { type: 'linear', min: from, max: to,
            ticks: { maxTicksLimit: 8, callback: function (v) { return new Date(v).toISOString().substring(0, 10); } } },
          y: { position: 'left', title: { display: true, text: 'mg/dL (calcium, phosphate)' }, suggestedMin: 0, suggestedMax: 12 },
          y1: { position: 'right', title: { display: true, text: 'pg/mL (PTH)' }, suggestedMin: 0, suggestedMax: 800, grid: { drawOnChartArea: false } }
        },
        plugins: {
          legend: { position: 'bottom' },
          tooltip: { callbacks: { title: function (items) { return new Date(items[0].parsed.x).toISOString().substring(0, 10); } } }
        }
      }
    });
    canvas.setAttribute('data-points', String(ca.length + po.length + pth.length));
    canvas.setAttribute('data-datasets', String(state.chart.data.datasets.length));
  }

  function route() {
    var m = /^#patient=([A-Za-z0-9\-.]{1,64})$/.exec(location.hash);
    if (m) {
      showPatient(decodeURIComponent(m[1]));
    } else {
      document.getElementById('patient-view').hidden = true;
      document.getElementById('list-view').hidden = false;
    }
  }

  document.addEventListener('DOMContentLoaded', function () {
    document.getElementById('filters').addEventListener('submit', function (e) { e.preventDefault(); });
    document.getElementById('tier-filter').addEventListener('change', function () { render({}); });
    document.getElementById('rule-filter').addEventListener('change', function () { render({}); });
    document.getElementById('back').addEventListener('click', function (e) {
      e.preventDefault();
      history.pushState('', document.title, location.pathname + location.search);
      route();
    });
    window.addEventListener('hashchange', route);
    route();
    refresh();
    state.timer = setInterval(refresh, POLL_MS);
  });
})();
