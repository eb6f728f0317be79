/**
 * Whether the page is being printed. Browsers announce printing with `beforeprint` (and the `print`
 * media query); the printed copies of charts and their tables are rendered synchronously in that
 * handler (flushSync), before the browser lays the page out for paper, and removed on `afterprint`.
 */
import { useSyncExternalStore } from 'react';
import { flushSync } from 'react-dom';

let printing = false;
const listeners = new Set<() => void>();

function setPrinting(value: boolean) {
  if (printing === value) return;
  printing = value;
  flushSync(() => {
    for (const l of listeners) l();
  });
}

/** "How is this computed" folds opened for paper (a council report quotes the test), closed again after. */
let opened: HTMLDetailsElement[] = [];
function openFolds(open: boolean) {
  if (open) {
    opened = [...document.querySelectorAll<HTMLDetailsElement>('details.how:not([open])')];
    for (const d of opened) d.open = true;
  } else {
    for (const d of opened) d.open = false;
    opened = [];
  }
}

if (typeof window !== 'undefined') {
  window.addEventListener('beforeprint', () => {
    setPrinting(true);
    openFolds(true);
  });
  window.addEventListener('afterprint', () => {
    setPrinting(false);
    openFolds(false);
  });
  window.matchMedia?.('print').addEventListener?.('change', (e) => setPrinting(e.matches));
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function usePrinting(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => printing,
    () => false,
  );
}
