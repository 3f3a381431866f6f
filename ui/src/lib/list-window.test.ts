import { expect, test } from 'vitest';
import { loadedPart, visibleWindow } from './list-window';

test('at the top: the rows in view and the overscan below', () => {
  expect(visibleWindow(1000, 64, 0, 640, 8)).toEqual({ first: 0, end: 18, before: 0, after: 982 * 64 });
});

test('scrolled: the space of the rows not drawn is kept on both sides', () => {
  const window = visibleWindow(1000, 64, 6400, 640, 8);
  expect(window).toEqual({ first: 92, end: 118, before: 92 * 64, after: (1000 - 118) * 64 });
  // The whole list's height is kept.
  expect(window.before + (window.end - window.first) * 64 + window.after).toBe(1000 * 64);
});

test('at the end and past it: never beyond the list', () => {
  expect(visibleWindow(1000, 64, 64 * 1000, 640, 8)).toMatchObject({ end: 1000, after: 0 });
  expect(visibleWindow(5, 64, 0, 640, 8)).toEqual({ first: 0, end: 5, before: 0, after: 0 });
  expect(visibleWindow(0, 64, 0, 640, 8)).toEqual({ first: 0, end: 0, before: 0, after: 0 });
});

test('rows not loaded yet are space below the loaded ones, and the height stays the whole list\'s', () => {
  const window = visibleWindow(1000, 64, 0, 640, 8);
  // The first 10 rows are loaded: the other 8 rows of the window become space.
  const part = loadedPart(window, 10, 64);
  expect(part).toEqual({ first: 0, end: 10, before: 0, after: 990 * 64 });
  // All the window's rows loaded: nothing changes.
  expect(loadedPart(window, 60, 64)).toEqual(window);
  // Scrolled past the loaded rows: nothing drawn, the space kept.
  const below = loadedPart(visibleWindow(1000, 64, 6400, 640, 8), 60, 64);
  expect(below).toEqual({ first: 92, end: 92, before: 92 * 64, after: (1000 - 92) * 64 });
});
