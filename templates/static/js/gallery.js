// Role-model gallery: filter chips work as links without JavaScript (one static page per
// filter); with it, the full gallery filters in place and announces how many remain.
(() => {
  "use strict";
  const nav = document.querySelector("[data-gallery-filters]");
  const list = document.querySelector("[data-gallery]");
  const status = document.querySelector("[data-gallery-status]");
  if (!nav || !list || !status) return;
  const everything = nav.querySelector('a[data-filter-name=""]');
  if (!everything || everything.getAttribute("aria-current") !== "page") return;  // a filtered page already
  const items = Array.from(list.querySelectorAll(".gallery__item"));
  nav.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-filter-name]");
    if (!link) return;
    event.preventDefault();
    const name = link.dataset.filterName;
    const value = link.dataset.filterValue;
    let shown = 0;
    for (const item of items) {
      const match = !name || item.dataset[name] === value;
      item.hidden = !match;
      if (match) shown += 1;
    }
    for (const chip of nav.querySelectorAll("a[data-filter-name]")) chip.removeAttribute("aria-current");
    link.setAttribute("aria-current", "true");
    const label = name ? " – " + link.firstChild.textContent.trim() : "";
    status.textContent = shown + " điển hình" + label;
    // The address keeps its folder (relative links stay right); the hash remembers the choice.
    history.replaceState(null, "", name ? "#" + name + "-" + value : location.pathname);
  });
  const chosen = location.hash.slice(1);
  if (chosen) {
    const link = Array.from(nav.querySelectorAll("a[data-filter-name]"))
      .find((a) => a.dataset.filterName && a.dataset.filterName + "-" + a.dataset.filterValue === chosen);
    if (link) link.click();
  }
})();
