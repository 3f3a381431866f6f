// "Now" for texts such as "last sync 2 minutes ago", kept moving while a component shows them.

/** How often such texts move on between two reads of what they describe. */
const TICK_MS = 15_000;

/**
 * A reactive `now` that moves on every 15 s while the component that made it lives, and at once
 * on `tick()` (when what it measures from was just read). Make it while the component is set up.
 */
export class Clock {
  now = $state(new Date());

  constructor() {
    $effect(() => {
      const timer = setInterval(() => this.tick(), TICK_MS);
      return () => clearInterval(timer);
    });
  }

  tick(): void {
    this.now = new Date();
  }
}
