// Province pickers refill their county list (from /places/counties) when changed.
document.querySelectorAll("select[data-county-select]").forEach(function (province) {
  var county = document.getElementById(province.dataset.countySelect);
  if (!county) return;
  function refill() {
    var keep = county.value, wanted = province.value;
    var first = county.options[0] ? county.options[0].cloneNode(true) : null;
    county.innerHTML = "";
    if (first) { first.value = ""; county.appendChild(first); }
    if (!wanted) return;
    fetch("/places/counties?province=" + encodeURIComponent(wanted))
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (province.value !== wanted) return;  // a later choice's answer fills the list
        data.counties.forEach(function (c) {
          var o = document.createElement("option");
          o.value = c.code;
          o.textContent = c.name;
          o.selected = c.code === keep;
          county.appendChild(o);
        });
      });
  }
  province.addEventListener("change", refill);
  // A province chosen before this script ran (a slow network) or restored by the back
  // button has no change event to come: its counties are filled now.
  var listed = Array.prototype.some.call(county.options, function (o) {
    return o.value && o.value.indexOf(province.value) === 0;
  });
  if (province.value && !listed) refill();
});

// List filters fold behind a summary on phones only: on a wider screen they are open.
if (window.matchMedia("(min-width: 48rem)").matches) {
  document.querySelectorAll("details.filters-fold").forEach(function (d) { d.open = true; });
}
