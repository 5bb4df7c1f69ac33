// Documents table: without JavaScript it is a plain table. With it, a search box that ignores
// tones and đ ("ke hoach 417" finds "Kế hoạch 417/KH-UBND"; folding comes from fold.js), filters,
// and sortable columns.
(() => {
  "use strict";
  const form = document.querySelector("[data-doc-filters]");
  const table = document.querySelector("[data-doc-table]");
  const status = document.querySelector("[data-doc-status]");
  if (!form || !table || !status || !window.SiteText) return;
  const fold = window.SiteText.fold;
  const body = table.tBodies[0];
  const rows = Array.from(body.rows);
  const texts = new Map(rows.map((row) => [row, fold(row.textContent)]));

  function apply() {
    const tokens = fold(form.elements.q.value).split(/[\s,;]+/).filter(Boolean);
    const type = form.elements.type.value;
    const year = form.elements.year.value;
    const issuer = form.elements.issuer.value;
    let shown = 0;
    for (const row of rows) {
      const match = tokens.every((token) => texts.get(row).includes(token))
        && (!type || row.dataset.type === type)
        && (!year || row.dataset.year === year)
        && (!issuer || row.dataset.issuer === issuer);
      row.hidden = !match;
      if (match) shown += 1;
    }
    status.textContent = shown === 0 ? "Không có văn bản nào khớp" : shown + " văn bản";
  }

  const number = (row) => parseInt(row.cells[0].textContent, 10) || 0;
  const keys = {
    number: (row) => number(row),
    date: (row) => row.dataset.date,
    text: (row, index) => row.cells[index].textContent.trim(),
  };
  const headers = Array.from(table.tHead.rows[0].cells);
  headers.forEach((header, index) => {
    const kind = header.dataset.sort;
    if (!kind) return;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "sort-button";
    button.textContent = header.textContent;
    header.textContent = "";
    header.append(button);
    button.addEventListener("click", () => {
      const ascending = header.getAttribute("aria-sort") !== "ascending";
      for (const other of headers) other.removeAttribute("aria-sort");
      header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      const key = (row) => keys[kind](row, index);
      const sorted = rows.slice().sort((a, b) => {
        const x = key(a);
        const y = key(b);
        const order = typeof x === "number" ? x - y : String(x).localeCompare(String(y), "vi");
        return ascending ? order : -order;
      });
      body.append(...sorted);
      status.textContent = "Đã sắp xếp theo " + button.textContent.toLowerCase() + (ascending ? ", tăng dần" : ", giảm dần");
    });
  });

  form.hidden = false;
  form.addEventListener("input", apply);
  form.addEventListener("submit", (event) => { event.preventDefault(); apply(); });
  const query = new URLSearchParams(location.search).get("q");
  if (query) { form.elements.q.value = query; apply(); }
})();
