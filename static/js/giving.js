// Giving pages: a print button for receipts, statements, posters and contact cards (no
// inline scripts: CSP); typing an amount of one's own chooses "Other amount"; the share
// link selects itself for copying.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
document.addEventListener("input", (event) => {
  const field = event.target;
  if (field.name !== "amount") return;
  const other = field.form && field.form.querySelector('input[name="preset"][value="other"]');
  if (other) other.checked = true;
});
document.addEventListener("focusin", (event) => {
  if (event.target.matches("[data-select-all]")) event.target.select();
});
