// Dashboard: changing the figure that colours the map submits its form.
document.querySelectorAll("select.autosubmit").forEach(function (select) {
  select.addEventListener("change", function () { select.form.submit(); });
});
