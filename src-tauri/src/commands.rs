//! The app's Tauri commands. Each one is a few lines: call the facade, map its error.
//!
//! Every command is permission-gated: `build.rs` lists them in the app manifest and
//! `capabilities/main.json` allows them for the main window only.

use sellerdesk_facade::{RefundPreview, SellerDesk};
use tauri::State;

use crate::dto::{CommandError, ExamplePaymentDto};

/// The example payments bundled with the app, in display order.
#[tauri::command]
pub fn list_example_payments(desk: State<'_, SellerDesk>) -> Vec<ExamplePaymentDto> {
    desk.example_payments().into_iter().map(ExamplePaymentDto::from).collect()
}

/// One bundled example: a §8 refund-preview input (with a default `refund`).
#[tauri::command]
pub fn load_example_payment(
    desk: State<'_, SellerDesk>,
    id: String,
) -> Result<serde_json::Value, CommandError> {
    desk.example_payment(&id).map_err(CommandError::from)
}

/// Previews a refund: §8 input in, §8 output out, or a typed error naming the field and rule.
#[tauri::command]
pub fn preview_refund(
    desk: State<'_, SellerDesk>,
    input: serde_json::Value,
) -> Result<RefundPreview, CommandError> {
    desk.preview_refund(input).map_err(CommandError::from)
}
