/* netpharm: sortable, filterable tables (table.explore), no library, nothing loaded.
 *
 * A header click sorts by its column (th data-sort="number": by the cells' data-value, empty cells
 * last in both directions; else by text). The controls of div.table-tools[data-table=ID] filter
 * the rows of table ID: data-filter="text" (any cell contains it), "column" (a cell of
 * data-column equals the value), "max"/"min" (a cell's data-value within the bound; a row without
 * a value is hidden while the bound is set). span.table-count says how many rows are shown.
 */
(function () {
  "use strict";

  function cellValue(row, col, numeric) {
    var cell = row.cells[col];
    if (!cell) { return numeric ? null : ""; }
    if (numeric) {
      var v = cell.getAttribute("data-value");
      return v === null || v === "" ? null : Number(v);
    }
    return (cell.getAttribute("data-value") || cell.textContent).trim().toLowerCase();
  }

  function sortBy(table, th) {
    var col = th.cellIndex, numeric = th.getAttribute("data-sort") === "number";
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    table.tHead.querySelectorAll("th").forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a, col, numeric), y = cellValue(b, col, numeric);
      if (x === null || y === null) { return x === null ? (y === null ? 0 : 1) : -1; }
      var c = numeric ? x - y : x.localeCompare(y);
      return ascending ? c : -c;
    });
    body.append.apply(body, rows);
  }

  function applyFilters(table, tools) {
    var controls = tools.querySelectorAll("[data-filter]");
    var shown = 0, rows = table.tBodies[0].rows;
    for (var i = 0; i < rows.length; i++) {
      var row = rows[i], keep = true;
      controls.forEach(function (c) {
        var want = c.value.trim(), kind = c.getAttribute("data-filter");
        if (!keep || want === "") { return; }
        var col = Number(c.getAttribute("data-column"));
        if (kind === "text") {
          keep = row.textContent.toLowerCase().indexOf(want.toLowerCase()) >= 0;
        } else if (kind === "column") {
          keep = cellValue(row, col, false) === want.toLowerCase();
        } else {
          var v = cellValue(row, col, true), bound = Number(want);
          keep = v !== null && (kind === "max" ? v <= bound : v >= bound);
        }
      });
      row.hidden = !keep;
      if (keep) { shown += 1; }
    }
    var count = tools.querySelector(".table-count");
    if (count) { count.textContent = shown + " of " + rows.length + " shown"; }
  }

  document.querySelectorAll("table.explore").forEach(function (table) {
    table.tHead.querySelectorAll("th[data-sort]").forEach(function (th) {
      th.tabIndex = 0;
      th.addEventListener("click", function () { sortBy(table, th); });
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sortBy(table, th); }
      });
    });
    var tools = document.querySelector('.table-tools[data-table="' + table.id + '"]');
    if (tools) {
      tools.addEventListener("input", function () { applyFilters(table, tools); });
      applyFilters(table, tools);
    }
  });
})();
