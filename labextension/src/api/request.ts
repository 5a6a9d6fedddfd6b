import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

/** Where the server extension answers, below the server's base URL. */
export const API_BASE = 'nbjournal/api';

/** How to read an answer: parsed JSON (the default), the text itself, or its bytes. */
export type ResponseKind = 'json' | 'text' | 'blob';

/** A function with the signature of {@link requestAPI}; tests pass their own. */
export type Requester = <T>(
  endPoint: string,
  init?: RequestInit,
  kind?: ResponseKind
) => Promise<T>;

/**
 * Call the nbjournal REST API and return its answer: JSON parsed, or with
 * `kind` `'text'` the text itself (the CSV export).
 *
 * `ServerConnection` adds the server's token and, on POST, the XSRF header,
 * so every request goes through Jupyter Server's own authentication.
 *
 * @param endPoint - the path below `nbjournal/api/`, with its query string
 * @param init - the fetch options (method, body)
 * @param kind - how to read a successful answer
 * @param settings - the server settings; the page's by default
 * @throws {ServerConnection.ResponseError} with the server's `message` when the
 *   answer is not 2xx
 * @throws {ServerConnection.NetworkError} when the server cannot be reached
 */
export async function requestAPI<T>(
  endPoint = '',
  init: RequestInit = {},
  kind: ResponseKind = 'json',
  settings: ServerConnection.ISettings = ServerConnection.makeSettings()
): Promise<T> {
  const url = URLExt.join(settings.baseUrl, API_BASE, endPoint);
  if (
    init.body &&
    !(init.headers as Record<string, string>)?.['Content-Type']
  ) {
    init = {
      ...init,
      headers: { ...(init.headers ?? {}), 'Content-Type': 'application/json' }
    };
  }
  let response: Response;
  try {
    response = await ServerConnection.makeRequest(url, init, settings);
  } catch (error) {
    throw new ServerConnection.NetworkError(error as TypeError);
  }
  if (response.ok && kind === 'blob') {
    // a File named as the server names it (Content-Disposition)
    const blob = await response.blob();
    const named = /filename="([^"]+)"/.exec(
      response.headers.get('Content-Disposition') ?? ''
    );
    return new File([blob], named?.[1] ?? 'download', {
      type: blob.type
    }) as unknown as T;
  }
  const text = await response.text();
  if (response.ok && kind === 'text') {
    return text as unknown as T;
  }
  let data: any = null;
  if (text.length > 0) {
    try {
      data = JSON.parse(text);
    } catch {
      data = text;
    }
  }
  if (!response.ok) {
    const message =
      data && typeof data === 'object' && data.message
        ? String(data.message)
        : `${response.status} ${response.statusText}`.trim();
    throw new ServerConnection.ResponseError(response, message);
  }
  return data as T;
}

/** A query string from the defined, non-empty values of `params`. */
export function queryString(params: {
  [key: string]: string | number | null | undefined;
}): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    if (value === null || value === undefined || value === '') {
      continue;
    }
    parts.push(
      `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`
    );
  }
  return parts.length ? `?${parts.join('&')}` : '';
}
