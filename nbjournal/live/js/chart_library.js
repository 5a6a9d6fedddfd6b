// Vega, Vega-Lite and vega-embed for every live chart of the page, loaded once.
//
// No imports: vl-convert's javascript_bundle() bundles this file with vegaEmbed
// (and Vega, Vega-Lite), so the charts render with no network access. The
// library widget (library_loader.js) imports the bundle; the charts
// (live_chart.js) wait for vegaEmbed in the page-wide slot filled here.

const slot = (globalThis.__nbjournalVega = globalThis.__nbjournalVega || {});
slot.vegaEmbed = vegaEmbed;
if (slot.resolve) slot.resolve(vegaEmbed);

export default {};
