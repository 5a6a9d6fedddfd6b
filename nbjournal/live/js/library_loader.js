// nbjournal's chart library widget: see nbjournal/live/library.py (kept short: saved as is).
function initialize({ model }) {
  let loading = false;
  const load = () => {
    const slot = (globalThis.__nbjournalVega = globalThis.__nbjournalVega || {});
    if (slot.vegaEmbed) return model.send({ have: true });
    const code = model.get("code");
    if (!code) return model.send({ need: true });
    if (loading) return;
    loading = true;
    const url = URL.createObjectURL(new Blob([code], { type: "text/javascript" }));
    import(url)
      .then(() => model.send({ have: true }))
      .catch((error) => console.error("nbjournal chart library:", error))
      .finally(() => {
        URL.revokeObjectURL(url);
        loading = false;
      });
  };
  model.on("change:code", load);
  load(); // never awaited: anywidget gives initialize 2 s
  return () => model.off("change:code", load);
}
export default { initialize };
