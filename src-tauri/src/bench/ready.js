// The desktop benchmark's ready lines (scripts/bench-desktop.sh), in a build with the `bench`
// feature only: this script is put into the page before the app's own, sees the app's first
// coupon list come in and reach the screen, and reports it through the `bench` plugin's commands,
// which print one line each. The app's own code knows nothing of it.
//
// - `report_ready`: the first answer holding coupons (a `CouponListView`), from its arrival to its
//   rows painted (a row in the page, then two animation frames: the minimal window of the
//   benchmark waits two frames as well).
// - `report_loaded`: from that same arrival until the answer with the whole list (the screen asks
//   for the first coupons, then for all of them) is in the page and painted (two animation
//   frames; the table draws only the rows in view, so rows are not counted here).
//
// Tauri's `invoke` cannot be wrapped (it is a read-only property), but every answer reaches the
// page through a callback kept in `__TAURI_INTERNALS__.callbacks` (a Map Tauri exposes): each
// callback registered from now on is wrapped so that the answer is seen first, then handed on
// unchanged.
(function () {
  'use strict';
  const internals = window.__TAURI_INTERNALS__;
  if (!internals || !(internals.callbacks instanceof Map)) return;
  const report = (command, args) =>
    internals.invoke(`plugin:bench|${command}`, args).catch(() => undefined);
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
  const rows = () => document.querySelectorAll('[data-testid="coupon-row"]').length;
  const isCouponList = (data) =>
    data !== null &&
    typeof data === 'object' &&
    Array.isArray(data.coupons) &&
    typeof data.total === 'number' &&
    typeof data.state_counts === 'object';

  async function painted() {
    // The page draws an answer in the tasks that follow it: a row is there after them, or after
    // the next frame at the latest.
    await new Promise((resolve) => setTimeout(resolve, 0));
    while (rows() === 0) await frame();
    await frame();
    await frame();
  }

  let arrived = null;
  let loadedReported = false;

  async function firstList(list) {
    arrived = performance.now();
    await painted();
    report('report_ready', { couponsRenderMs: performance.now() - arrived });
    if (list.coupons.length >= list.total) await wholeList();
  }

  async function wholeList() {
    if (loadedReported) return;
    loadedReported = true;
    await painted();
    report('report_loaded', { couponsLoadedMs: performance.now() - arrived });
  }

  function seen(data) {
    if (!isCouponList(data)) return;
    if (arrived === null && data.coupons.length > 0) void firstList(data);
    else if (arrived !== null && data.coupons.length >= data.total) void wholeList();
  }

  const callbacks = internals.callbacks;
  const set = callbacks.set.bind(callbacks);
  callbacks.set = (id, callback) =>
    set(id, (data) => {
      seen(data);
      return callback(data);
    });
})();
