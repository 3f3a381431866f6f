import { expect, test } from 'vitest';
import { visibleWindow } from './list-window';

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
