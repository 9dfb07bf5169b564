// Province pickers refill their county list (from /places/counties) when changed.
document.querySelectorAll("select[data-county-select]").forEach(function (province) {
  var county = document.getElementById(province.dataset.countySelect);
  if (!county) return;
  province.addEventListener("change", function () {
    var first = county.options[0] ? county.options[0].cloneNode(true) : null;
    county.innerHTML = "";
    if (first) { first.value = ""; county.appendChild(first); }
    if (!province.value) return;
    fetch("/places/counties?province=" + encodeURIComponent(province.value))
      .then(function (r) { return r.json(); })
      .then(function (data) {
        data.counties.forEach(function (c) {
          var o = document.createElement("option");
          o.value = c.code;
          o.textContent = c.name;
          county.appendChild(o);
        });
      });
  });
});

// List filters fold behind a summary on phones only: on a wider screen they are open.
if (window.matchMedia("(min-width: 48rem)").matches) {
  document.querySelectorAll("details.filters-fold").forEach(function (d) { d.open = true; });
}
