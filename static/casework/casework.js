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

// Clause suggestions. On "Report a concern" the clause list is refreshed from the server as
// the reporter describes what they saw (the best three first, with the reason); a suggested
// or ticked safeguarding clause marks the pupil questions, and a data-protection one shows
// the question about personal information. Without script the "Suggest" button sends the
// form back to be shown again with the suggestions. On framing an allegation, "Use DO-5"
// picks that clause in the list.
(function () {
  "use strict";
  var form = null; // the concern form, once the page is read (this script loads in <head>)

  function fieldOf(name) {
    var input = form.querySelector("[name='" + name + "']");
    return input ? input.closest(".cw-field") : null;
  }

  function clauseList() {
    return document.getElementById("id_suspected_clauses");
  }

  function refreshPrompts() {
    var list = clauseList();
    if (!list) {
      return;
    }
    var safeguarding =
      !!list.querySelector("[data-cw-prompt='safeguarding']") ||
      !!list.querySelector("input[data-cw-safeguarding]:checked");
    var dataProtection =
      !!list.querySelector("[data-cw-prompt='data-protection']") ||
      !!list.querySelector("input[data-cw-data-protection]:checked");
    var pupils = fieldOf("pupils_involved");
    if (pupils) {
      pupils.classList.toggle("cw-field--prompted", safeguarding);
    }
    var personalData = fieldOf("personal_data_shared");
    if (personalData) {
      var box = personalData.querySelector("input");
      personalData.hidden = !(dataProtection || (box && box.checked));
    }
  }

  function ticked() {
    var values = [];
    form.querySelectorAll("input[name='suspected_clauses']:checked").forEach(function (box) {
      values.push(box.value);
    });
    return values;
  }

  var lastSent = null;
  var timer = null;

  function askForSuggestions(force) {
    var text = form.querySelector("[name='what_was_seen']");
    var token = form.querySelector("[name='csrfmiddlewaretoken']");
    if (!text || !token) {
      return;
    }
    var description = text.value.trim();
    if (!force && (description.split(/\s+/).length < 4 || description === lastSent)) {
      return;
    }
    lastSent = description;
    var body = new FormData();
    body.append("csrfmiddlewaretoken", token.value);
    body.append("what_was_seen", description);
    ["account_kind", "pupils_involved"].forEach(function (name) {
      var chosen = form.querySelector("[name='" + name + "']:checked");
      if (chosen) {
        body.append(name, chosen.value);
      }
    });
    ticked().forEach(function (value) {
      body.append("suspected_clauses", value);
    });
    fetch(form.getAttribute("data-cw-suggest-url"), {
      method: "POST",
      body: body,
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (answer) {
        var list = clauseList();
        if (!answer || !answer.html || !list) {
          return;
        }
        var keep = ticked(); // what was ticked while the suggestions were on their way
        var holder = document.createElement("div");
        holder.innerHTML = answer.html;
        var fresh = holder.firstElementChild;
        fresh.querySelectorAll("input[name='suspected_clauses']").forEach(function (box) {
          box.checked = keep.indexOf(box.value) !== -1;
        });
        list.replaceWith(fresh);
        refreshPrompts();
      })
      .catch(function () {
        // Suggestions are a help, never a requirement: the list stays as it was.
      });
  }

  function setUpConcernForm() {
    form = document.querySelector("form[data-cw-suggest-url]");
    if (!form) {
      return;
    }
    var text = form.querySelector("[name='what_was_seen']");
    if (text) {
      text.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(askForSuggestions, 800);
      });
      text.addEventListener("blur", function () {
        askForSuggestions(false);
      });
    }
    form.addEventListener("click", function (event) {
      var target = event.target instanceof Element ? event.target : null;
      if (target && target.closest("[data-cw-suggest]")) {
        event.preventDefault();
        askForSuggestions(true);
      }
    });
    form.addEventListener("change", function (event) {
      var name = event.target && event.target.name;
      if (name === "suspected_clauses" || name === "personal_data_shared") {
        refreshPrompts();
      } else if (name === "account_kind" || name === "pupils_involved") {
        lastSent = null;
        askForSuggestions(false);
      }
    });
    refreshPrompts();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpConcernForm);
  } else {
    setUpConcernForm();
  }

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    var link = target ? target.closest("[data-cw-use-clause]") : null;
    var select = document.getElementById("id_clause");
    if (!link || !select) {
      return;
    }
    event.preventDefault();
    select.value = link.getAttribute("data-cw-use-clause");
    select.dispatchEvent(new Event("change", { bubbles: true }));
    var particulars = document.getElementById("id_particulars");
    (particulars || select).focus();
  });
  // Working…: a form sent, or an export asked for, says so and cannot be sent again while
  // the answer is on its way (issuing a letter takes seconds). The buttons are disabled just
  // after the browser has read the form, so the button pressed still counts. The server
  // refuses a repeat anyway (a task done, a letter already issued, a one-time form token).
  var BUSY_TEXT = "Working…";

  function markBusy(control, text) {
    control.setAttribute("aria-disabled", "true");
    control.classList.add("cw-busy");
    if (!control.hasAttribute("data-cw-label")) {
      control.setAttribute("data-cw-label", control.textContent);
    }
    control.textContent = text;
  }

  function clearBusy(control) {
    control.removeAttribute("aria-disabled");
    control.classList.remove("cw-busy");
    if (control.tagName === "BUTTON") {
      control.disabled = false;
    }
    if (control.hasAttribute("data-cw-label")) {
      control.textContent = control.getAttribute("data-cw-label");
      control.removeAttribute("data-cw-label");
    }
  }

  function announce(text) {
    var status = document.getElementById("cw-progress");
    if (status) {
      status.textContent = text;
    }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    // getAttribute: a field named "method" would shadow form.method.
    if (!(form instanceof HTMLFormElement) || (form.getAttribute("method") || "").toLowerCase() !== "post") {
      return;
    }
    if (form.getAttribute("data-cw-sending") === "true") {
      event.preventDefault(); // already on its way
      return;
    }
    var submitter = event.submitter;
    if (submitter && submitter.getAttribute("formtarget") === "_blank") {
      return; // opens a new tab (a draft PDF): this page stays as it is
    }
    form.setAttribute("data-cw-sending", "true");
    form.setAttribute("aria-busy", "true");
    var buttons = form.querySelectorAll("button[type='submit'], button:not([type]), input[type='submit']");
    setTimeout(function () {
      buttons.forEach(function (button) {
        button.disabled = true;
      });
      if (submitter) {
        markBusy(submitter, submitter.getAttribute("data-cw-busy") || BUSY_TEXT);
      }
      announce("Working: please wait.");
    }, 0);
  });

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    var link = target ? target.closest("a[data-cw-busy]") : null;
    if (!link) {
      return;
    }
    if (link.getAttribute("aria-disabled") === "true") {
      event.preventDefault(); // the first request is still being answered
      return;
    }
    markBusy(link, link.getAttribute("data-cw-busy"));
    announce(link.getAttribute("data-cw-busy"));
    // A download leaves the page where it is, with no word of when it is done: give the
    // link back after a while.
    setTimeout(function () {
      clearBusy(link);
      announce("");
    }, 6000);
  });

  // Back to a page kept by the browser: its forms can be sent again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) {
      return;
    }
    document.querySelectorAll("form[data-cw-sending]").forEach(function (form) {
      form.removeAttribute("data-cw-sending");
      form.removeAttribute("aria-busy");
    });
    document.querySelectorAll(".cw-busy, form button[disabled]").forEach(clearBusy);
    announce("");
  });
  // A failed submit: the error summary takes the focus, so a screen reader reads it first
  // and the keyboard starts from the list of problems (GOV.UK error summary).
  function focusErrorSummary() {
    var summary = document.querySelector("[data-cw-error-summary]");
    if (summary) {
      summary.focus();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusErrorSummary);
  } else {
    focusErrorSummary();
  }
  // Evidence past the size limits is refused here, before a byte is sent (the server
  // refuses it too): the files are taken off the field and the reason shown beside it.
  function sizeText(bytes) {
    return bytes >= 1048576 ? (bytes / 1048576).toFixed(1).replace(/\.0$/, "") + " MB" : Math.ceil(bytes / 1024) + " KB";
  }

  function uploadProblem(input) {
    var perFile = Number(input.getAttribute("data-cw-max-file-bytes"));
    var inAll = Number(input.getAttribute("data-cw-max-total-bytes"));
    var most = Number(input.getAttribute("data-cw-max-files"));
    var files = Array.prototype.slice.call(input.files || []);
    var total = 0;
    for (var i = 0; i < files.length; i += 1) {
      total += files[i].size;
      if (perFile && files[i].size > perFile) {
        return "“" + files[i].name + "” is " + sizeText(files[i].size) + ": each file may be at most " + sizeText(perFile) + ". Choose a smaller file, or send it to HR another way.";
      }
    }
    if (most && files.length > most) {
      return "Choose at most " + most + " files at a time.";
    }
    if (inAll && total > inAll) {
      return "These files come to " + sizeText(total) + ": at most " + sizeText(inAll) + " may be sent at once.";
    }
    return "";
  }

  function showUploadProblem(input, problem) {
    var id = input.id + "-size-error";
    var shown = document.getElementById(id);
    if (!problem) {
      if (shown) {
        shown.remove();
      }
      return;
    }
    if (!shown) {
      shown = document.createElement("p");
      shown.id = id;
      shown.className = "cw-field__error";
      shown.setAttribute("role", "alert");
      input.insertAdjacentElement("afterend", shown);
      var described = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      if (described.indexOf(id) === -1) {
        described.push(id);
        input.setAttribute("aria-describedby", described.join(" "));
      }
    }
    shown.textContent = problem;
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.hasAttribute("data-cw-max-file-bytes")) {
      return;
    }
    var problem = uploadProblem(input);
    showUploadProblem(input, problem);
    if (problem) {
      input.value = "";
    }
  });

  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (!(form instanceof HTMLFormElement)) {
        return;
      }
      form.querySelectorAll("input[data-cw-max-file-bytes]").forEach(function (input) {
        var problem = uploadProblem(input);
        if (problem) {
          showUploadProblem(input, problem);
          event.preventDefault();
          event.stopImmediatePropagation();
          input.focus();
        }
      });
    },
    true
  );
})();
