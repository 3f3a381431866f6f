//! Settings: connect a real platform endpoint instead of the sandbox, or go back to it.

use sellerdesk_facade::{AuthorizationView, AuthorizeAliexpressInput, ConnectionView};
use tauri::State;

use crate::ipc::{CommandError, ConnectRequest};
use crate::state::AppState;

/// Opens AliExpress's authorization page for the app in the system browser, and gives its
/// address, for the seller to open by hand when no browser came up.
#[tauri::command]
pub async fn open_aliexpress_authorization(
    state: State<'_, AppState>,
    request: AuthorizeAliexpressInput,
) -> Result<AuthorizationView, CommandError> {
    let view = state.blocking(move |desk| desk.aliexpress_authorization(&request)).await?;
    crate::browser::open(&view.url);
    Ok(view)
}

/// Connects a store to a real platform: the app leaves the sandbox and works on the default
/// database, with the store's credentials in the operating system's keyring. Nothing changes
/// if the store or the credentials are refused.
#[tauri::command]
pub async fn connect_platform(
    state: State<'_, AppState>,
    connection: ConnectRequest,
) -> Result<ConnectionView, CommandError> {
    let store = connection.store();
    Ok(state.sessions.connect_real_platform(store, connection.connection()?).await?)
}

/// Goes back to the embedded sandbox platform.
#[tauri::command]
pub async fn use_sandbox(state: State<'_, AppState>) -> Result<(), CommandError> {
    Ok(state.sessions.switch_to_sandbox().await?)
}
