// calciscreen worklist: the sign-in as the page sees it. Who is signed in (and whether they may act on Flags), the
// CSRF token every state-changing request sends back (the XSRF-TOKEN cookie, as the X-XSRF-TOKEN header or the
// sign-out form's _csrf field), and what a 401 means: the session has ended, so the page reloads, which sends the
// browser to sign in again and back here. The person's access token is short-lived and comes without a refresh
// token, so the page also reloads shortly before it expires (through the issuer, without a form while the issuer's
// own sign-in lasts). Never while a dialog is open: what is being typed there is not lost.
window.calciscreenSignIn = (function () {
  'use strict';

  var leaving = false;
  var RENEW_BEFORE_S = 10;
  var RETURN_TO = 'calciscreen.return-to';

  // 'reload': the session has ended, the page itself is sent to sign in; 'renew': sign in again now, for a new token
  function leave(how) {
    if (leaving) { return; }
    var open = document.querySelector('dialog[open]');
    if (open) {
      open.addEventListener('close', function () { leave(how); }, { once: true });
      return;
    }
    leaving = true;
    document.body.setAttribute('data-session-ended', how);
    if (how === 'renew') {
      sessionStorage.setItem(RETURN_TO, location.hash);
      location.assign('/oauth2/authorization/calciscreen');
    } else {
      location.reload();
    }
  }

  function reloadWhenNoDialog() { leave('reload'); }

  function csrfToken() {
    var m = /(?:^|;\s*)XSRF-TOKEN=([^;]*)/.exec(document.cookie);
    return m ? decodeURIComponent(m[1]) : '';
  }

  function check(response) {
    if (response.status === 401) { reloadWhenNoDialog(); }
  }

  // back from a renewal: where the person was (the patient view's #patient=...)
  var back = sessionStorage.getItem(RETURN_TO);
  if (back !== null) {
    sessionStorage.removeItem(RETURN_TO);
    if (back && !location.hash) { history.replaceState(null, '', location.pathname + back); }
  }

  document.addEventListener('DOMContentLoaded', function () {
    document.getElementById('sign-out').addEventListener('submit', function () {
      document.getElementById('sign-out-csrf').value = csrfToken();
    });
    fetch('/worklist/api/me', { cache: 'no-store', credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) {
        check(r);
        if (!r.ok) { throw new Error('HTTP ' + r.status); }
        return r.json();
      })
      .then(function (me) {
        document.getElementById('signed-in-as').textContent = 'Signed in as ' + me.name +
          (me.mayAct ? '' : ' (read only)');
        document.body.classList.toggle('read-only', !me.mayAct);
        document.body.setAttribute('data-signed-in', 'true');
        if (me.tokenExpiresInSeconds > 0) {
          setTimeout(function () { leave('renew'); }, Math.max(5, me.tokenExpiresInSeconds - RENEW_BEFORE_S) * 1000);
        }
      })
      .catch(function () { document.getElementById('signed-in-as').textContent = 'Signed in'; });
  });

  return { csrfToken: csrfToken, check: check };
}());
