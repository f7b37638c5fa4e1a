extension HTMLTemplate {
    /// Sorting, filtering and paging, and opening every payout's lines for printing. Optional:
    /// without it the page shows every row (controls stay hidden). It holds no data: it reads the
    /// rows' text and data-* attributes, so nothing from the API is ever written into a script.
    /// Amount columns sort by their exact minor units (BigInt: no 2^53 rounding).
    static let script = """
    <script>
    (function () {
      "use strict";
      var PAGE = 100;
      function byId(id) { return document.getElementById(id); }
      function items(table) {
        return table.getAttribute("data-items") === "tbody"
          ? Array.prototype.slice.call(table.tBodies)
          : Array.prototype.slice.call(table.tBodies[0].rows);
      }
      function firstRow(item) { return item.rows ? item.rows[0] : item; }
      function sortKey(item, column) {
        var cell = firstRow(item).cells[column];
        if (!cell) { return ""; }
        var key = cell.getAttribute("data-sort");
        return key !== null ? key : cell.textContent.trim();
      }
      function compare(a, b, numeric) {
        if (numeric) {
          if (a === "" || b === "") { return a === b ? 0 : (a === "" ? 1 : -1); }
          a = a.replace(/,/g, ""); b = b.replace(/,/g, "");
          var x = BigInt(a), y = BigInt(b);
          return x < y ? -1 : (x > y ? 1 : 0);
        }
        return a < b ? -1 : (a > b ? 1 : 0);
      }
      function table(id, keep) {
        var element = byId(id);
        if (!element) { return null; }
        var pager = byId(id + "-pager");
        var page = 0;
        function apply() {
          var all = items(element);
          var shown = all.filter(keep);
          var pages = Math.max(1, Math.ceil(shown.length / PAGE));
          if (page >= pages) { page = pages - 1; }
          all.forEach(function (item) { item.classList.add("filtered-out"); item.classList.remove("paged-out"); });
          shown.forEach(function (item, index) {
            item.classList.remove("filtered-out");
            if (Math.floor(index / PAGE) !== page) { item.classList.add("paged-out"); }
          });
          if (pager) {
            pager.hidden = shown.length <= PAGE;
            pager.querySelector("span").textContent = "Page " + (page + 1) + " of " + pages + " (" + shown.length + " rows)";
            pager.querySelector("[data-step='-1']").disabled = page === 0;
            pager.querySelector("[data-step='1']").disabled = page >= pages - 1;
          }
          return shown.length;
        }
        if (pager) {
          pager.addEventListener("click", function (event) {
            var step = event.target.getAttribute && event.target.getAttribute("data-step");
            if (!step) { return; }
            page += Number(step);
            apply();
            element.scrollIntoView();
          });
        }
        var headers = element.tHead.rows[0].cells;
        // The header cells themselves take clicks and keys: a <button> inside a <th> stops
        // Chromium from repeating the header on every printed page.
        Array.prototype.forEach.call(headers, function (th, column) {
          th.classList.add("sortable");
          th.tabIndex = 0;
          th.addEventListener("keydown", function (event) {
            if (event.key === "Enter" || event.key === " ") { event.preventDefault(); th.click(); }
          });
          th.addEventListener("click", function () {
            var direction = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
            Array.prototype.forEach.call(headers, function (other) { other.removeAttribute("aria-sort"); });
            th.setAttribute("aria-sort", direction);
            var numeric = th.getAttribute("data-type") === "num";
            var keyed = items(element).map(function (item, index) { return { item: item, key: sortKey(item, column), index: index }; });
            keyed.sort(function (a, b) {
              var order = compare(a.key, b.key, numeric);
              if (direction === "descending") { order = -order; }
              return order || a.index - b.index;
            });
            var parent = element.getAttribute("data-items") === "tbody" ? element : element.tBodies[0];
            keyed.forEach(function (entry) { parent.appendChild(entry.item); });
            page = 0;
            apply();
          });
        });
        return { apply: function () { page = 0; return apply(); } };
      }

      var flagged = byId("payouts-flagged");
      var payouts = table("payouts", function (item) {
        return !flagged || !flagged.checked || item.getAttribute("data-flagged") === "1";
      });
      if (payouts) {
        byId("payouts-controls").hidden = false;
        flagged.addEventListener("change", payouts.apply);
        payouts.apply();
      }

      var severity = byId("diagnostics-severity"), code = byId("diagnostics-code");
      var status = byId("diagnostics-status"), find = byId("diagnostics-find"), count = byId("diagnostics-count");
      var diagnostics = table("diagnostics", function (row) {
        if (severity.value && row.getAttribute("data-severity") !== severity.value) { return false; }
        if (code.value && row.getAttribute("data-code") !== code.value) { return false; }
        if (status && status.value && row.getAttribute("data-status") !== status.value) { return false; }
        var text = find.value.trim().toLowerCase();
        return !text || row.textContent.toLowerCase().indexOf(text) >= 0;
      });
      if (diagnostics) {
        byId("diagnostics-controls").hidden = false;
        var update = function () { count.textContent = diagnostics.apply() + " shown"; };
        [severity, code, status].forEach(function (control) { if (control) { control.addEventListener("change", update); } });
        find.addEventListener("input", update);
        update();
      }

      // Printing shows every page of rows (CSS) and every payout's lines: by CSS where the
      // browser can style ::details-content, else by opening them for the print.
      var opened = [];
      var cssOpens = window.CSS && CSS.supports && CSS.supports("selector(::details-content)");
      if (!cssOpens) window.addEventListener("beforeprint", function () {
        Array.prototype.forEach.call(document.querySelectorAll("details:not([open])"), function (d) { d.open = true; opened.push(d); });
      });
      if (!cssOpens) window.addEventListener("afterprint", function () {
        opened.forEach(function (d) { d.open = false; });
        opened = [];
      });
    })();
    </script>

    """
}
