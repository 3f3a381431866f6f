//! Buyers' refund requests pulled from the platform: list, preview, approve or refuse.

use sellerdesk_facade::{RefundAnswer, RefundPreview, RefundRequestView};
use tauri::State;

use crate::ipc::CommandError;
use crate::state::AppState;

#[tauri::command]
pub async fn list_refund_requests(
    state: State<'_, AppState>,
    store_id: String,
) -> Result<Vec<RefundRequestView>, CommandError> {
    state.blocking(move |desk| desk.refund_requests(&store_id)).await
}

#[tauri::command]
pub async fn preview_refund_request(
    state: State<'_, AppState>,
    store_id: String,
    request_id: String,
) -> Result<RefundPreview, CommandError> {
    state.blocking(move |desk| desk.preview_refund_request(&store_id, &request_id)).await
}

/// Records the seller's answer; it goes to the platform through the outbox with the next sync.
#[tauri::command]
pub async fn answer_refund_request(
    state: State<'_, AppState>,
    store_id: String,
    request_id: String,
    answer: RefundAnswer,
) -> Result<RefundRequestView, CommandError> {
    state.change(move |desk| desk.answer_refund_request(&store_id, &request_id, answer)).await
}
