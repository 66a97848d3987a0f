// Sorting and filtering of the index table. The page is complete without this script; it
// only reads and reorders existing rows (textContent, dataset), never writes markup.
"use strict";

(function () {
  const table = document.getElementById("checks");
  if (!table) {
    return;
  }
  const body = table.tBodies[0];
  const rows = Array.from(body.rows);
  const headers = Array.from(table.tHead.rows[0].cells);
  const collator = new Intl.Collator("zh-CN", { numeric: true });

  // A cell's sort key: its data-sort value if it has one, else its text; "" sorts last.
  function sortKey(row, column, numeric) {
    const cell = row.cells[column];
    const raw = cell.dataset.sort !== undefined ? cell.dataset.sort : cell.textContent.trim();
    if (raw === "") {
      return null;
    }
    return numeric ? Number(raw) : raw;
  }

  function sortBy(column) {
    const header = headers[column];
    const numeric = header.dataset.type === "number";
    const direction = header.getAttribute("aria-sort") === "ascending" ? -1 : 1;
    headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", direction === 1 ? "ascending" : "descending");
    const keyed = Array.from(body.rows).map(function (row, position) {
      return { row: row, position: position, key: sortKey(row, column, numeric) };
    });
    keyed.sort(function (a, b) {
      if (a.key === null || b.key === null) {
        return (a.key === null) - (b.key === null) || a.position - b.position;
      }
      const order = numeric ? a.key - b.key : collator.compare(a.key, b.key);
      return direction * order || a.position - b.position;
    });
    keyed.forEach(function (item) { body.appendChild(item.row); });
  }

  headers.forEach(function (header, column) {
    const button = document.createElement("button");
    button.type = "button";
    while (header.firstChild) {
      button.appendChild(header.firstChild);
    }
    header.appendChild(button);
    button.addEventListener("click", function () { sortBy(column); });
  });

  const controls = document.getElementById("filters");
  const text = document.getElementById("filter-text");
  const verdict = document.getElementById("filter-verdict");
  const flag = document.getElementById("filter-flag");
  const count = document.getElementById("filter-count");

  function applyFilter() {
    const needle = text.value.trim().toLowerCase();
    let shown = 0;
    rows.forEach(function (row) {
      const visible = (!needle || row.textContent.toLowerCase().includes(needle))
        && (!verdict.value || row.dataset.verdict === verdict.value)
        && (!flag.value || row.dataset.flags.split(" ").includes(flag.value));
      row.hidden = !visible;
      shown += visible ? 1 : 0;
    });
    count.textContent = "显示 " + shown + " / " + rows.length;
  }

  text.addEventListener("input", applyFilter);
  verdict.addEventListener("change", applyFilter);
  flag.addEventListener("change", applyFilter);
  controls.hidden = false;
  applyFilter();
})();
