// Keyboard-first review (Anki-style) for #question-card. Buttons carry data-shortcut="…":
// "space" (Space/Enter), "1"–"4", "reveal" (Ctrl/Cmd+Enter from the answer box, or Space while the
// box is still empty: the box has focus, but a user who has not started typing means "show answer"),
// "undo" (Ctrl/Cmd+Z, except in an answer box with text in it, where it keeps undoing typing).
(() => {
  const card = () => document.querySelector("#question-card");
  const press = (name) => {
    const target = card()?.querySelector(`[data-shortcut~="${name}"]`);
    if (target) target.click();
    return Boolean(target);
  };

  document.addEventListener("keydown", (event) => {
    if (!card() || event.altKey || event.isComposing) return;
    const typing = event.target.matches("textarea, input[type=text], input[type=search], select");
    if (typing) {
      if (event.key === "Escape") event.target.blur();
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && press("reveal")) event.preventDefault();
      const untouched = event.target.matches("textarea[data-autofocus]") && event.target.value.trim() === "";
      if (event.key === " " && untouched && !event.ctrlKey && press("reveal")) event.preventDefault();
      // Right after a rating the next card's empty box has focus: Ctrl+Z there means "undo the rating".
      const undoKey = (event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "z" && !event.shiftKey;
      if (undoKey && untouched && press("undo")) event.preventDefault();
      return;
    }
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "z" && !event.shiftKey) {
      if (press("undo")) event.preventDefault();
      return;
    }
    if (event.ctrlKey || event.metaKey) return;
    // Space and Enter keep their meaning on controls that have one (a focused button, a checkbox).
    const onControl = event.target.matches("button, a, input, summary, label");
    if ((event.key === " " || event.key === "Enter") && !onControl && press("space")) event.preventDefault();
    else if (/^[1-4]$/.test(event.key) && press(event.key)) event.preventDefault();
  });

  // Highlight the rating that the ticked key points suggest: all → Good, ≥ 60 % → Hard, else Again
  // (quiz.matching.suggested_rating). A stated misconception suggests Again; an answer that was not
  // typed gets no suggestion (the user rates from memory).
  document.addEventListener("change", (event) => {
    const form = event.target.closest("[data-coverage-form]");
    if (!form || form.dataset.typed !== "1") return;
    const boxes = [...form.querySelectorAll('input[name="points"]')];
    const share = boxes.length ? boxes.filter((b) => b.checked).length / boxes.length : 0;
    const contradicted = Number(form.dataset.contradicted || 0) > 0;
    const suggested = contradicted ? "1" : share >= 1 ? "3" : share >= 0.6 ? "2" : "1";
    form.querySelectorAll("button[name=rating]").forEach((b) => b.classList.toggle("suggested", b.value === suggested));
  });

  const focusCard = () => {
    const box = card()?.querySelector("[data-autofocus]");
    (box || card())?.focus();
  };
  document.addEventListener("DOMContentLoaded", focusCard);
  document.body.addEventListener("htmx:afterSwap", focusCard);
})();
