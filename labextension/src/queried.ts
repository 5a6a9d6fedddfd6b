/**
 * What every state read from the server shares: the query, and what went
 * wrong with the last read, said apart; an error as one sentence.
 */

import { ServerConnection } from '@jupyterlab/services';

import { JournalClient } from './api/client';

/**
 * A state read from the server through a query it may refuse: the query,
 * and what went wrong with the last read, said apart (a refused query is
 * said by the search box; anything else by the view).
 */
export abstract class QueriedState {
  /** The query (search text) shown. */
  get query(): string {
    return this._query;
  }

  /** Why the server refused the query (a 400's message), or null. */
  get queryError(): string | null {
    return this._queryError;
  }

  /** What went wrong the last time the server was asked, or null. */
  get error(): string | null {
    return this._error;
  }

  /** A read succeeded: nothing is wrong any more. */
  protected readSucceeded(): void {
    this._queryError = null;
    this._error = null;
  }

  /**
   * A read failed: a query the server refused (a 400) sets
   * {@link queryError}, anything else {@link error}. Returns whether the
   * query was refused.
   */
  protected readFailed(error: unknown): boolean {
    if (
      error instanceof ServerConnection.ResponseError &&
      error.response.status === 400
    ) {
      this._queryError = error.message;
      return true;
    }
    this._error = describe(error);
    return false;
  }

  protected _query = '';
  protected _queryError: string | null = null;
  protected _error: string | null = null;
}

/** A sentence for an error, to show in the sidebar. */
export function describe(error: unknown): string {
  if (error instanceof ServerConnection.ResponseError) {
    if (error.response.status === 404) {
      return (
        'The journal server extension does not answer (404). ' +
        'Is nbjournal installed in the environment of this Jupyter server?'
      );
    }
    return error.message;
  }
  if (error instanceof ServerConnection.NetworkError) {
    return 'The Jupyter server cannot be reached.';
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * Ask the server whether it reads `query` (`GET query`, a 200 either way)
 * before a listing is read with it: a refused query then throws the 400
 * the listing would have answered, without a failed request in the
 * console. A check that cannot be made is left to the listing.
 */
export async function checked(
  client: JournalClient,
  query: string,
  experiment?: string
): Promise<void> {
  if (!query.trim()) {
    return;
  }
  const answer = await client.checkQuery(query, experiment).catch(() => null);
  if (typeof answer?.error === 'string') {
    const response = new Response(JSON.stringify({ message: answer.error }), {
      status: 400
    });
    throw new ServerConnection.ResponseError(response, answer.error);
  }
}
