import {
  fireEvent,
  render,
  screen,
  waitFor,
  within
} from '@testing-library/react';
import React from 'react';

import { InferenceList } from '../components/InferenceList';
import { IInference } from '../api/runPayloads';
import { payloads } from './payloads';

const rendermime = null;

function inference(overrides: Partial<IInference>): IInference {
  return { ...payloads.inference, ...overrides };
}

describe('InferenceList: edit and delete, the history kept (22.8)', () => {
  it('edits in place, starting from the recorded text and verdict', async () => {
    const onEdit = jest.fn().mockResolvedValue(undefined);
    render(
      <InferenceList
        inferences={[
          inference({ id: 4, text: 'depth helps', verdict: 'supported' })
        ]}
        rendermime={rendermime}
        now={1_700_000_100}
        onEdit={onEdit}
        onDelete={jest.fn()}
      />
    );
    fireEvent.click(
      screen.getByRole('button', { name: 'Edit this inference' })
    );
    const form = screen.getByRole('form', { name: 'Edit the inference' });
    const text = within(form).getByRole('textbox');
    expect(text).toHaveValue('depth helps');
    expect(within(form).getByLabelText('Verdict')).toHaveValue('supported');
    fireEvent.change(text, { target: { value: 'depth does not help' } });
    fireEvent.change(within(form).getByLabelText('Verdict'), {
      target: { value: 'refuted' }
    });
    fireEvent.click(within(form).getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(onEdit).toHaveBeenCalledWith(4, 'depth does not help', 'refuted')
    );
    await waitFor(() =>
      expect(
        screen.queryByRole('form', { name: 'Edit the inference' })
      ).toBeNull()
    );
  });

  it('says the server’s reason and keeps the form when an edit is refused', async () => {
    const onEdit = jest.fn().mockRejectedValue(new Error('unknown verdict'));
    render(
      <InferenceList
        inferences={[inference({ id: 4 })]}
        rendermime={rendermime}
        now={1_700_000_100}
        onEdit={onEdit}
      />
    );
    fireEvent.click(
      screen.getByRole('button', { name: 'Edit this inference' })
    );
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'unknown verdict'
    );
    expect(
      screen.getByRole('form', { name: 'Edit the inference' })
    ).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('form')).toBeNull();
  });

  it('deletes, and a refusal is one line', async () => {
    const onDelete = jest
      .fn()
      .mockResolvedValueOnce(undefined)
      .mockRejectedValueOnce(new Error('no inference 4 on run #3'));
    render(
      <InferenceList
        inferences={[inference({ id: 4 })]}
        rendermime={rendermime}
        now={1_700_000_100}
        onDelete={onDelete}
      />
    );
    expect(
      screen.queryByRole('button', { name: 'Edit this inference' })
    ).toBeNull();
    fireEvent.click(
      screen.getByRole('button', { name: 'Delete this inference' })
    );
    await waitFor(() => expect(onDelete).toHaveBeenCalledWith(4));
    fireEvent.click(
      screen.getByRole('button', { name: 'Delete this inference' })
    );
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'no inference 4 on run #3'
    );
  });

  it('marks an edited inference and folds the earlier versions, newest first', () => {
    const run = payloads.runWithHistory;
    const { container } = render(
      <InferenceList
        inferences={[inference({ id: 9, edited: 1_700_000_000 })]}
        history={run.inference_history}
        rendermime={rendermime}
        now={1_700_000_100}
      />
    );
    expect(
      container.querySelector('.jp-nbjournal-Inference-edited')
    ).toHaveTextContent('edited');
    const versions = screen.getByRole('list', {
      name: 'Earlier versions of the inferences'
    });
    const items = within(versions).getAllByRole('listitem');
    expect(items.map(item => item.dataset.action)).toEqual([
      'deleted',
      'edited'
    ]);
    expect(items[1]).toHaveTextContent('seed noise is **small**');
    expect(items[1]).toHaveTextContent('inconclusive');
    expect(screen.getByText(/Earlier versions \(2\)/)).toBeTruthy();
  });
});
