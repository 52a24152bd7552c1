// Connection chart: hourly forwarded / failed / filtered counts (data-series on #chart), drawn with uPlot.
(() => {
  const el = document.getElementById("chart");
  if (!el || typeof uPlot === "undefined") return;
  const rows = JSON.parse(el.dataset.series || "[]");
  if (!rows.some((r) => r.forwarded || r.failed || r.filtered)) {
    el.textContent = "No traffic in this period.";
    return;
  }
  const t = rows.map((r) => Date.parse(r.hour) / 1000);
  const opts = {
    width: Math.max(320, el.clientWidth - 2),
    height: 220,
    series: [{}, { label: "Forwarded", stroke: "#1e8e3e" }, { label: "Failed", stroke: "#c0392b" }, { label: "Filtered", stroke: "#667085" }],
  };
  new uPlot(opts, [t, rows.map((r) => r.forwarded), rows.map((r) => r.failed), rows.map((r) => r.filtered)], el);
})();
