// Which rows of a long list of fixed-height rows are drawn: those in view and a few around them.

export interface ListWindow {
  /** Index of the first row drawn. */
  first: number;
  /** Index after the last row drawn. */
  end: number;
  /** Pixels kept above the first row drawn (the rows not drawn). */
  before: number;
  /** Pixels kept below the last row drawn. */
  after: number;
}

export function visibleWindow(
  count: number,
  rowHeight: number,
  scrollTop: number,
  viewHeight: number,
  overscan: number,
): ListWindow {
  if (count === 0) return { first: 0, end: 0, before: 0, after: 0 };
  const top = Math.max(0, scrollTop);
  const first = Math.min(count - 1, Math.max(0, Math.floor(top / rowHeight) - overscan));
  const end = Math.min(count, Math.ceil((top + viewHeight) / rowHeight) + overscan);
  return { first, end, before: first * rowHeight, after: (count - end) * rowHeight };
}

/**
 * The part of `window` whose rows are loaded, when only the first `loaded` rows of the list are
 * (the others arrive later): the rows beyond become space like the rows out of view.
 */
export function loadedPart(window: ListWindow, loaded: number, rowHeight: number): ListWindow {
  if (window.end <= loaded) return window;
  const end = Math.max(window.first, Math.min(window.end, loaded));
  const missing = window.end - end;
  return { first: window.first, end, before: window.before, after: window.after + missing * rowHeight };
}
