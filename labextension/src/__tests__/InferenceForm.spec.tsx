import {
  act,
  fireEvent,
  render,
  screen,
  waitFor
} from '@testing-library/react';
import React from 'react';

import { InferenceForm } from '../components/InferenceForm';

describe('InferenceForm', () => {
  it('records text and verdict with Ctrl+Enter, then empties', async () => {
    const onSubmit = jest.fn().mockResolvedValue(undefined);
    render(<InferenceForm runId={3} onSubmit={onSubmit} />);
    const text = screen.getByRole('textbox');
    const button = screen.getByRole('button', { name: 'Add inference' });
    expect(button).toBeDisabled();
    fireEvent.change(text, { target: { value: '  Depth **helps**.  ' } });
    fireEvent.change(screen.getByRole('combobox'), {
      target: { value: 'supported' }
    });
    await act(async () => {
      fireEvent.keyDown(text, { key: 'Enter', ctrlKey: true });
    });
    expect(onSubmit).toHaveBeenCalledWith('Depth **helps**.', 'supported');
    await waitFor(() => expect(text).toHaveValue(''));
    expect(screen.getByRole('combobox')).toHaveValue('');
  });

  it('sends no verdict when none is chosen', async () => {
    const onSubmit = jest.fn().mockResolvedValue(undefined);
    render(<InferenceForm runId={3} onSubmit={onSubmit} />);
    fireEvent.change(screen.getByRole('textbox'), { target: { value: 'hm' } });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Add inference' }));
    });
    expect(onSubmit).toHaveBeenCalledWith('hm', null);
  });

  it('keeps the text and says why when the journal refuses', async () => {
    const onSubmit = jest
      .fn()
      .mockRejectedValue(new Error('no run #3 in this journal'));
    render(<InferenceForm runId={3} onSubmit={onSubmit} />);
    fireEvent.change(screen.getByRole('textbox'), { target: { value: 'hm' } });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Add inference' }));
    });
    expect(screen.getByRole('alert')).toHaveTextContent(
      'no run #3 in this journal'
    );
    expect(screen.getByRole('textbox')).toHaveValue('hm');
  });
});
