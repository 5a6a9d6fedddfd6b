import { LabIcon } from '@jupyterlab/ui-components';

import journalSvg from '../style/icons/journal.svg';

/** The Journal's icon: a notebook with a rising curve. */
export const journalIcon = new LabIcon({
  name: 'nbjournal:journal',
  svgstr: journalSvg
});
