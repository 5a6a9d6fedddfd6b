// The live chart of nbjournal: a Vega-Lite specification made by Altair, whose
// named dataset "points" grows by increments sent from the kernel.
//
// No imports: vegaEmbed (with Vega and Vega-Lite, bundled offline) comes once per page
// from the library widget (library_loader.js, chart_library.js); the chart waits for it.
//
// Kernel -> front end:
//   spec (trait)          the specification; re-embedded when it changes
//   rows (trait)          every point, replaced after the kernel thinned a series
//   {append: rows} (msg)  points added since; rows are [kind, metric, split, part, x, y]

const stores = new Map();

// vegaEmbed, once the library widget has put it in the page-wide slot.
function library() {
  const slot = (globalThis.__nbjournalVega = globalThis.__nbjournalVega || {});
  if (slot.vegaEmbed) return Promise.resolve(slot.vegaEmbed);
  if (!slot.ready) slot.ready = new Promise((resolve) => (slot.resolve = resolve));
  return slot.ready;
}

// Colours from the page's JupyterLab theme (light or dark), on a transparent background:
// Vega's own defaults are black text on a white box, glaring in a dark theme. Outside
// JupyterLab and Notebook (no theme variables) Vega's defaults stay.
function themed(spec) {
  const css = getComputedStyle(document.body);
  const color = (name) => css.getPropertyValue(name).trim();
  const text = color("--jp-ui-font-color1");
  if (!text) return spec;
  const muted = color("--jp-ui-font-color2") || text;
  const line = color("--jp-border-color1") || muted;
  const grid = color("--jp-border-color2") || line;
  const config = spec.config || {};
  return {
    ...spec,
    background: "transparent",
    config: {
      ...config,
      axis: {
        ...config.axis,
        labelColor: muted,
        titleColor: text,
        domainColor: line,
        tickColor: line,
        gridColor: grid,
      },
      legend: { ...config.legend, labelColor: text, titleColor: text },
      title: { ...config.title, color: text },
      view: { ...config.view, stroke: line },
    },
  };
}

// Calls back when JupyterLab switches themes; returns what stops watching.
function onThemeChange(callback) {
  const observer = new MutationObserver(callback);
  observer.observe(document.body, {
    attributes: true,
    attributeFilter: ["data-jp-theme-name"],
  });
  return () => observer.disconnect();
}

function toObjects(rows) {
  return rows.map((r) => ({
    k: r[0],
    m: r[1],
    s: r[2],
    p: r[3],
    x: r[4],
    y: r[5],
  }));
}

// Rows appended since the last snapshot, kept per model (not per view) so that a view
// created later, or a re-embed after a new specification, starts with every point.
function storeFor(model) {
  const key = model.get("uid");
  let store = stores.get(key);
  if (!store) {
    // serial: messages received so far; a view's data is complete up to some serial.
    store = { appended: [], serial: 0 };
    stores.set(key, store);
  }
  return store;
}

function initialize({ model }) {
  const store = storeFor(model);
  const onRows = () => {
    store.appended = [];
  };
  const onMessage = (msg) => {
    if (msg && Array.isArray(msg.append)) {
      store.appended.push(...msg.append);
      store.serial += 1;
    }
  };
  model.on("change:rows", onRows);
  model.on("msg:custom", onMessage);
  return () => {
    model.off("change:rows", onRows);
    model.off("msg:custom", onMessage);
    stores.delete(model.get("uid"));
  };
}

async function render({ model, el }) {
  const store = storeFor(model);
  const host = document.createElement("div");
  host.className = "nbj-chart";
  el.appendChild(host);
  let view = null;
  let covered = 0; // the view holds every point sent up to this message serial
  let generation = 0;
  // Changes are applied one after another, in the order they arrived.
  let queue = Promise.resolve();
  const enqueue = (task) => {
    queue = queue.then(task).catch((error) => showError(error));
  };

  function showError(error) {
    console.error("nbjournal live chart:", error);
    host.textContent =
      "The live chart could not be drawn: " + (error && error.message);
  }

  function count() {
    if (view) {
      el.dataset.points = String(view.data("points").length);
      el.dataset.updates = String(Number(el.dataset.updates || 0) + 1);
    }
  }

  // The specification is embedded with its points inlined, and only once there are points:
  // a view run on no data warns of infinite extents and of a log domain holding zero, for
  // every panel, each time the specification changes.
  async function embed() {
    const mine = ++generation;
    const vegaEmbed = await library(); // at once, but for the page's first chart
    if (mine !== generation) return;
    const spec = model.get("spec");
    const rows = model.get("rows").concat(store.appended);
    const serial = store.serial;
    // Keep the height while the new specification renders: the view never shrinks
    // to nothing and grows back (a jump of the notebook under the reader's eyes).
    if (host.offsetHeight > 0) {
      host.style.minHeight = `${Math.max(host.offsetHeight, parseFloat(host.style.minHeight) || 0)}px`;
    }
    if (view) {
      view.finalize();
      view = null;
    }
    if (!spec || Object.keys(spec).length === 0 || rows.length === 0) {
      host.textContent = "";
      return; // drawn with the first points (see append and replace)
    }
    const full = themed(structuredClone(spec));
    full.datasets = { ...full.datasets, points: toObjects(rows) };
    const result = await vegaEmbed(host, full, { actions: false, renderer: "svg" });
    if (mine !== generation) {
      result.finalize();
      return;
    }
    view = result.view;
    covered = serial;
    count();
  }

  async function replace(serial) {
    if (!view) return embed();
    const rows = toObjects(model.get("rows"));
    covered = Math.max(covered, serial);
    await view
      .change(
        "points",
        view
          .changeset()
          .remove(() => true)
          .insert(rows),
      )
      .runAsync();
    count();
  }

  async function append(rows, serial) {
    if (!view) return embed();
    if (serial <= covered) return;
    covered = serial;
    await view.insert("points", toObjects(rows)).runAsync();
    count();
  }

  const onSpec = () => enqueue(embed);
  const onRows = () => {
    const serial = store.serial; // the snapshot holds every point sent before it
    enqueue(() => replace(serial));
  };
  const onMessage = (msg) => {
    if (msg && Array.isArray(msg.append)) {
      const rows = msg.append;
      const serial = store.serial; // initialize's handler ran first and counted it
      enqueue(() => append(rows, serial));
    }
  };
  model.on("change:spec", onSpec);
  model.on("change:rows", onRows);
  model.on("msg:custom", onMessage);
  const stopWatchingTheme = onThemeChange(onSpec);
  enqueue(embed);
  if (globalThis.__nbjournalVega?.vegaEmbed) await queue; // never wait for the library here
  return () => {
    stopWatchingTheme();
    model.off("change:spec", onSpec);
    model.off("change:rows", onRows);
    model.off("msg:custom", onMessage);
    generation += 1;
    if (view) view.finalize();
  };
}

export default { initialize, render };
