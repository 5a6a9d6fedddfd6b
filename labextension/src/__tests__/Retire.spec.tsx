import { Notification } from '@jupyterlab/apputils';
import {
  RenderMimeRegistry,
  standardRendererFactories
} from '@jupyterlab/rendermime';
import { ServerConnection } from '@jupyterlab/services';
import {
  act,
  fireEvent,
  render,
  screen,
  waitFor,
  within
} from '@testing-library/react';
import React from 'react';

import { JournalClient } from '../api/client';
import { IRun } from '../api/runDetailPayloads';
import { DEFAULT_VERDICT_COLORS } from '../charts/experimentCharts';
import { ExperimentView } from '../components/ExperimentView';
import { RunView } from '../components/RunView';
import { tagChanges, TagEditor } from '../components/TagEditor';
import {
  ExperimentTableModel,
  inTrash,
  tableColumns,
  withTrash
} from '../experimentModel';
import { deleteWithUndo, PURGE_HINT, runList } from '../retire';
import { run } from './fixtures';
import { sweepRows, TableServer } from './tableServer';

const rendermime = new RenderMimeRegistry({
  initialFactories: standardRendererFactories
});

/** A refusal as the server sends one: a 400 with its one-line message. */
function refusal(message: string): ServerConnection.ResponseError {
  return new ServerConnection.ResponseError(
    new Response(JSON.stringify({ message }), { status: 400 }),
    message
  );
}

function runView(
  overrides: Partial<IRun>,
  handlers: Record<string, jest.Mock>
) {
  return render(
    <RunView
      run={run(overrides)}
      series={[]}
      rendermime={{ mimeTypes: [] } as any}
      theme="light"
      now={1_700_000_100}
      canInsert={false}
      onCopy={jest.fn()}
      onInsert={jest.fn()}
      notebookPath={null}
      onOpenNotebook={jest.fn()}
      onOpenRun={jest.fn()}
      onAddInference={jest.fn()}
      {...handlers}
    />
  );
}

describe('the words of retiring', () => {
  it('reads +a -b c as %journal tag does', () => {
    expect(tagChanges(' +keep -draft  lr-sweep ')).toEqual({
      add: ['keep', 'lr-sweep'],
      remove: ['draft']
    });
    expect(tagChanges('+ -')).toEqual({ add: [], remove: [] });
  });

  it('adds and takes out status:trashed, other terms kept', () => {
    expect(withTrash('lr>0.1', true)).toBe('status:trashed lr>0.1');
    expect(withTrash('status:trashed lr>0.1', false)).toBe('lr>0.1');
    expect(withTrash('a STATUS:TRASHED b', false)).toBe('a b');
    expect(inTrash('lr>0.1 status:trashed')).toBe(true);
    expect(inTrash('status:trashedx')).toBe(false);
    expect(runList([1, 2, 3, 4, 5, 6, 7])).toBe(
      '#1, #2, #3, #4, #5 and 2 more'
    );
  });

  it('puts the tags after the verdict, not sortable', () => {
    const columns = tableColumns({ key_metric: null, params: [], metrics: [] });
    const tags = columns.find(c => c.id === 'tags');
    expect(columns.map(c => c.id).indexOf('tags')).toBe(
      columns.map(c => c.id).indexOf('verdict') + 1
    );
    expect(tags?.sortable).toBe(false);
  });
});

describe('deleteWithUndo', () => {
  afterEach(() => Notification.dismiss());

  it('trashes, then offers an Undo that restores the same runs', async () => {
    const model = {
      trash: jest.fn().mockResolvedValue([12, 13]),
      restore: jest.fn().mockResolvedValue([12, 13])
    };
    expect(await deleteWithUndo(model, [12, 13])).toEqual([12, 13]);
    const [note] = Notification.manager.notifications;
    expect(note.message).toBe('Deleted runs #12, #13 (in the trash)');
    const undo = note.options.actions!.find(a => a.label === 'Undo')!;
    undo.callback(new MouseEvent('click'));
    await waitFor(() => expect(model.restore).toHaveBeenCalledWith([12, 13]));
  });

  it('says the server’s refusal in one line, and offers no undo', async () => {
    const model = {
      trash: jest
        .fn()
        .mockRejectedValue(refusal('run #5 is running: let it end')),
      restore: jest.fn()
    };
    expect(await deleteWithUndo(model, [5])).toEqual([]);
    const [note] = Notification.manager.notifications;
    expect(note.type).toBe('error');
    expect(note.message).toBe('Not deleted: run #5 is running: let it end');
    expect(note.options.actions ?? []).toHaveLength(0);
  });
});

