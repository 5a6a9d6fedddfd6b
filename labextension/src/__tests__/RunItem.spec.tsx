import { fireEvent, render, screen } from '@testing-library/react';
import React from 'react';

import { RunItem } from '../components/RunItem';
import { firstLine } from '../formatters';
import { comparedNames, matchedValues } from '../matched';
import { summary } from './fixtures';
import { payloads } from './payloads';

const NOW = 1_700_000_000 + 180;

function setup(overrides = {}, selected = false) {
  const onOpen = jest.fn();
  const onToggleSelected = jest.fn();
  const view = render(
    <RunItem
      run={summary(overrides)}
      selected={selected}
      now={NOW}
      onOpen={onOpen}
      onToggleSelected={onToggleSelected}
    />
  );
  const row = screen.getByRole('option');
  return { ...view, row, onOpen, onToggleSelected };
}

describe('RunItem', () => {
  it('says what a query matched instead of the hypothesis, and the inference under it', () => {
    const run = summary({
      params: { lr: 0.01, units: 128, act: 'relu' },
      hypothesis: 'Wider layers at a moderate learning rate generalise best.'
    });
    const query = 'lr=0.01 units>=128 val_accuracy>0.5 status:finished';
    expect(comparedNames(query)).toEqual(['lr', 'units', 'val_accuracy']);
    const matched = matchedValues(run, query);
    expect(matched).toBe('lr=0.01 units=128 val_accuracy=0.8864');
    expect(matchedValues(run, 'wider status:failed')).toBeUndefined();
    render(
      <RunItem
        run={run}
        selected={false}
        now={NOW}
        onOpen={jest.fn()}
        onToggleSelected={jest.fn()}
        matched={matched}
      />
    );
    const row = screen.getByRole('option');
    expect(row).toHaveTextContent('lr=0.01 units=128 val_accuracy=0.8864');
    expect(row).not.toHaveTextContent('Wider layers');
    // the hypothesis is one hover away
    expect(
      row.querySelector('.jp-nbjournal-RunItem-point')?.getAttribute('title')
    ).toBe('Wider layers at a moderate learning rate generalise best.');
    // the verdict's line holds the inference's first line
    expect(
      row.querySelector('.jp-nbjournal-RunItem-inference')
    ).toHaveTextContent(firstLine(run.inference?.text));
  });

  it('shows id, time, key metric, first line of the hypothesis and the prompt', () => {
    const { row } = setup({
      hypothesis:
        'One hidden layer beats logistic regression.\nBecause digits are easy.',
      inference: null,
      inference_count: 0,
      verdict: null
    });
    expect(row).toHaveTextContent('#1');
    expect(row).toHaveTextContent('3m ago');
    expect(row).toHaveTextContent('val_accuracy 0.8864');
    expect(row).toHaveTextContent(
      'One hidden layer beats logistic regression.'
    );
    expect(row).not.toHaveTextContent('Because digits are easy.');
    expect(row).toHaveTextContent('needs inference');
    expect(screen.getByRole('img', { name: 'finished' })).toBeInTheDocument();
  });

  it('marks a running run live and asks no inference yet', () => {
    const { row, container } = setup({ status: 'running' });
    expect(screen.getByRole('img', { name: 'running' })).toBeInTheDocument();
    expect(container.querySelector('.jp-nbjournal-LiveDot')).not.toBeNull();
    expect(row).not.toHaveTextContent('needs inference');
  });

  it('shows the verdict of the latest inference', () => {
    const { row } = setup({
      inference: { ...payloads.inference, text: 'yes', verdict: 'refuted' },
      verdict: 'refuted'
    });
    expect(row).toHaveTextContent('refuted');
    expect(row).not.toHaveTextContent('needs inference');
  });

  it("shows a grid point's verdict as its grid's, not the prompt, when the grid was concluded about", () => {
    // a grid point as the server sent it once the grid had an inference (the change feed)
    const point = payloads.changesSince.runs.find(r => r.grid_inference)!;
    const { row } = setup({ ...point, inference: null, verdict: null });
    expect(row).toHaveTextContent('inconclusive (grid #1)');
    expect(row).toHaveTextContent('seed noise is **small**');
    expect(row).not.toHaveTextContent('needs inference');
    expect(
      row.querySelector('.jp-nbjournal-verdict-inconclusive')
    ).toHaveAttribute('title', 'verdict on grid #1 as a whole: inconclusive');
  });

  it('shows markup in a hypothesis as text', () => {
    const { container, row } = setup({
      hypothesis: '<img src=x onerror=alert(1)>'
    });
    expect(container.querySelector('img')).toBeNull();
    expect(row).toHaveTextContent('<img src=x onerror=alert(1)>');
  });

  it('opens on click and Enter, selects on Space and modified click', () => {
    const { row, onOpen, onToggleSelected } = setup();
    fireEvent.click(row);
    fireEvent.keyDown(row, { key: 'Enter' });
    expect(onOpen).toHaveBeenCalledTimes(2);
    expect(onOpen).toHaveBeenCalledWith(1);
    fireEvent.keyDown(row, { key: ' ' });
    fireEvent.click(row, { ctrlKey: true });
    fireEvent.click(screen.getByRole('checkbox'));
    expect(onToggleSelected).toHaveBeenCalledTimes(3);
    expect(onOpen).toHaveBeenCalledTimes(2);
  });

  it('says it is selected', () => {
    const { row } = setup({}, true);
    expect(row).toHaveAttribute('aria-selected', 'true');
    expect(screen.getByRole('checkbox')).toBeChecked();
  });
});
