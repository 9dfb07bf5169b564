// Giving pages: a print button for receipts and contact cards (no inline scripts: CSP).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
