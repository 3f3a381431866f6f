//! Coupon codes: the live code-space hint, generation with progress, batches, checking a code,
//! and campaign results per channel.

use sellerdesk_facade::{
    CampaignResultsView, CodeBatchView, CodeCheckView, CodeSpaceView, GenerateCodesInput,
    GenerationProgress,
};
use tauri::State;
use tauri::ipc::Channel;

use crate::ipc::CommandError;
use crate::state::{AppState, to_window};

/// The length, code space and guess odds a batch like `request` would get.
#[tauri::command]
pub async fn code_space_hint(
    state: State<'_, AppState>,
    request: GenerateCodesInput,
) -> Result<CodeSpaceView, CommandError> {
    state.blocking(move |desk| desk.code_space_hint(&request)).await
}

/// Makes a batch of codes, telling `on_progress` how far it got. `cancel_job(job_id)` stops it;
/// nothing of the batch is kept then.
#[tauri::command]
pub async fn generate_codes(
    state: State<'_, AppState>,
    request: GenerateCodesInput,
    job_id: String,
    on_progress: Channel<GenerationProgress>,
) -> Result<CodeBatchView, CommandError> {
    let job = state.jobs.start(&job_id);
    let progress = job.progress(to_window(on_progress));
    let batch = state.change(move |desk| desk.generate_codes_cancellable(&request, progress)).await;
    drop(job);
    batch
}

#[tauri::command]
pub async fn list_code_batches(
    state: State<'_, AppState>,
    store_id: String,
    coupon_id: String,
) -> Result<Vec<CodeBatchView>, CommandError> {
    state.blocking(move |desk| desk.code_batches(&store_id, &coupon_id)).await
}

/// Says which coupon a typed code belongs to and where it stands.
#[tauri::command]
pub async fn check_code(
    state: State<'_, AppState>,
    store_id: String,
    code: String,
) -> Result<CodeCheckView, CommandError> {
    state.blocking(move |desk| desk.check_code(&store_id, &code)).await
}

/// Codes per channel by status, and redemptions per channel per day: of one coupon, or of every
/// coupon of the store when `coupon_id` is none.
#[tauri::command]
pub async fn campaign_results(
    state: State<'_, AppState>,
    store_id: String,
    coupon_id: Option<String>,
) -> Result<CampaignResultsView, CommandError> {
    state.blocking(move |desk| desk.campaign_results(&store_id, coupon_id.as_deref())).await
}
