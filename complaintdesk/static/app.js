// complaintdesk page script. Everything works without it; it only smooths the edges.
(function () {
  "use strict";
  // A form marked data-once sends once: the second click of a double-click does nothing.
  // (The server is safe anyway: new complaints carry an idempotency key, actions a version.)
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-once")) return;
    if (form.dataset.sent === "1") {
      event.preventDefault();
      return;
    }
    form.dataset.sent = "1";
  });
  // Coming back to a page from the browser's cache: let the form be sent again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-once]").forEach(function (form) {
      delete form.dataset.sent;
    });
  });
})();
