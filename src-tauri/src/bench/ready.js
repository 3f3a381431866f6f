// The desktop benchmark's ready lines (scripts/bench-desktop.sh), in a build with the `bench`
// feature only: this script is put into the page before the app's own, watches the app's first
// coupon list come in and reach the screen, and reports it through the `bench` plugin's commands,
// which print one line each. The app's own code knows nothing of it.
//
// - `report_ready`: the first answer of `list_coupons` that holds coupons, from its arrival to its
//   rows painted (a row in the page, then two animation frames: the minimal window of the
//   benchmark waits two frames as well).
// - `report_loaded`: from that same arrival until the answer with the whole list (the screen asks
//   for the first coupons, then for all of them) is in the page and painted (two animation
//   frames; the table draws only the rows in view, so rows are not counted here).
(function () {
  'use strict';
  const internals = window.__TAURI_INTERNALS__;
  if (!internals || typeof internals.invoke !== 'function') return;
  const invoke = internals.invoke.bind(internals);
  const report = (command, args) => invoke(`plugin:bench|${command}`, args).catch(() => undefined);
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
  const rows = () => document.querySelectorAll('[data-testid="coupon-row"]').length;

  async function painted() {
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
    if (list.coupons.length >= list.total) await wholeList(list);
  }

  async function wholeList(list) {
    if (loadedReported) return;
    loadedReported = true;
    await painted();
    report('report_loaded', { couponsLoadedMs: performance.now() - arrived });
  }

  internals.invoke = function (command, args, options) {
    const answer = invoke(command, args, options);
    if (command !== 'list_coupons') return answer;
    return answer.then((list) => {
      if (arrived === null && list && list.coupons && list.coupons.length > 0) void firstList(list);
      else if (arrived !== null && list && list.coupons && list.coupons.length >= list.total) void wholeList(list);
      return list;
    });
  };
})();
