// calciscreen worklist: what clinicians do about a Flag (review, snooze, dismiss) and which rows need a look.
// Loaded beside worklist.js; it decorates the rows worklist.js draws (data-flag-id) and never changes a Flag.
// Every datum is written with textContent or as an attribute value, never as HTML.
(function () {
  'use strict';

  var POLL_MS = 5000;
  var LABELS = { 'needs-look': 'Needs a look', reviewed: 'Reviewed', snoozed: 'Snoozed', dismissed: 'Dismissed' };
  var state = { states: {}, reasons: [], maxSnoozeDays: 30, loaded: false, acting: null };

  var el = window.calciscreenDom.el;

  function day(iso) { return iso ? iso.substring(0, 10) : ''; }

  var csrfToken = window.calciscreenSignIn.csrfToken;

  function shown() { return document.getElementById('review-filter').value; }

  function describe(s) {
    if (s.filter === 'needs-look') { return s.text || 'New: nobody has reviewed this Flag yet'; }
    if (s.filter === 'reviewed') {
      return 'Reviewed by ' + s.by + ' on ' + day(s.at) + (s.note ? ': ' + s.note : '') + (s.plan ? ' · Plan: ' + s.plan : '');
    }
    if (s.filter === 'snoozed') {
      return 'Snoozed until ' + day(s.until) + ' by ' + s.by + (s.reason ? ': ' + s.reason : '');
    }
    return 'Dismissed by ' + s.by + ' on ' + day(s.at) + (s.reason ? ': ' + s.reason : '');
  }

  function decorate() {
    var rows = document.querySelectorAll('#worklist tbody tr[data-flag-id]');
    var filter = shown();
    var counts = { 'needs-look': 0, reviewed: 0, snoozed: 0, dismissed: 0 };
    Array.prototype.forEach.call(rows, function (tr) {
      var id = tr.getAttribute('data-flag-id');
      var s = state.states[id] || { filter: 'needs-look' };
      counts[s.filter] = (counts[s.filter] || 0) + 1;
      tr.setAttribute('data-review', s.filter);
      tr.hidden = filter !== 'all' && s.filter !== filter;
      var cell = tr.querySelector('td[data-label="Review"]');
      if (!cell) {
        cell = el('td', { 'data-label': 'Review' });
        tr.appendChild(cell);
      }
      var text = describe(s);
      if (cell.getAttribute('data-text') === text) { return; }
      cell.textContent = '';
      cell.setAttribute('data-text', text);
      cell.appendChild(el('span', { 'class': 'review ' + s.filter }, LABELS[s.filter]));
      cell.appendChild(el('span', { 'class': 'review-text' }, ' ' + text));
      var buttons = el('div', { 'class': 'review-actions' });
      [['review', 'Mark reviewed'], ['snooze', 'Snooze'], ['dismiss', 'Dismiss']].forEach(function (a) {
        var b = el('button', { type: 'button', 'class': 'act', 'data-action': a[0], 'data-flag-id': id }, a[1]);
        buttons.appendChild(b);
      });
      cell.appendChild(buttons);
    });
    var summary = document.getElementById('review-status');
    if (summary && state.loaded) {
      summary.textContent = counts['needs-look'] + ' need a look · ' + counts.reviewed + ' reviewed · ' +
        counts.snoozed + ' snoozed · ' + counts.dismissed + ' dismissed';
    }
    var empty = document.getElementById('review-empty');
    if (empty) {
      var visible = Array.prototype.some.call(rows, function (tr) { return !tr.hidden; });
      empty.hidden = visible || rows.length === 0;
    }
  }

  function refresh() {
    return fetch('/worklist/api/reviews', { cache: 'no-store', credentials: 'same-origin',
      headers: { Accept: 'application/json' } })
      .then(function (r) {
        window.calciscreenSignIn.check(r);
        if (!r.ok) { throw new Error('HTTP ' + r.status); }
        return r.json();
      })
      .then(function (data) {
        state.states = data.states;
        state.maxSnoozeDays = data.maxSnoozeDays;
        if (!state.reasons.length) { fillReasons(data.reasons); }
        state.loaded = true;
        document.body.setAttribute('data-reviews-loaded', 'true');
        decorate();
      })
      .catch(function (e) {
        var summary = document.getElementById('review-status');
        if (summary) { summary.textContent = 'Could not read the reviews (' + e.message + '); retrying.'; }
      });
  }

  function fillReasons(reasons) {
    state.reasons = reasons;
    var select = document.getElementById('action-reason');
    reasons.forEach(function (r) { select.appendChild(el('option', { value: r.code }, r.display)); });
  }

  function open(kind, flagId) {
    var dialog = document.getElementById('action-dialog');
    state.acting = { kind: kind, flagId: flagId };
    var row = document.querySelector('#worklist tbody tr[data-flag-id="' + CSS.escape(flagId) + '"] .patient-name');
    document.getElementById('action-title').textContent =
      { review: 'Mark reviewed', snooze: 'Snooze', dismiss: 'Dismiss as not applicable' }[kind] +
      (row ? ': ' + row.textContent : '');
    document.getElementById('action-form').reset();
    document.getElementById('action-error').textContent = '';
    dialog.setAttribute('data-kind', kind);
    ['note', 'plan'].forEach(function (f) { document.getElementById('field-' + f).hidden = kind !== 'review'; });
    document.getElementById('field-until').hidden = kind !== 'snooze';
    document.getElementById('field-reason').hidden = kind === 'review';
    document.getElementById('field-reason-text').hidden = kind === 'review';
    var reason = document.getElementById('action-reason');
    reason.required = kind === 'dismiss';
    reason.querySelector('option[value=""]').textContent = kind === 'dismiss' ? 'Choose a reason' : '(none)';
    var until = document.getElementById('action-until');
    var min = new Date(Date.now() + 86400000).toISOString().substring(0, 10);
    var max = new Date(Date.now() + state.maxSnoozeDays * 86400000).toISOString().substring(0, 10);
    until.min = min;
    until.max = max;
    until.required = kind === 'snooze';
    document.getElementById('until-hint').textContent = 'At most ' + state.maxSnoozeDays + ' days (until ' + max + ').';
    dialog.showModal();
  }

  function submit(e) {
    e.preventDefault();
    var a = state.acting;
    var body = {};
    function put(key, id) { var v = document.getElementById(id).value.trim(); if (v) { body[key] = v; } }
    if (a.kind === 'review') { put('note', 'action-note'); put('plan', 'action-plan'); }
    if (a.kind !== 'review') { put('reason', 'action-reason'); put('reasonText', 'action-reason-text'); }
    if (a.kind === 'snooze') { put('until', 'action-until'); }
    var error = document.getElementById('action-error');
    error.textContent = 'Saving…';
    fetch('/worklist/api/flags/' + encodeURIComponent(a.flagId) + '/' + a.kind, {
      method: 'POST', credentials: 'same-origin', cache: 'no-store',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-XSRF-TOKEN': csrfToken() },
      body: JSON.stringify(body)
    }).then(function (r) {
      window.calciscreenSignIn.check(r);
      return r.json().catch(function () { return {}; }).then(function (json) { return { ok: r.ok, status: r.status, json: json }; });
    }).then(function (res) {
      if (!res.ok) {
        error.textContent = (res.json && res.json.error) || ('Not saved (HTTP ' + res.status + ')');
        return;
      }
      state.states[a.flagId] = res.json;
      document.getElementById('action-dialog').close();
      decorate();
      refresh();
    }).catch(function (err) { error.textContent = 'Not saved: ' + err.message; });
  }

  function install() {
    var filters = document.getElementById('filters');
    var wrap = el('div');
    wrap.appendChild(el('label', { 'for': 'review-filter' }, 'Show'));
    var select = el('select', { id: 'review-filter', name: 'review' });
    [['needs-look', 'Needs a look'], ['reviewed', 'Reviewed'], ['snoozed', 'Snoozed'], ['dismissed', 'Dismissed'],
      ['all', 'All active Flags']].forEach(function (o) { select.appendChild(el('option', { value: o[0] }, o[1])); });
    wrap.appendChild(select);
    filters.insertBefore(wrap, document.getElementById('status'));
    var summary = el('p', { id: 'review-status', 'class': 'status', role: 'status', 'aria-live': 'polite' });
    filters.appendChild(summary);
    var head = document.querySelector('#worklist thead tr');
    head.appendChild(el('th', { scope: 'col' }, 'Review'));
    var tableWrap = document.querySelector('.table-wrap');
    var empty = el('p', { id: 'review-empty', 'class': 'empty' }, 'Nothing here with this filter: choose "All active Flags" to see every row.');
    empty.hidden = true;
    tableWrap.parentNode.insertBefore(empty, tableWrap.nextSibling);
    select.addEventListener('change', decorate);
    document.getElementById('worklist').addEventListener('click', function (e) {
      var b = e.target.closest('button.act');
      if (b) { open(b.getAttribute('data-action'), b.getAttribute('data-flag-id')); }
    });
    document.getElementById('action-form').addEventListener('submit', submit);
    document.getElementById('action-cancel').addEventListener('click', function () {
      document.getElementById('action-dialog').close();
    });
    new MutationObserver(decorate).observe(document.getElementById('worklist'), { childList: true });
  }

  document.addEventListener('DOMContentLoaded', function () {
    install();
    refresh();
    setInterval(refresh, POLL_MS);
  });
})();
