//! The refund calculator: bundled example payments and a preview of any refund-preview input.

use sellerdesk_facade::{ExamplePayment, RefundPreview};
use tauri::State;

use crate::ipc::CommandError;
use crate::state::AppState;

/// The example payments bundled with the app, in display order.
#[tauri::command]
pub async fn list_example_payments(
    state: State<'_, AppState>,
) -> Result<Vec<ExamplePayment>, CommandError> {
    let desk = state.session().await?;
    Ok(desk.desk().example_payments())
}

/// One bundled example: a §8 refund-preview input (with a default `refund`).
#[tauri::command]
pub async fn load_example_payment(
    state: State<'_, AppState>,
    id: String,
) -> Result<serde_json::Value, CommandError> {
    Ok(state.session().await?.desk().example_payment(&id)?)
}

/// Previews a refund: §8 input in, §8 output out, or a typed error naming the field and rule.
#[tauri::command]
pub async fn preview_refund(
    state: State<'_, AppState>,
    input: serde_json::Value,
) -> Result<RefundPreview, CommandError> {
    state.blocking(move |desk| desk.preview_refund(input)).await
}
