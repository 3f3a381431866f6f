// The one export of the Codes screen, shared by the batch list (per batch, per channel) and the
// export card (with filters): whether it runs, how far it is, and how it ended.
import type { ExportProgress, ExportRequest } from './bindings';
import { startExport, type ExportOutcome, type ExportRun } from './code-export';

export class ExportRunner {
  running = $state(false);
  cancelling = $state(false);
  progress: ExportProgress | null = $state(null);
  /** How the last export ended; null while one runs, or when the seller closed the save dialog. */
  outcome: ExportOutcome | null = $state(null);
  #run: ExportRun | null = null;
  #onfinished: (outcome: ExportOutcome) => void;

  constructor(onfinished: (outcome: ExportOutcome) => void) {
    this.#onfinished = onfinished;
  }

  /** Starts an export unless one runs; resolves when it ends. */
  async start(request: ExportRequest, suggestedName: string): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.cancelling = false;
    this.progress = null;
    this.outcome = null;
    const run = startExport(request, suggestedName, (progress) => (this.progress = progress));
    this.#run = run;
    const outcome = await run.done;
    this.#run = null;
    this.running = false;
    this.cancelling = false;
    this.outcome = outcome.kind === 'dismissed' ? null : outcome;
    this.#onfinished(outcome);
  }

  cancel(): void {
    if (this.#run === null) return;
    this.cancelling = true;
    this.#run.cancel();
  }

  dismiss(): void {
    this.outcome = null;
  }
}
