// complaintdesk page script. Everything works without it; it only smooths the edges.
(function () {
  "use strict";
  // A form marked data-once sends once: the second click of a double-click does nothing.
  // (The server is safe anyway: new complaints carry an idempotency key, actions a version.)
  // A form marked data-confirm="question" asks first (undoable but disruptive actions).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    if (form.hasAttribute("data-once") && form.dataset.sent === "1") {
      event.preventDefault();
      return;
    }
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      return;
    }
    if (form.hasAttribute("data-once")) form.dataset.sent = "1";
  });
  // Coming back to a page from the browser's cache: let the form be sent again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-once]").forEach(function (form) {
      delete form.dataset.sent;
    });
  });
})();

// Live countdowns: recount "overdue by … / due in …" every 30 s from data-due, with the unit
// words the server rendered in the page's language ("0 h" → "3 h", "0 小时" → "3 小时").
(function () {
  "use strict";
  function unit(template, n) {
    return template.replace(/\d+/, String(n));
  }
  function format(el, ms) {
    var minutes = Math.max(1, Math.floor(Math.abs(ms) / 60000));
    var days = Math.floor(minutes / 1440), rest = minutes % 1440;
    var hours = Math.floor(rest / 60), mins = rest % 60;
    var parts = [];
    if (days) {
      parts.push(unit(el.dataset.d, days));
      if (hours) parts.push(unit(el.dataset.h, hours));
    } else if (hours) {
      parts.push(unit(el.dataset.h, hours));
      if (mins) parts.push(unit(el.dataset.min, mins));
    } else {
      parts.push(unit(el.dataset.min, mins));
    }
    return parts.join(" ");
  }
  function tick() {
    var now = Date.now();
    document.querySelectorAll(".countdown[data-due]").forEach(function (el) {
      var ms = Date.parse(el.dataset.due) - now;
      var text = format(el, ms);
      el.textContent = (ms < 0 ? el.dataset.overdue : el.dataset.remaining).replace("{t}", text);
      var row = el.closest("tr");
      if (ms < 0) {
        el.classList.add("text-danger", "fw-semibold");
        if (row) row.classList.add("table-danger", "overdue");
      }
    });
  }
  tick();
  setInterval(tick, 30000);
  document.addEventListener("htmx:afterSwap", tick);
})();

// Triage suggestion panel (issue 6): "Apply" copies the suggested nature, severity and
// department concerned into the form's selects; the filer may still change them.
(function () {
  "use strict";
  var FIELDS = { nature: "nature", severity: "severity", department: "concerned_department" };
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-triage-apply]");
    if (!button) return;
    var form = button.closest("form");
    if (!form) return;
    Object.keys(FIELDS).forEach(function (key) {
      var value = button.dataset[key];
      var select = form.querySelector('select[name="' + FIELDS[key] + '"]');
      if (!select || !value) return;
      select.value = value;
      select.dispatchEvent(new Event("change", { bubbles: true }));
    });
  });
})();
