// The setup page refreshes its mode counts (#practice-modes) when a topic or difficulty changes.
// A mode picked while that request was under way must survive the swap.
(() => {
  // "Skip to Start practising": past the topic checkboxes in one key press.
  document.querySelectorAll("[data-focus-target]").forEach((link) =>
    link.addEventListener("click", (event) => {
      event.preventDefault();
      document.querySelector(link.dataset.focusTarget)?.focus();
    }),
  );
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
