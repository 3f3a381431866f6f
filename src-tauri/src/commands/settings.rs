//! Settings: connect a real platform endpoint instead of the sandbox, or go back to it.

use std::sync::Arc;

use sellerdesk_facade::{ConnectionView, NewStoreInput};
use sellerdesk_session::{PlatformChoice, Session, Settings};
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
    let current = state.session().await;
    let on_remote = current.platform().kind == PlatformChoice::Remote;
    let session = if on_remote { None } else { Some(Session::open_remote(&state.directory)?) };
    let desk = Arc::clone(session.as_ref().unwrap_or(&current).desk());
    // Holding the current session would keep it from closing once it is replaced.
    drop(current);
    let connected = state
        .run_blocking(move || {
            desk.ensure_store(&NewStoreInput {
                store_id: connection.store_id.clone(),
                name: connection.store_name.clone(),
                currency: connection.currency.clone(),
            })?;
            desk.connect_platform(&connection.connection())
        })
        .await;
    match (connected, session) {
        (Ok(connected), Some(session)) => {
            state.directory.save_settings(&Settings { platform: PlatformChoice::Remote })?;
            state.replace_session(session).await;
            // The new store's first sync starts now rather than at the next turn of the loop.
            state.session().await.changed();
            Ok(connected)
        }
        (Ok(connected), None) => {
            state.session().await.changed();
            Ok(connected)
        }
        (Err(error), Some(session)) => {
            session.close().await;
            Err(error)
        }
        (Err(error), None) => Err(error),
    }
}

/// Goes back to the embedded sandbox platform (the stores connected to a real platform stay
/// in the default database and keyring, for when the seller comes back to it).
#[tauri::command]
pub async fn use_sandbox(state: State<'_, AppState>) -> Result<(), CommandError> {
    if state.session().await.platform().kind == PlatformChoice::Sandbox {
        return Ok(());
    }
    let session = Session::open_sandbox(&state.directory).await?;
    state.directory.save_settings(&Settings { platform: PlatformChoice::Sandbox })?;
    state.replace_session(session).await;
    Ok(())
}
