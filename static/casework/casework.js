// Casework runs as ordinary pages: full page loads keep what is on screen simple to reason
// about (nothing cached client-side from a previous person's session).
(function () {
  "use strict";
  if (window.Turbo && window.Turbo.session) {
    window.Turbo.session.drive = false;
  }
})();
