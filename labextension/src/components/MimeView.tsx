import { IRenderMimeRegistry, MimeModel } from '@jupyterlab/rendermime';
import { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import React, { useEffect, useRef } from 'react';

/** Props of {@link MimeView}. */
export interface IMimeViewProps {
  /** JupyterLab's renderers (the application's rendermime registry). */
  rendermime: IRenderMimeRegistry;
  /** The MIME type to render, e.g. `text/markdown`. */
  mimeType: string;
  /** The data of that MIME type. */
  data: ReadonlyPartialJSONObject | string;
  /** Metadata of that MIME type (e.g. Vega's `embed_options`). */
  metadata?: ReadonlyPartialJSONObject;
  /** Changes of this value render again (e.g. the theme's name). */
  renderKey?: string;
  /** The CSS class of the host element. */
  className?: string;
  /** What to show when no renderer of the MIME type is installed. */
  fallback: string;
}

/**
 * Output rendered by JupyterLab's own renderer of a MIME type, as an
 * untrusted output: markdown goes through JupyterLab's sanitizer, Vega-Lite
 * through the bundled Vega (no network). The renderer is kept across updates
 * and the host keeps its height meanwhile, so live charts do not jump.
 */
export function MimeView(props: IMimeViewProps): JSX.Element {
  const { rendermime, mimeType, data, metadata, renderKey, fallback } = props;
  const host = useRef<HTMLDivElement>(null);
  const renderer = useRef<IRenderMime.IRenderer | null>(null);
  const serialized = JSON.stringify([data, metadata ?? null]);

  useEffect(() => {
    return () => {
      const current = renderer.current;
      renderer.current = null;
      if (current) {
        current.dispose();
        current.node.remove();
      }
    };
  }, [rendermime, mimeType]);

  useEffect(() => {
    const node = host.current;
    if (!node) {
      return;
    }
    if (!rendermime.mimeTypes.includes(mimeType)) {
      node.textContent = fallback;
      return;
    }
    if (!renderer.current) {
      renderer.current = rendermime.createRenderer(mimeType);
      node.appendChild(renderer.current.node);
    }
    const current = renderer.current;
    // fresh copies: a renderer may write into what it is given (the Vega one
    // sets `embed_options.theme` in a dark theme, and would keep it)
    const [dataCopy, metadataCopy] = JSON.parse(serialized);
    const model = new MimeModel({
      data: { [mimeType]: dataCopy },
      metadata: metadataCopy ? { [mimeType]: metadataCopy } : {},
      trusted: false
    });
    node.style.minHeight = `${node.offsetHeight}px`;
    let cancelled = false;
    current
      .renderModel(model)
      .catch((error: unknown) => {
        if (!cancelled) {
          current.node.textContent = `${fallback} (${String(error)})`;
        }
      })
      .finally(() => {
        if (!cancelled) {
          node.style.minHeight = '';
        }
      });
    return () => {
      cancelled = true;
    };
  }, [rendermime, mimeType, serialized, renderKey]);

  return <div ref={host} className={props.className} />;
}
