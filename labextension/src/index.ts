/**
 * nbjournal's JupyterLab extension: the "Journal" sidebar, run views and
 * comparisons, over the REST API of nbjournal's server extension.
 */

import {
  ILayoutRestorer,
  IRouter,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  Clipboard,
  ICommandPalette,
  IThemeManager,
  MainAreaWidget,
  Notification,
  WidgetTracker
} from '@jupyterlab/apputils';
import {
  IEditorLanguageRegistry,
  jupyterHighlightStyle
} from '@jupyterlab/codemirror';
import { PageConfig, URLExt } from '@jupyterlab/coreutils';
import {
  INotebookTracker,
  NotebookActions,
  NotebookPanel
} from '@jupyterlab/notebook';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { IStateDB } from '@jupyterlab/statedb';
import { DockPanel } from '@lumino/widgets';
import { StyleModule } from 'style-mod';

import { revealCell } from './cellLink';
import { notebookInRoot } from './formatters';
import { journalIcon } from './icons';
import { JournalModel } from './model';
import { PinBoard } from './pins';
import { CommandIDs } from './commands';
import {
  CompareDocument,
  createCompareWidget
} from './widgets/CompareDocument';
import {
  createExperimentWidget,
  ExperimentDocument
} from './widgets/ExperimentDocument';
import { JournalPanel } from './widgets/JournalPanel';
import { createGridWidget, GridDocument } from './widgets/GridDocument';
import { createRunWidget, RunDocument } from './widgets/RunDocument';
import { RecentTabs } from './runTabs';
import { IJournalServices } from './widgets/services';
import { readLink, readView } from './savedViews';

const PLUGIN_ID = 'nbjournal:plugin';

/** Ids from a command's `ids` argument (numbers, or a comma-separated string). */
function parseIds(value: unknown): number[] {
  const raw = Array.isArray(value)
    ? value
    : typeof value === 'string'
      ? value.split(',')
      : [];
  return raw.map(Number).filter(id => Number.isInteger(id) && id > 0);
}

const plugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description:
    'The Journal sidebar: experiments and runs, run views with inferences, comparisons.',
  autoStart: true,
  requires: [IRenderMimeRegistry],
  optional: [
    ILayoutRestorer,
    INotebookTracker,
    IEditorLanguageRegistry,
    IThemeManager,
    ICommandPalette,
    IStateDB,
    IRouter
  ],
  activate: (
    app: JupyterFrontEnd,
    rendermime: IRenderMimeRegistry,
    restorer: ILayoutRestorer | null,
    notebooks: INotebookTracker | null,
    languages: IEditorLanguageRegistry | null,
    themes: IThemeManager | null,
    palette: ICommandPalette | null,
    state: IStateDB | null,
    router: IRouter | null
  ): void => {
    const { commands, shell } = app;
    const model = new JournalModel();
    const runs = new WidgetTracker<MainAreaWidget<RunDocument>>({
      namespace: 'nbjournal-run'
    });
    const comparisons = new WidgetTracker<MainAreaWidget<CompareDocument>>({
      namespace: 'nbjournal-compare'
    });
    const experiments = new WidgetTracker<MainAreaWidget<ExperimentDocument>>({
      namespace: 'nbjournal-experiment'
    });
    const grids = new WidgetTracker<MainAreaWidget<GridDocument>>({
      namespace: 'nbjournal-grid'
    });
    const recentRuns = new RecentTabs<MainAreaWidget<RunDocument>>();

    const highlight = languages
      ? async (code: string, element: HTMLElement): Promise<void> => {
          // the highlight classes are styled once an editor mounted them;
          // mount them ourselves in case no editor is open yet
          if (jupyterHighlightStyle.module) {
            StyleModule.mount(document, jupyterHighlightStyle.module);
          }
          await languages.highlight(
            code,
            languages.findBest('python'),
            element
          );
        }
      : undefined;

    const updateAll = (): void => {
      runs.forEach(widget => widget.content.update());
      comparisons.forEach(widget => widget.content.update());
      experiments.forEach(widget => widget.content.update());
      grids.forEach(widget => widget.content.update());
    };

    const services: IJournalServices = {
      model,
      rendermime,
      state,
      pins: new PinBoard(state),
      link: search =>
        URLExt.join(
          PageConfig.getBaseUrl(),
          PageConfig.getOption('appUrl') || 'lab'
        ) + search,
      highlight,
      theme: () => themes?.theme ?? document.body.dataset.jpThemeName ?? '',
      canInsert: () => !!notebooks?.currentWidget,
      copy: text => Clipboard.copyToSystem(text),
      insert: code => {
        const panel = notebooks?.currentWidget;
        if (!panel) {
          Notification.warning('Open a notebook to insert the code into.', {
            autoClose: 4000
          });
          return;
        }
        const notebook = panel.content;
        NotebookActions.insertBelow(notebook);
        const cell = notebook.activeCell;
        if (cell) {
          cell.model.sharedModel.setSource(code);
        }
        shell.activateById(panel.id);
      },
      notebookPath: recorded =>
        notebookInRoot(recorded, PageConfig.getOption('serverRoot')),
      openNotebook: (path, cellId) => {
        void commands
          .execute('docmanager:open', { path })
          .then(widget =>
            cellId && widget instanceof NotebookPanel
              ? revealCell(widget, cellId)
              : false
          );
      },
      openRun: id => {
        void commands.execute(CommandIDs.openRun, { id });
      },
      openExperiment: name => {
        void commands.execute(CommandIDs.openExperiment, { name });
      },
      openGrid: id => {
        void commands.execute(CommandIDs.openGrid, { id });
      },
      compare: ids => {
        void commands.execute(CommandIDs.compare, { ids: [...ids] });
      },
      download: (filename, text, type) => {
        const url = URL.createObjectURL(
          text instanceof Blob ? text : new Blob([text], { type })
        );
        const link = document.createElement('a');
        link.href = url;
        link.download = filename;
        document.body.appendChild(link);
        link.click();
        link.remove();
        window.setTimeout(() => URL.revokeObjectURL(url), 10000);
      }
    };

    const panel = new JournalPanel(services);
    shell.add(panel, 'left', { rank: 600, type: 'Journal' });
    if (restorer) {
      restorer.add(panel, 'nbjournal-sidebar');
    }

    commands.addCommand(CommandIDs.openRun, {
      label: args => (args.id ? `Open Run #${args.id}` : 'Open Run'),
      caption: 'Open a run of the journal in the main area',
      icon: journalIcon,
      execute: args => {
        const id = Number(args.id);
        if (!Number.isInteger(id) || id <= 0) {
          return;
        }
        let widget = runs.find(one => one.content.runId === id);
        if (!widget) {
          widget = createRunWidget(id, services);
          void runs.add(widget);
          shell.add(widget, 'main');
        } else {
          void widget.content.load();
        }
        shell.activateById(widget.id);
        recentRuns.shown(widget);
        recentRuns.trim(widget); // a few run tabs, not one per run ever opened
        return widget;
      }
    });

    commands.addCommand(CommandIDs.openGrid, {
      label: args => (args.id ? `Open Grid #${args.id}` : 'Open Grid'),
      caption: 'Open a grid of the journal: its summary, chart and inferences',
      icon: journalIcon,
      execute: args => {
        const id = Number(args.id);
        if (!Number.isInteger(id) || id <= 0) {
          return;
        }
        let widget = grids.find(one => one.content.gridId === id);
        if (!widget) {
          widget = createGridWidget(id, services);
          void grids.add(widget);
          shell.add(widget, 'main');
        } else {
          void widget.content.load();
        }
        shell.activateById(widget.id);
        return widget;
      }
    });

    commands.addCommand(CommandIDs.openExperiment, {
      label: args =>
        args.name ? `Open Experiment ${args.name}` : 'Open Experiment',
      caption:
        "Open an experiment's page: all its runs, a query, charts (args: name, and a view's query, sort, order, grouped)",
      icon: journalIcon,
      execute: args => {
        const name = typeof args.name === 'string' ? args.name : '';
        if (!name) {
          return;
        }
        // a view asked for (query, sort, order, toggled, grouped) wins over the one kept
        const view = readView(args);
        let widget = experiments.find(one => one.content.experiment === name);
        if (!widget) {
          widget = createExperimentWidget(name, services, view);
          void experiments.add(widget);
          shell.add(widget, 'main');
        } else if (Object.keys(view).length) {
          widget.content.showView(view);
        } else {
          void widget.content.load();
        }
        shell.activateById(widget.id);
        return widget;
      }
    });

    commands.addCommand(CommandIDs.compare, {
      label: 'Compare Selected Runs',
      caption: 'Compare runs side by side',
      icon: journalIcon,
      execute: args => {
        const ids = parseIds(args.ids ?? model.selected);
        if (ids.length < 2) {
          return;
        }
        let widget = comparisons.currentWidget ?? comparisons.find(() => true);
        if (widget) {
          widget.content.setIds(ids);
        } else {
          widget = createCompareWidget(ids, services);
          void comparisons.add(widget);
          shell.add(widget, 'main', { activate: false });
        }
        if (args.activate === false) {
          // show it, but leave the keyboard focus where it is (the list);
          // `select: false` leaves it behind the tab the person works in
          if (args.select !== false && widget.parent instanceof DockPanel) {
            widget.parent.selectWidget(widget);
          }
        } else {
          shell.activateById(widget.id);
        }
        return widget;
      }
    });

    commands.addCommand(CommandIDs.openLink, {
      label: 'Open a Journal Link',
      caption:
        'Open what a link names: ?nbjournal-run=ID, ?nbjournal-grid=ID, ?nbjournal-experiment=NAME&nbjournal-query=…',
      execute: async args => {
        const link = readLink(String(args.search ?? ''));
        await app.restored; // after the layout is back, so it stays in front
        if (link.run) {
          await commands.execute(CommandIDs.openRun, { id: link.run });
        }
        if (link.grid) {
          await commands.execute(CommandIDs.openGrid, { id: link.grid });
        }
        if (link.experiment) {
          await commands.execute(CommandIDs.openExperiment, {
            name: link.experiment,
            ...link.view
          });
        }
      }
    });
    router?.register({
      command: CommandIDs.openLink,
      pattern: /[?&]nbjournal-(run|grid|experiment)=/
    });

    commands.addCommand(CommandIDs.refresh, {
      label: 'Refresh the Journal',
      caption: 'Read the journal anew',
      execute: () => model.refresh()
    });

    commands.addCommand(CommandIDs.show, {
      label: 'Show the Journal',
      caption: 'Show the Journal sidebar',
      icon: journalIcon,
      execute: () => shell.activateById(panel.id)
    });

    if (palette) {
      const category = 'Journal';
      palette.addItem({ command: CommandIDs.show, category });
      palette.addItem({ command: CommandIDs.refresh, category });
    }

    if (restorer) {
      void restorer.restore(runs, {
        command: CommandIDs.openRun,
        args: widget => ({ id: widget.content.runId }),
        name: widget => String(widget.content.runId)
      });
      void restorer.restore(grids, {
        command: CommandIDs.openGrid,
        args: widget => ({ id: widget.content.gridId }),
        name: widget => String(widget.content.gridId)
      });
      void restorer.restore(experiments, {
        command: CommandIDs.openExperiment,
        args: widget => ({ name: widget.content.experiment }),
        name: widget => widget.content.experiment
      });
    }

    // A comparison opens on its button (the sidebar's selection bar, the
    // page's Compare), never while runs are being ticked; once open, it
    // follows the selection in place, without coming to the front.
    model.stateChanged.connect(() => {
      const selected = model.selected;
      const open = comparisons.find(() => true);
      if (selected.length >= 2 && open) {
        open.content.setIds(selected);
      }
    });

    themes?.themeChanged.connect(updateAll);
    notebooks?.currentChanged.connect(updateAll);
  }
};

export default plugin;
