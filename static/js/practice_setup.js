// The setup page refreshes its mode counts (#practice-modes) when a topic or difficulty changes.
// A mode picked while that request was under way must survive the swap.
(() => {
  let picked = null;
  document.body.addEventListener("htmx:beforeSwap", (event) => {
    if (event.detail.target?.id !== "practice-modes") return;
    picked = document.querySelector('#practice-modes input[name="mode"]:checked')?.value ?? null;
  });
  document.body.addEventListener("htmx:afterSwap", (event) => {
    if (event.detail.target?.id !== "practice-modes" && event.detail.elt?.id !== "practice-modes") return;
    const radio = picked && document.querySelector(`#practice-modes input[name="mode"][value="${picked}"]`);
    if (radio) radio.checked = true;
  });
})();
