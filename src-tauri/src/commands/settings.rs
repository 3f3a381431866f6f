//! Settings: connect a real platform endpoint instead of the sandbox, or go back to it.

use sellerdesk_facade::ConnectionView;
use sellerdesk_session::Session;
use tauri::State;

use crate::dto::{CommandError, ConnectPlatformDto};
use crate::state::AppState;

/// Connects a store to a real platform: the app leaves the sandbox and works on the default
/// database, with the store's credentials in the operating system's keyring. Nothing changes
/// if the store or the credentials are refused.
#[tauri::command]
pub async fn connect_platform(
    state: State<'_, AppState>,
    connection: ConnectPlatformDto,
) -> Result<ConnectionView, CommandError> {
    let current = state.session().await?;
    let (connected, replacement) = Session::connect_real_platform(
        &state.directory,
        current,
        connection.store(),
        connection.connection()?,
    )
    .await?;
    if let Some(session) = replacement {
        state.replace_session(session).await;
    }
    // The store's first sync starts now rather than at the next turn of the loop.
    state.session().await?.changed();
    Ok(connected)
}

/// Goes back to the embedded sandbox platform.
#[tauri::command]
pub async fn use_sandbox(state: State<'_, AppState>) -> Result<(), CommandError> {
    let current = state.session().await?;
    if let Some(session) = Session::switch_to_sandbox(&state.directory, &current).await? {
        drop(current);
        state.replace_session(session).await;
    }
    Ok(())
}