describe('TagEditor', () => {
  it('removes a tag with its button and adds from the box', async () => {
    const onEdit = jest.fn().mockResolvedValue(undefined);
    render(
      <TagEditor tags={['draft', 'keep']} label="Tag run #12" onEdit={onEdit} />
    );
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Remove tag draft' }));
    });
    expect(onEdit).toHaveBeenLastCalledWith([], ['draft']);
    const box = screen.getByRole('textbox', { name: 'Tag run #12' });
    fireEvent.change(box, { target: { value: '+best -keep' } });
    await act(async () => {
      fireEvent.submit(box.closest('form')!);
    });
    expect(onEdit).toHaveBeenLastCalledWith(['best'], ['keep']);
    await waitFor(() => expect(box).toHaveValue(''));
  });

  it('shows the server’s reason and keeps what was typed', async () => {
    const onEdit = jest
      .fn()
      .mockRejectedValue(refusal("tag 'two words' is not a word"));
    render(<TagEditor tags={[]} label="Tag run #12" onEdit={onEdit} />);
    const box = screen.getByRole('textbox', { name: 'Tag run #12' });
    fireEvent.change(box, { target: { value: 'x#y' } });
    await act(async () => {
      fireEvent.submit(box.closest('form')!);
    });
    expect(await screen.findByRole('alert')).toHaveTextContent(
      "tag 'two words' is not a word"
    );
    expect(box).toHaveValue('x#y');
  });
});

describe('RunView: acting on a run', () => {
  it('deletes with a button, and edits tags in place', async () => {
    const onDelete = jest.fn().mockResolvedValue(undefined);
    const onEditTags = jest.fn().mockResolvedValue(undefined);
    runView({ tags: ['baseline'] }, { onDelete, onEditTags });
    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    expect(onDelete).toHaveBeenCalled();
    await act(async () => {
      fireEvent.click(
        screen.getByRole('button', { name: 'Remove tag baseline' })
      );
    });
    expect(onEditTags).toHaveBeenCalledWith([], ['baseline']);
  });

  it('cannot delete a running run', () => {
    runView({ status: 'running' }, { onDelete: jest.fn() });
    expect(screen.getByRole('button', { name: 'Delete' })).toBeDisabled();
  });

  it('says a run is in the trash, restores it, and that purge is the command line’s', () => {
    const onRestore = jest.fn().mockResolvedValue(undefined);
    runView({ deleted_at: 1_700_000_040 }, { onDelete: jest.fn(), onRestore });
    const banner = screen.getByRole('status');
    expect(banner).toHaveTextContent('In the trash (deleted 1m ago)');
    expect(banner).toHaveTextContent('nbjournal purge');
    expect(screen.queryByRole('button', { name: 'Delete' })).toBeNull();
    fireEvent.click(within(banner).getByRole('button', { name: 'Restore' }));
    expect(onRestore).toHaveBeenCalled();
  });
});

