import { useEffect, useState } from 'react';

/** Seconds since the epoch, now. */
export function nowSeconds(): number {
  return Date.now() / 1000;
}

/**
 * The current time in seconds, renewed every `ms` milliseconds, so that
 * relative times ("3 min ago") stay true while a view is open.
 */
export function useNow(ms = 20000): number {
  const [now, setNow] = useState(nowSeconds);
  useEffect(() => {
    const timer = window.setInterval(() => setNow(nowSeconds()), ms);
    return () => window.clearInterval(timer);
  }, [ms]);
  return Math.max(now, nowSeconds());
}
