// Live Stream: samples from the workspace's LiveStream object over a WebSocket; filters, pause/resume, details pane.
(() => {
  const MAX_ROWS = 200;
  const body = document.body;
  const form = document.getElementById("filters");
  const tbody = document.querySelector("#stream tbody");
  const details = document.getElementById("details");
  const status = document.getElementById("status");
  const skippedEl = document.getElementById("skipped");
  const pauseBtn = document.getElementById("pause");
  const samples = [];
  let paused = false;
  let skipped = 0;
  let retry = 1000;

  const names = (sel) => Object.fromEntries([...form.elements[sel].options].map((o) => [o.value, o.textContent]));
  const inputNames = names("input");
  const outputNames = names("output");

  function matches(s) {
    const f = Object.fromEntries(new FormData(form));
    if (f.input && String(s.inputId) !== f.input) return false;
    if (f.output === "-" && s.kind !== "inbound") return false;
    if (f.output && f.output !== "-" && String(s.outputId) !== f.output) return false;
    if (f.environment && s.environment !== f.environment) return false;
    if (f.eventType && !s.eventTypes.includes(f.eventType)) return false;
    if (f.mpid && String(s.mpid) !== f.mpid.trim()) return false;
    return true;
  }

  // Data plan validation results of an inbound batch, named in its row (the details pane has them in full).
  function violations(s) {
    const n = (s.detail && Array.isArray(s.detail.validation_results) && s.detail.validation_results.length) || 0;
    return n ? ` (${n} data plan violation${n === 1 ? "" : "s"})` : "";
  }

  function row(s) {
    const tr = document.createElement("tr");
    const cells = [
      new Date(s.at).toISOString().slice(11, 23),
      s.kind === "inbound" ? "in" : "out",
      s.kind === "inbound" ? inputNames[s.inputId] || `input ${s.inputId}` : `${inputNames[s.inputId] || s.inputId} → ${outputNames[s.outputId] || `output ${s.outputId}`}`,
      s.environment,
      s.mpid || "",
      (s.eventNames.length ? s.eventNames.join(", ") : s.eventTypes.join(", ")) + violations(s),
    ];
    for (const c of cells) {
      const td = document.createElement("td");
      td.textContent = c;
      tr.appendChild(td);
    }
    tr.className = "sample";
    tr.addEventListener("click", () => {
      for (const r of tbody.querySelectorAll("tr.selected")) r.classList.remove("selected");
      tr.classList.add("selected");
      details.textContent = JSON.stringify(s.detail, null, 2);
    });
    return tr;
  }

  function render() {
    tbody.replaceChildren(...samples.filter(matches).slice(0, MAX_ROWS).map(row));
  }

  function connect() {
    const proto = location.protocol === "https:" ? "wss:" : "ws:";
    const ws = new WebSocket(`${proto}//${location.host}/console/live/socket?ws=${body.dataset.workspace}`);
    ws.addEventListener("open", () => {
      retry = 1000;
      status.textContent = paused ? "paused" : "live";
      status.dataset.state = "live";
    });
    ws.addEventListener("message", (e) => {
      const m = JSON.parse(e.data);
      if (m.type !== "sample") return;
      skipped += m.skippedBefore || 0;
      if (skipped) skippedEl.textContent = `${skipped} sample(s) skipped by the per-second cap since you opened the page.`;
      if (paused) return;
      samples.unshift(m.sample);
      if (samples.length > MAX_ROWS * 5) samples.length = MAX_ROWS * 5;
      if (matches(m.sample)) {
        tbody.prepend(row(m.sample));
        while (tbody.rows.length > MAX_ROWS) tbody.deleteRow(-1);
      }
    });
    ws.addEventListener("close", () => {
      status.textContent = "disconnected; reconnecting…";
      status.dataset.state = "closed";
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 30000);
    });
  }

  form.addEventListener("change", render);
  form.addEventListener("input", render);
  form.addEventListener("submit", (e) => e.preventDefault());
  pauseBtn.addEventListener("click", () => {
    paused = !paused;
    pauseBtn.textContent = paused ? "Resume" : "Pause";
    status.textContent = paused ? "paused" : "live";
  });
  connect();
})();
