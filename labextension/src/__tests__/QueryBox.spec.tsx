import { act, fireEvent, render, screen } from '@testing-library/react';
import React from 'react';

import { QueryBox } from '../components/QueryBox';
import { TableServer } from './tableServer';

function setup() {
  const onQuery = jest.fn();
  const onFocus = jest.fn();
  render(
    <QueryBox
      query=""
      error={null}
      helpId="help"
      delay={0}
      vocabulary={new TableServer().vocabulary}
      onQuery={onQuery}
      onFocus={onFocus}
    />
  );
  const box = screen.getByRole('searchbox', { name: 'Query the runs' });
  const type = (text: string) =>
    act(() => {
      fireEvent.change(box, {
        target: { value: text, selectionStart: text.length }
      });
    });
  return { box: box as HTMLInputElement, type, onQuery, onFocus };
}

describe('QueryBox', () => {
  it('offers names as you type, and Tab takes the first', () => {
    const { box, type, onFocus } = setup();
    fireEvent.focus(box);
    expect(onFocus).toHaveBeenCalled();
    type('val');
    const list = screen.getByRole('listbox', { name: 'Completions' });
    expect(box).toHaveAttribute('aria-controls', list.id);
    expect(screen.getAllByRole('option').map(o => o.textContent)).toEqual([
      'val_accuracymetric'
    ]);
    fireEvent.keyDown(box, { key: 'Tab' });
    expect(box.value).toBe('val_accuracy>');
  });

  it('picks with the arrows and Enter; Enter alone runs the query', () => {
    const { box, type, onQuery } = setup();
    type('lr=');
    fireEvent.keyDown(box, { key: 'ArrowDown' });
    fireEvent.keyDown(box, { key: 'ArrowDown' });
    const options = screen.getAllByRole('option');
    expect(options[1]).toHaveAttribute('aria-selected', 'true');
    expect(box).toHaveAttribute('aria-activedescendant', options[1].id);
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(box.value).toBe('lr=0.0001 ');
    onQuery.mockClear();
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(onQuery).toHaveBeenCalledWith('lr=0.0001 ');
  });

  it('takes an offer on a click, and Escape closes the list before it clears', () => {
    const { box, type } = setup();
    type('status:f');
    fireEvent.mouseDown(screen.getByRole('option', { name: /failed/ }));
    expect(box.value).toBe('status:failed ');
    type('#b');
    expect(screen.getByRole('listbox')).toBeInTheDocument();
    fireEvent.keyDown(box, { key: 'Escape' });
    expect(screen.queryByRole('listbox')).toBeNull();
    expect(box.value).toBe('#b');
    fireEvent.keyDown(box, { key: 'Escape' });
    expect(box.value).toBe('');
  });
});
