// Small progressive enhancements; every page works without them.
(function () {
  "use strict";

  // After a failed submit, the error summary takes the focus (read first).
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();

  // Deadlines and times also in the visitor's own time zone.
  document.querySelectorAll("time[data-local]").forEach(function (element) {
    var moment = new Date(element.getAttribute("datetime"));
    if (isNaN(moment)) return;
    var lang = document.documentElement.lang;
    var text = new Intl.DateTimeFormat(lang === "en" ? "en-GB" : lang || undefined, {
      dateStyle: "long", timeStyle: "short"
    }).format(moment);
    var note = document.createElement("span");
    note.className = "text-muted";
    note.textContent = " (" + element.dataset.local + " " + text + ")";
    (element.closest("[data-local-scope]") || element).after(note);
  });

  // The status page follows the check by itself and reloads when it is done: asked
  // at once, then less and less often (half a second, growing to ten), so a quick check
  // shows in a second and a long wait (a scanner away) costs the server little.
  var report = document.querySelector("[data-poll]");
  if (report && window.fetch) {
    var started = Date.now();
    var delay = 500;
    var ask = function () {
      if (Date.now() - started > 10 * 60 * 1000) return;
      fetch(report.dataset.poll, {headers: {Accept: "application/json"}, cache: "no-store"})
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (state) {
          // The status line follows the step, in the submitter's words (received, then
          // being checked); the page reloads once the check is done.
          var line = document.getElementById("state");
          if (state && state.label && line && line.textContent !== state.label) {
            line.textContent = state.label;
          }
          if (state && !state.waiting) return window.location.reload();
          next();
        })
        .catch(next);  // offline for a moment: try again a little later
    };
    var next = function () {
      window.setTimeout(ask, delay);
      delay = Math.min(delay * 1.5, 10000);
    };
    next();
  }

  // The draft's language switch keeps the reader on the paragraph they are reading:
  // the one in the address, else the first one on screen (not one mostly scrolled by).
  document.querySelectorAll("[data-keep-paragraph]").forEach(function (link) {
    link.addEventListener("click", function () {
      var here = /^#para-/.test(window.location.hash) ? window.location.hash : "";
      if (!here) {
        var seen = Array.prototype.find.call(
          document.querySelectorAll(".draft-paragraph"),
          function (p) { return p.getBoundingClientRect().bottom > window.innerHeight / 5; });
        if (seen) here = "#" + seen.id;
      }
      if (here) link.hash = here;
    });
  });

  // A progress bar while a file uploads (slow connections are common).
  document.querySelectorAll("form[data-upload-progress]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.FormData) return;
      event.preventDefault();
      var box = document.createElement("div");
      box.className = "my-3";
      box.setAttribute("role", "status");
      var label = document.createElement("label");
      label.textContent = (form.dataset.uploadProgress || "Uploading") + " ";
      var bar = document.createElement("progress");
      bar.max = 100;
      bar.value = 0;
      label.appendChild(bar);
      box.appendChild(label);
      form.appendChild(box);
      form.querySelectorAll("[type=submit]").forEach(function (b) { b.disabled = true; });
      var request = new XMLHttpRequest();
      request.open("POST", (form.action || window.location.href).split("#")[0]);
      request.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) bar.value = Math.round((e.loaded / e.total) * 100);
      });
      request.addEventListener("load", function () {
        // Redirected (a receipt): go there. Answered in place (an error, or the next
        // step of a form): show the answer. The page's #fragment is no redirect.
        var here = (form.action || window.location.href).split("#")[0];
        var answered = (request.responseURL || "").split("#")[0];
        if (request.status < 400 && answered && answered !== here) {
          window.location.assign(request.responseURL);
        } else {
          document.open();
          document.write(request.responseText);
          document.close();
        }
      });
      request.addEventListener("error", function () { form.submit(); });
      request.send(new FormData(form));
    });
  });
})();
