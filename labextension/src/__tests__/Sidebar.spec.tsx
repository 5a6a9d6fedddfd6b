import { act, fireEvent, render, screen, within } from '@testing-library/react';
import React from 'react';

import { JournalModel } from '../model';
import { Sidebar } from '../components/Sidebar';
import { FakeServer } from './fakeServer';
import { summary } from './fixtures';

function renderSidebar(
  model: JournalModel,
  onCompare = jest.fn(),
  onOpen = jest.fn()
) {
  const view = render(
    <Sidebar model={model} onOpen={onOpen} onCompare={onCompare} />
  );
  model.stateChanged.connect(() =>
    view.rerender(
      <Sidebar model={model} onOpen={onOpen} onCompare={onCompare} />
    )
  );
  return view;
}

describe('Sidebar', () => {
  let server: FakeServer;
  let model: JournalModel;

  beforeEach(() => {
    server = new FakeServer();
    model = new JournalModel({ request: server.request, autoStart: false });
  });

  afterEach(() => model.dispose());

  it('shows how to start when the journal is empty', async () => {
    renderSidebar(model);
    await act(() => model.refresh());
    expect(screen.getByText('No experiment yet.')).toBeInTheDocument();
    expect(screen.getByText('%load_ext nbjournal')).toBeInTheDocument();
    expect(screen.getByText(/%%experiment digits-mlp/)).toBeInTheDocument();
  });

  it('lists experiments and folds them', async () => {
    server.runs = [
      summary({ id: 1, experiment: 'digits' }),
      summary({ id: 2, experiment: 'digits' })
    ];
    renderSidebar(model);
    await act(() => model.refresh());
    const header = screen.getByRole('button', { name: /digits/ });
    expect(header).toHaveAttribute('aria-expanded', 'true');
    expect(
      within(screen.getByRole('listbox')).getAllByRole('option')
    ).toHaveLength(2);
    act(() => fireEvent.click(header));
    expect(header).toHaveAttribute('aria-expanded', 'false');
    expect(screen.queryByRole('listbox')).toBeNull();
  });

  it("opens an experiment's page from its name; the caret folds", async () => {
    server.runs = [summary({ id: 1, experiment: 'digits' })];
    const onOpenExperiment = jest.fn();
    const element = () => (
      <Sidebar
        model={model}
        onOpen={jest.fn()}
        onOpenExperiment={onOpenExperiment}
        onCompare={jest.fn()}
      />
    );
    const view = render(element());
    model.stateChanged.connect(() => view.rerender(element()));
    await act(() => model.refresh());
    fireEvent.click(screen.getByRole('button', { name: 'digits' }));
    expect(onOpenExperiment).toHaveBeenCalledWith('digits');
    fireEvent.click(screen.getByRole('button', { name: 'Runs of digits' }));
    expect(model.isCollapsed('digits')).toBe(true);
  });

  it('is one Tab stop; the arrows walk headers and runs, ← → fold', async () => {
    server.runs = [
      summary({ id: 1, experiment: 'a', updated: 1 }),
      summary({ id: 2, experiment: 'a', updated: 2 }),
      summary({ id: 3, experiment: 'b', updated: 3 })
    ];
    const element = () => (
      <Sidebar
        model={model}
        onOpen={jest.fn()}
        onOpenExperiment={jest.fn()}
        onCompare={jest.fn()}
      />
    );
    const view = render(element());
    model.stateChanged.connect(() => view.rerender(element()));
    await act(() => model.refresh());
    const runRows = () =>
      Array.from(
        view.container.querySelectorAll<HTMLElement>('.jp-nbjournal-RunItem')
      );
    const rows = runRows();
    expect(rows.map(r => r.tabIndex)).toEqual([0, -1, -1]);
    const b = screen.getByRole('button', { name: 'b' });
    const a = screen.getByRole('button', { name: 'a' });
    b.focus();
    fireEvent.keyDown(b, { key: 'ArrowDown' });
    expect(rows[0]).toHaveFocus(); // #3, the run of b
    fireEvent.keyDown(rows[0], { key: 'ArrowDown' });
    expect(a).toHaveFocus();
    fireEvent.keyDown(a, { key: 'ArrowDown' });
    expect(rows[1]).toHaveFocus();
    expect(runRows().map(r => r.tabIndex)).toEqual([-1, 0, -1]);
    fireEvent.keyDown(rows[1], { key: 'ArrowUp' });
    expect(a).toHaveFocus();
    act(() => {
      fireEvent.keyDown(a, { key: 'ArrowLeft' });
    });
    expect(model.isCollapsed('a')).toBe(true);
    act(() => {
      fireEvent.keyDown(a, { key: 'ArrowRight' });
    });
    expect(model.isCollapsed('a')).toBe(false);
  });

  it('offers a way back when the search hides everything', async () => {
    server.runs = [summary({ id: 1 })];
    renderSidebar(model);
    model.setStatus('crashed');
    await act(() => model.refresh());
    expect(screen.getByText('No run matches.')).toBeInTheDocument();
    act(() =>
      fireEvent.click(screen.getByRole('button', { name: 'Clear search' }))
    );
    expect(model.status).toBe('');
  });

  it('compares two or more selected runs', async () => {
    server.runs = [summary({ id: 1 }), summary({ id: 2 })];
    const onCompare = jest.fn();
    renderSidebar(model, onCompare);
    await act(() => model.refresh());
    act(() => model.toggleSelected(2));
    const compare = screen.getByRole('button', { name: 'Compare' });
    expect(compare).toBeDisabled();
    act(() => model.toggleSelected(1));
    expect(screen.getByText('2 selected')).toBeInTheDocument();
    fireEvent.click(compare);
    expect(onCompare).toHaveBeenCalledWith([2, 1]);
  });

  it('says when the server extension is missing', async () => {
    server.failWith = 404;
    renderSidebar(model);
    await act(() => model.refresh().catch(() => undefined));
    expect(screen.getByRole('alert')).toHaveTextContent('server extension');
  });

  it('says in the search box why a query is refused, and keeps the list', async () => {
    server.runs = [summary({ id: 1 })];
    renderSidebar(model);
    await act(() => model.refresh());
    model.setQuery('units>abc');
    await act(() => model.refresh());
    expect(screen.getByRole('alert')).toHaveTextContent(
      'units>abc: > compares numbers'
    );
    expect(screen.getByRole('searchbox')).toHaveAttribute(
      'aria-invalid',
      'true'
    );
    expect(screen.getAllByRole('option', { name: /Run #1/ })).toHaveLength(1);
    // asked first (a 200): the runs were never read with it, no failed request
    expect(server.requests.filter(r => r.includes('abc'))).toEqual([
      'GET query?q=units%3Eabc'
    ]);
    model.setQuery('');
    await act(() => model.refresh());
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('types into the search', async () => {
    renderSidebar(model);
    await act(() => model.refresh());
    const box = screen.getByRole('searchbox');
    act(() => fireEvent.change(box, { target: { value: 'dropout' } }));
    expect(model.query).toBe('dropout');
    act(() => fireEvent.keyDown(box, { key: 'Escape' }));
    expect(model.query).toBe('');
  });
});
