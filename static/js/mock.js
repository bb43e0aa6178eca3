// Mock interview page: the countdown (cosmetic — the server owns the deadline), warnings at
// 5 and 1 minutes, submit at zero, and "save, then go" for the question map.
(() => {
  const clock = document.getElementById("countdown");
  const form = document.getElementById("mock-answer");
  if (!clock || !form) return;
  const display = clock.querySelector("[data-countdown-clock]");
  const warning = document.getElementById("countdown-warning");
  // Count from the server's remaining time with a monotonic clock: correct after a refresh, in a
  // new tab, and after the tab slept in the background (timers there are throttled, not this).
  const endsAt = performance.now() + Number(clock.dataset.secondsLeft) * 1000;
  const warnings = [
    { seconds: 300, text: warning.dataset.five },
    { seconds: 60, text: warning.dataset.one },
  ].filter((w) => Number(clock.dataset.secondsLeft) > w.seconds);
  let submitted = false;

  const submitWith = (go) => {
    if (submitted) return;
    submitted = true;
    const input = document.createElement("input");
    input.type = "hidden";
    input.name = "go";
    input.value = go;
    form.append(input);
    form.submit();
  };

  const tick = () => {
    const left = Math.max(0, Math.round((endsAt - performance.now()) / 1000));
    const minutes = Math.floor(left / 60);
    display.textContent = `${minutes}:${String(left % 60).padStart(2, "0")}`;
    clock.classList.toggle("countdown-low", left <= 60);
    const due = warnings.filter((w) => left <= w.seconds);
    if (due.length) {
      warning.textContent = due[due.length - 1].text;
      due.forEach((w) => warnings.splice(warnings.indexOf(w), 1));
    }
    if (left === 0) {
      warning.textContent = warning.dataset.zero;
      submitWith("report"); // saves the last words within the server's grace period, then the report
    }
  };
  tick();
  setInterval(tick, 500);
  document.addEventListener("visibilitychange", tick);

  document.querySelectorAll("[data-save-and-go]").forEach((link) => {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      submitWith(link.dataset.saveAndGo);
    });
  });
})();
