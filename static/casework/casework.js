// Casework runs as ordinary pages: full page loads keep what is on screen simple to reason
// about (nothing cached client-side from a previous person's session). Hotwire Turbo is not
// loaded. viewflow's components ask it for three things, answered here as ordinary pages
// do (this file loads before viewflow's): its lists (sorting, paging) and reload prompt
// call Turbo.visit, a page load; the menu asks Turbo.navigator which visit is under way,
// none; an error handler switches Turbo.session.drive off, as it is.
(function () {
  "use strict";
  if (!window.Turbo) {
    window.Turbo = {
      visit: function (url) {
        window.location.assign(url);
      },
      navigator: {},
      session: { drive: false },
    };
  }

  // Screen privacy: the "Hide screen" button or Ctrl+Shift+H (Cmd+Shift+H on a Mac) covers
  // the page at once, for when someone walks up to the desk. Only a deliberate click or
  // Enter on "Show the page again" brings it back.
  var savedTitle = null;

  function overlay() {
    return document.getElementById("cw-privacy");
  }

  function hide() {
    var cover = overlay();
    if (!cover) {
      return;
    }
    document.documentElement.classList.add("cw-private");
    cover.hidden = false;
    if (savedTitle === null) {
      savedTitle = document.title;
      document.title = "Casework";
    }
    if (document.activeElement && document.activeElement.blur) {
      document.activeElement.blur();
    }
    var show = cover.querySelector("[data-cw-privacy-show]");
    if (show) {
      show.focus();
    }
  }

  function reveal() {
    var cover = overlay();
    if (!cover) {
      return;
    }
    cover.hidden = true;
    document.documentElement.classList.remove("cw-private");
    if (savedTitle !== null) {
      document.title = savedTitle;
      savedTitle = null;
    }
  }

  document.addEventListener(
    "keydown",
    function (event) {
      var isShortcut =
        (event.ctrlKey || event.metaKey) && event.shiftKey && !event.altKey && event.code === "KeyH";
      if (isShortcut) {
        event.preventDefault();
        event.stopPropagation();
        hide();
      }
    },
    true
  );

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) {
      return;
    }
    if (target.closest("[data-cw-privacy-hide]")) {
      event.preventDefault();
      hide();
    } else if (target.closest("[data-cw-privacy-show]")) {
      event.preventDefault();
      reveal();
    }
  });
})();
