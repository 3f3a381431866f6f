// Once the page has been painted (the second animation frame comes after the first paint), tell
// the Rust side, which prints the ready line. withGlobalTauri is off, so use the internal invoke.
requestAnimationFrame(() =>
  requestAnimationFrame(() => {
    window.__TAURI_INTERNALS__.invoke("report_ready").catch((error) => {
      document.body.append(`report_ready failed: ${error}`);
    });
  }),
);
