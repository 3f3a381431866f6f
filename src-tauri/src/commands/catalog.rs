//! Stores and their seller coupons.

use sellerdesk_facade::{
    CouponChangesInput, CouponListView, CouponView, NewCouponInput, PlatformEntryView, StoreView,
};
use tauri::State;

use crate::ipc::CommandError;
use crate::state::AppState;

#[tauri::command]
pub async fn list_stores(state: State<'_, AppState>) -> Result<Vec<StoreView>, CommandError> {
    state.blocking(|desk| desk.stores()).await
}

/// The store's coupons; with `first`, only that many of them (the counts are the whole list's),
/// so that a first screen arrives quickly and asks for the rest once it is drawn.
#[tauri::command]
pub async fn list_coupons(
    state: State<'_, AppState>,
    store_id: String,
    first: Option<u32>,
) -> Result<CouponListView, CommandError> {
    match first {
        None => state.blocking(move |desk| desk.coupons(&store_id)).await,
        Some(count) => {
            state.blocking(move |desk| desk.first_coupons(&store_id, count as usize)).await
        }
    }
}

#[tauri::command]
pub async fn create_coupon(
    state: State<'_, AppState>,
    coupon: NewCouponInput,
) -> Result<CouponView, CommandError> {
    state.change(move |desk| desk.create_coupon(&coupon)).await
}

#[tauri::command]
pub async fn edit_coupon(
    state: State<'_, AppState>,
    store_id: String,
    coupon_id: String,
    changes: CouponChangesInput,
) -> Result<CouponView, CommandError> {
    state.change(move |desk| desk.edit_coupon(&store_id, &coupon_id, &changes)).await
}

/// What to enter on the store's platform by hand for a drafted coupon (AliExpress), or nothing.
#[tauri::command]
pub async fn platform_entry(
    state: State<'_, AppState>,
    store_id: String,
    coupon_id: String,
) -> Result<Option<PlatformEntryView>, CommandError> {
    state.blocking(move |desk| desk.platform_entry(&store_id, &coupon_id)).await
}

/// Ends a coupon before its validity window does (the window asks the seller to confirm first).
#[tauri::command]
pub async fn stop_coupon(
    state: State<'_, AppState>,
    store_id: String,
    coupon_id: String,
) -> Result<CouponView, CommandError> {
    state.change(move |desk| desk.stop_coupon(&store_id, &coupon_id)).await
}
