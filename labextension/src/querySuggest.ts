/**
 * What the query box offers as you type: parameter and metric names, the
 * filters (`status:`…), a parameter's commonest values, tags and the
 * filters' values, from the experiment's vocabulary (`GET
 * experiments/{name}/vocabulary`). The grammar itself is the server's
 * (nbjournal/store/query.py); this only completes words of it.
 */

import { JournalClient } from './api/client';
import { IVocabulary } from './api/experimentPayloads';

/** An experiment's vocabulary, read when the query box takes the focus. */
export class VocabularyReader {
  constructor(
    private readonly _client: JournalClient,
    private readonly _experiment: string,
    private readonly _changed: () => void
  ) {}

  /** The last one read, or null before. */
  get value(): IVocabulary | null {
    return this._value;
  }

  /** Read it anew (a failure leaves the box without completion; queries still work). */
  async load(): Promise<void> {
    try {
      this._value = await this._client.vocabulary(this._experiment);
      this._changed();
    } catch {
      // nothing to complete with
    }
  }

  private _value: IVocabulary | null = null;
}

/** One offer: what the list shows and what replaces the word being typed. */
export interface ISuggestion {
  label: string;
  insert: string;
  /** What it is: `parameter`, `metric`, `filter`, `value of lr`, `tag`… */
  detail: string;
}

/** The offers for the word at the caret, which spans `start`–`end` of the text. */
export interface ISuggestions {
  start: number;
  end: number;
  items: ISuggestion[];
}

/** How many offers the list shows at most. */
export const SUGGESTIONS_MAX = 8;

/** The `key:value` filters offered with the names (`tag:` completes tags). */
const FILTERS = ['status', 'verdict', 'tag', 'inference', 'experiment'];
const COMPARISON = /^(.+?)(>=|<=|!=|==|=|>|<)(.*)$/s;
const KEYWORD = /^([a-z]+):(.*)$/is;
const LISTED = /([^\s"'(]+)\s+(?:not\s+)?in\s*\(([^)]*)$/i;

/** A value as the grammar reads it back: quoted when it holds spaces or signs. */
export function valueText(value: number | string | boolean | null): string {
  const text = value === null ? 'null' : String(value);
  return /^[^\s"'(),]+$/.test(text) ? text : `'${text.replace(/'/g, '')}'`;
}

/** Names that start with `typed` first, then those that hold it, each in their order. */
function matching(names: ReadonlyArray<string>, typed: string): string[] {
  const lower = typed.toLowerCase();
  const starts = names.filter(n => n.toLowerCase().startsWith(lower));
  const holds = names.filter(
    n => !n.toLowerCase().startsWith(lower) && n.toLowerCase().includes(lower)
  );
  return [...starts, ...holds];
}

/** The offers of values: those whose text starts with (or holds) what is typed. */
function values(
  prefix: string,
  typed: string,
  candidates: ReadonlyArray<number | string | boolean | null>,
  detail: string
): ISuggestion[] {
  const texts = candidates.map(valueText);
  return matching(texts, typed)
    .filter(text => text !== typed)
    .map(text => ({ label: text, insert: `${prefix}${text} `, detail }));
}

/** The offers for a whole word (`lr=0.0`, `status:fa`, `#base`, `val_`). */
function forWord(word: string, vocabulary: IVocabulary): ISuggestion[] {
  if (word.startsWith('#')) {
    return values('#', word.slice(1), vocabulary.tags, 'tag');
  }
  const keyword = KEYWORD.exec(word);
  if (keyword && FILTERS.includes(keyword[1].toLowerCase())) {
    const key = keyword[1].toLowerCase();
    const known =
      key === 'tag' ? vocabulary.tags : (vocabulary.keywords[key] ?? []);
    return values(`${key}:`, keyword[2], known, key);
  }
  const comparison = COMPARISON.exec(word);
  if (comparison) {
    const [, name, op, typed] = comparison;
    const param = vocabulary.params.find(p => p.name === name);
    return param ? values(`${name}${op}`, typed, param.values, name) : [];
  }
  if (!word) {
    return [];
  }
  const params = new Set(vocabulary.params.map(p => p.name));
  const names = [
    ...vocabulary.params.map(p => p.name),
    ...vocabulary.metrics.filter(m => !params.has(m))
  ];
  const offers: ISuggestion[] = matching(names, word)
    .filter(name => name !== word)
    .map(name =>
      params.has(name)
        ? { label: name, insert: `${name}=`, detail: 'parameter' }
        : { label: name, insert: `${name}>`, detail: 'metric' }
    );
  const filters = matching(FILTERS, word).map(key => ({
    label: `${key}:`,
    insert: `${key}:`,
    detail: 'filter'
  }));
  return [...offers, ...filters];
}

/**
 * The offers for the word at `caret` in `text` (null: none). Inside
 * `name in (a, b` the values of `name` are offered for the value typed last.
 */
export function suggest(
  text: string,
  caret: number,
  vocabulary: IVocabulary | null
): ISuggestions | null {
  if (!vocabulary) {
    return null;
  }
  const before = text.slice(0, caret);
  let end = caret;
  while (end < text.length && !/[\s,)]/.test(text[end])) {
    end++;
  }
  const listed = LISTED.exec(before);
  let start: number;
  let items: ISuggestion[];
  if (listed) {
    const typed = listed[2].split(',').pop()!.trimStart();
    start = caret - typed.length;
    const param = vocabulary.params.find(p => p.name === listed[1]);
    items = param
      ? values('', typed, param.values, listed[1]).map(item => ({
          ...item,
          insert: item.insert.trimEnd()
        }))
      : [];
  } else {
    start = before.search(/\S*$/);
    items = forWord(text.slice(start, end), vocabulary);
  }
  items = items.slice(0, SUGGESTIONS_MAX);
  return items.length ? { start, end, items } : null;
}

/** The text with an offer taken, and where the caret goes (after it). */
export function accept(
  text: string,
  offers: ISuggestions,
  item: ISuggestion
): { text: string; caret: number } {
  const rest = text.slice(offers.end);
  const insert =
    item.insert.endsWith(' ') && /^\s/.test(rest)
      ? item.insert.trimEnd()
      : item.insert;
  return {
    text: text.slice(0, offers.start) + insert + rest,
    caret: offers.start + insert.length + (insert === item.insert ? 0 : 1)
  };
}
