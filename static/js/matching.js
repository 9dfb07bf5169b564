// Round page: follow a running round without reloading; reload once it has finished.
(function () {
  "use strict";
  var el = document.getElementById("round-status");
  if (!el || el.dataset.status !== "running") { return; }
  var url = el.dataset.url;
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (s.status !== "running") { window.location.reload(); return; }
        var stage = el.querySelector(".round-stage");
        if (stage && s.stage_label) { stage.textContent = s.stage_label; }
        setTimeout(poll, 2000);
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 1500);
})();
