import {
  ReactWidget,
  refreshIcon,
  SidePanel,
  ToolbarButton,
  UseSignal
} from '@jupyterlab/ui-components';
import { Panel, Widget } from '@lumino/widgets';
import React from 'react';

import { Sidebar } from '../components/Sidebar';
import { journalIcon } from '../icons';
import { IJournalServices } from './services';
import { WatchingWidget } from './WatchingWidget';

/** The React body of the sidebar. */
class SidebarBody extends WatchingWidget {
  constructor(private readonly services: IJournalServices) {
    super(services.model);
    this.addClass('jp-nbjournal-SidebarBody');
  }

  render(): JSX.Element {
    const { model } = this.services;
    return (
      <UseSignal signal={model.stateChanged}>
        {() => (
          <Sidebar
            model={model}
            onOpen={id => this.services.openRun(id)}
            onOpenExperiment={name => this.services.openExperiment(name)}
            onOpenGrid={id => this.services.openGrid?.(id)}
            onCompare={ids => this.services.compare(ids)}
          />
        )}
      </UseSignal>
    );
  }
}

/** The "Journal" tab of the left area. */
export class JournalPanel extends SidePanel {
  constructor(services: IJournalServices) {
    super({ content: new Panel() });
    this.id = 'nbjournal-sidebar';
    this.addClass('jp-nbjournal-Panel');
    this.title.icon = journalIcon;
    this.title.caption = 'Journal';
    const heading = new Widget({ node: document.createElement('h2') });
    heading.node.textContent = 'Journal';
    heading.addClass('jp-nbjournal-Panel-heading');
    this.header.addWidget(heading);
    this.header.addWidget(
      new ToolbarButton({
        icon: refreshIcon,
        tooltip: 'Read the journal anew',
        onClick: () => void services.model.refresh().catch(() => undefined)
      })
    );
    this.body = new SidebarBody(services);
    this.addWidget(this.body);
  }

  /** The React body (the list). */
  readonly body: ReactWidget;
}
