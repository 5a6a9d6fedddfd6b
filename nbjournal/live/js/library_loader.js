// The library widget of nbjournal's live charts: one per kernel, never displayed.
//
// Its "code" (about 900 kB: Vega, Vega-Lite, vega-embed) is sent by the kernel once;
// imported here, it fills a page-wide slot that every live chart reads. The kernel
// empties "code" again when no front end said it has the library (a headless run
// saves the last state of every widget in the notebook), and fills it again when a
// page without it asks ("need": a page opened or reloaded later).
//
// Front end -> kernel: {have: true} once the library is in the page, {need: true}.
// Nothing here is awaited by initialize: anywidget gives a model 2 s to initialize.

function initialize({ model }) {
  let loading = false;
  const load = () => {
    const slot = (globalThis.__nbjournalVega = globalThis.__nbjournalVega || {});
    if (slot.vegaEmbed) {
      model.send({ have: true });
      return;
    }
    const code = model.get("code");
    if (!code) {
      model.send({ need: true });
      return;
    }
    if (loading) return;
    loading = true;
    const url = URL.createObjectURL(new Blob([code], { type: "text/javascript" }));
    import(/* webpackIgnore: true */ url)
      .then(() => model.send({ have: true }))
      .catch((error) => console.error("nbjournal live chart library:", error))
      .finally(() => {
        URL.revokeObjectURL(url);
        loading = false;
      });
  };
  model.on("change:code", load);
  load();
  return () => model.off("change:code", load);
}

export default { initialize };
