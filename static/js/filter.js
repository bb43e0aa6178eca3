// Filters a list as the user types: <input data-filter-target="#list">; each child of the
// list is hidden unless its text contains the query (case-insensitive).
document.querySelectorAll("[data-filter-target]").forEach((input) => {
  const list = document.querySelector(input.dataset.filterTarget);
  input.addEventListener("input", () => {
    const query = input.value.trim().toLowerCase();
    for (const item of list.children) {
      item.hidden = query !== "" && !item.textContent.toLowerCase().includes(query);
    }
  });
});
