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
        var list = document.getElementById("round-stages");
        if (list && s.stages) {
          while (list.firstChild) { list.removeChild(list.firstChild); }
          s.stages.forEach(function (st) {
            var li = document.createElement("li");
            var time = document.createElement("span");
            if (st.current) { li.className = "current"; }
            time.className = "time";
            time.textContent = st.time;
            li.appendChild(document.createTextNode(st.label + ": "));
            li.appendChild(time);
            list.appendChild(li);
          });
        }
        var elapsed = document.getElementById("round-elapsed");
        if (elapsed && s.elapsed) { elapsed.textContent = s.elapsed; }
        setTimeout(poll, 2000);
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 1500);
})();
