/**
 * The colours of run statuses and verdicts, as the notebook draws them
 * (`nbjournal/rules/palette.py`: tests/display/test_palette_ts.py fails when
 * the two drift, and checks that `style/base.css` gives each the theme
 * colour of the same role). The sidebar draws in the theme's colours; these
 * stand in where the theme's cannot be read.
 */

import { RunStatus, Verdict } from './api/runPayloads';

/** The colour of each run status. */
export const STATUS_COLORS: { readonly [status in RunStatus]: string } = {
  running: '#1565c0',
  finished: '#2e7d32',
  failed: '#c62828',
  crashed: '#c62828',
  interrupted: '#ef6c00'
};

/** The colour of each verdict. */
export const VERDICT_COLORS: { readonly [verdict in Verdict]: string } = {
  supported: '#2e7d32',
  refuted: '#c62828',
  inconclusive: '#ef6c00'
};

/** A point without a verdict. */
export const NO_VERDICT_COLOR = '#9e9e9e';
