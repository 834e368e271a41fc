// calciscreen worklist: the sign-in as the page sees it. Who is signed in (and whether they may act on Flags), the
// CSRF token every state-changing request sends back (the XSRF-TOKEN cookie, as the X-XSRF-TOKEN header or the
// sign-out form's _csrf field), and what a 401 means: the session has ended, so the page reloads, which sends the
// browser to sign in again and back here.
window.calciscreenSignIn = (function () {
  'use strict';

  var leaving = false;

  function csrfToken() {
    var m = /(?:^|;\s*)XSRF-TOKEN=([^;]*)/.exec(document.cookie);
    return m ? decodeURIComponent(m[1]) : '';
  }

  function check(response) {
    if (response.status === 401 && !leaving) {
      leaving = true;
      document.body.setAttribute('data-session-ended', 'true');
      location.reload();
    }
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
      })
      .catch(function () { document.getElementById('signed-in-as').textContent = 'Signed in'; });
  });

  return { csrfToken: csrfToken, check: check };
}());
