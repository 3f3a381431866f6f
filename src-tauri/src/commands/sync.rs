//! Where sync stands, and "sync now".

use sellerdesk_facade::{SyncReportView, SyncStatusView};
use sellerdesk_session::SyncNews;
use tauri::State;
use tauri::ipc::Channel;

use crate::ipc::CommandError;
use crate::state::AppState;

#[tauri::command]
pub async fn sync_status(
    state: State<'_, AppState>,
    store_id: String,
) -> Result<SyncStatusView, CommandError> {
    let mut statuses = state.blocking(move |desk| desk.sync_status(Some(&store_id))).await?;
    statuses.pop().ok_or_else(|| {
        sellerdesk_facade::FacadeError::new(
            sellerdesk_facade::ErrorCode::Internal,
            "no sync status for the store".into(),
        )
        .into()
    })
}

/// Sends a change the platform refused again with the next sync; answers the store's status.
#[tauri::command]
pub async fn retry_change(
    state: State<'_, AppState>,
    store_id: String,
    change_id: i64,
) -> Result<SyncStatusView, CommandError> {
    state.blocking(move |desk| desk.retry_change(&store_id, change_id)).await
}

/// Syncs the store now (after a background sync in progress, if any) and says what moved.
#[tauri::command]
pub async fn sync_now(
    state: State<'_, AppState>,
    store_id: String,
) -> Result<SyncReportView, CommandError> {
    Ok(state.session().await?.sync_now(&store_id).await?)
}

/// From now on, the news of every sync (background or "sync now") is told over `on_sync_news`:
/// uploads as they go, so that the window shows their progress, and each end, so that it reads
/// again what the sync changed.
#[tauri::command]
pub fn watch_syncs(state: State<'_, AppState>, on_sync_news: Channel<SyncNews>) {
    state.watch_syncs(on_sync_news);
}