describe('ExperimentView: acting on the selection', () => {
  async function page(selected: number[]) {
    const server = new TableServer(sweepRows(30));
    const table = new ExperimentTableModel({
      name: 'sweep',
      client: new JournalClient(server.request)
    });
    await table.reload();
    const handlers = {
      onDelete: jest.fn().mockResolvedValue(undefined),
      onRestore: jest.fn().mockResolvedValue(undefined),
      onTag: jest.fn().mockResolvedValue(undefined),
      onReport: jest.fn().mockResolvedValue(undefined)
    };
    const element = () => (
      <ExperimentView
        table={table}
        selected={selected}
        onToggleSelected={jest.fn()}
        onCompare={jest.fn()}
        onOpenRun={jest.fn()}
        onExport={jest.fn()}
        colors={DEFAULT_VERDICT_COLORS}
        rendermime={rendermime}
        theme="JupyterLab Light"
        now={1_700_000_000}
        {...handlers}
      />
    );
    const view = render(element());
    table.changed.connect(() => view.rerender(element()));
    return { server, table, handlers };
  }

  it('deletes and tags the ticked runs', async () => {
    const { handlers } = await page([30, 29]);
    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    expect(handlers.onDelete).toHaveBeenCalledWith([30, 29]);
    const box = screen.getByRole('textbox', {
      name: 'Tag the 2 selected runs'
    });
    fireEvent.change(box, { target: { value: '+keep' } });
    await act(async () => {
      fireEvent.submit(box.closest('form')!);
    });
    expect(handlers.onTag).toHaveBeenCalledWith([30, 29], ['keep'], []);
  });

  it('shows the trash as a query, restores from it, and says purge is on the command line', async () => {
    const { server, table, handlers } = await page([7]);
    await act(async () => {
      fireEvent.click(screen.getByRole('checkbox', { name: 'trash' }));
    });
    await waitFor(() => expect(table.query).toBe('status:trashed'));
    expect(screen.getByRole('searchbox')).toHaveValue('status:trashed');
    expect(server.requests[server.requests.length - 1]).toContain(
      'q=status%3Atrashed'
    );
    expect(screen.getByRole('note')).toHaveTextContent(PURGE_HINT);
    expect(screen.getByText(/in the trash$/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Delete' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Restore' }));
    expect(handlers.onRestore).toHaveBeenCalledWith([7]);
    await act(async () => {
      fireEvent.click(screen.getByRole('checkbox', { name: 'trash' }));
    });
    await waitFor(() => expect(table.query).toBe(''));
    expect(screen.queryByRole('note')).toBeNull();
  });

  it('downloads the report as HTML or Markdown, and says why it could not', async () => {
    const { handlers } = await page([]);
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Report' }));
    });
    expect(handlers.onReport).toHaveBeenCalledWith('html');
    expect(screen.getByRole('button', { name: 'Markdown' })).toBeEnabled();
    handlers.onReport.mockRejectedValueOnce(refusal('sweep has 3,000 runs'));
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Markdown' }));
    });
    expect(handlers.onReport).toHaveBeenLastCalledWith('md');
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'sweep has 3,000 runs'
    );
  });
});

describe('ArtifactsTable: downloads', () => {
  const artifacts = [
    {
      name: 'model',
      role: 'name',
      type: 'keras.src.models.sequential.Sequential',
      kind: 'keras',
      size: 20480,
      hash: 'a',
      stored: true,
      reason: null
    },
    {
      name: 'np',
      role: 'name',
      type: 'module',
      kind: 'module',
      size: 5,
      hash: 'b',
      stored: true,
      reason: null
    },
    {
      name: 'big',
      role: 'name',
      type: 'numpy.ndarray',
      kind: 'none',
      size: 0,
      hash: null,
      stored: false,
      reason: 'too large'
    }
  ] as any[];

  it('offers a file for what was stored as one, and says why one could not be read', async () => {
    const onDownloadArtifact = jest
      .fn()
      .mockResolvedValueOnce(undefined)
      .mockRejectedValueOnce(refusal("model's stored bytes cannot be read"));
    runView({ artifacts }, { onDownloadArtifact });
    const table = screen.getByRole('table', { name: 'Artifacts' });
    expect(within(table).getAllByRole('button')).toHaveLength(1);
    const button = within(table).getByRole('button', {
      name: 'Download model'
    });
    await act(async () => {
      fireEvent.click(button);
    });
    expect(onDownloadArtifact).toHaveBeenCalledWith(artifacts[0]);
    await act(async () => {
      fireEvent.click(button);
    });
    expect(await screen.findByRole('alert')).toHaveTextContent(
      "model's stored bytes cannot be read"
    );
  });
});
