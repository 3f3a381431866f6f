//! Connecting stores to the platform, syncing them, and the buyers' refund requests that come
//! down with a sync (issue: sync with the platform).

use std::sync::Arc;

use sellerdesk_core::contract;
use sellerdesk_core::ids::StoreId;
use sellerdesk_core::rules::Reason;
use sellerdesk_core::{InputError, RuleId};
use sellerdesk_platform::CallError;
use sellerdesk_platform::api::Decision;
use sellerdesk_platform::client::{PlatformClient, PlatformCredentials};
use sellerdesk_platform::connector::medusa::{MedusaConnector, MedusaCredentials, MedusaStore};
use sellerdesk_platform::connector::{Capability, Connector, PlatformKind, StoreConnection};
use sellerdesk_platform::sync::{self, SyncReport, UploadProgress, new_mutation_id};
use sellerdesk_store::{
    DecisionUpload, OutboxKind, OutboxRecord, OutboxState, RefundDecision, RefundRequestRecord,
    StoreError,
};

use crate::catalog::{NewStoreInput, parse_store_id, refused_address, required};
use crate::views::{
    ConnectionView, CorrectionView, RefundRequestView, RejectedChangeView, SetAsideView,
    SyncReportView, SyncStatusView, UploadProgressView, WithdrawnCodeView,
};
use crate::{ErrorCode, FacadeError, RefundPreview, SellerDesk};

/// What a seller types to connect a store. The secret and the token come from standard input or
/// the environment, never from the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectPlatformInput {
    pub store_id: String,
    pub base_url: String,
    pub app_key: String,
    pub app_secret: String,
    pub access_token: String,
}

/// What a seller types to connect a store to a Medusa server. The key comes from standard input
/// or the app's form, never from the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectMedusaInput {
    pub store_id: String,
    pub base_url: String,
    pub api_key: String,
}

/// How a store is to be connected, whatever its platform: what the app's Settings send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreConnectionInput {
    Sellerdesk(ConnectPlatformInput),
    Medusa(ConnectMedusaInput),
    Aliexpress(crate::ConnectAliexpressInput),
}

impl StoreConnectionInput {
    pub fn store_id(&self) -> &str {
        match self {
            StoreConnectionInput::Sellerdesk(input) => &input.store_id,
            StoreConnectionInput::Medusa(input) => &input.store_id,
            StoreConnectionInput::Aliexpress(input) => &input.store_id,
        }
    }
}

/// What a seller answers to a buyer's refund request.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub enum RefundAnswer {
    Approve,
    /// With the seller's reason, which the platform shows the buyer (AliExpress asks for one).
    Refuse {
        reason: Option<String>,
    },
}

impl SellerDesk {
    /// Adds the store when this desk does not know it yet ([`SellerDesk::ensure_store`]) and
    /// keeps its platform credentials ([`SellerDesk::connect_platform`]): connecting a store
    /// that so far lived only on the platform.
    pub fn connect_store(
        &self,
        store: &NewStoreInput,
        connection: &ConnectPlatformInput,
    ) -> Result<ConnectionView, FacadeError> {
        if store.store_id.trim() != connection.store_id.trim() {
            return Err(InputError::new(
                "store_id",
                RuleId::Input1,
                format!(
                    "the connection is for store {}, not {}",
                    connection.store_id, store.store_id
                ),
            )
            .into());
        }
        self.ensure_store(store)?;
        self.connect_platform(connection)
    }

    /// Connects a store to its platform, whatever its kind, adding the store first when this
    /// desk does not know it yet. Blocking work (the database, the keyring) runs off the async
    /// threads; nothing is kept when the store or the connection is refused.
    pub async fn connect_store_to(
        self: &Arc<Self>,
        store: NewStoreInput,
        connection: StoreConnectionInput,
    ) -> Result<ConnectionView, FacadeError> {
        if store.store_id.trim() != connection.store_id().trim() {
            return Err(InputError::new(
                "store_id",
                RuleId::Input1,
                format!(
                    "the connection is for store {}, not {}",
                    connection.store_id(),
                    store.store_id
                ),
            )
            .into());
        }
        let desk = Arc::clone(self);
        match connection {
            StoreConnectionInput::Sellerdesk(input) => {
                tokio::task::spawn_blocking(move || desk.connect_store(&store, &input))
                    .await
                    .map_err(|error| FacadeError::new(ErrorCode::Internal, error.to_string()))?
            }
            StoreConnectionInput::Medusa(input) => {
                // The store is added only once Medusa took the key: nothing is kept otherwise.
                let checked = desk.check_medusa(&input).await?;
                let (store_id, currency) = desk.ensure_store_off_async(store).await?;
                desk.keep_medusa(&store_id, &currency, checked).await
            }
            StoreConnectionInput::Aliexpress(input) => {
                // The store is added only once AliExpress gave the tokens.
                desk.check_aliexpress_currency(&store.currency)?;
                let credentials = desk.exchange_aliexpress_code(&input).await?;
                let (store_id, currency) = desk.ensure_store_off_async(store).await?;
                desk.check_aliexpress_currency(&currency)?;
                desk.keep_connection(&store_id, StoreConnection::Aliexpress(credentials)).await
            }
        }
    }

    /// [`SellerDesk::ensure_store`] off the async threads (it may open the database): the store's
    /// id and currency.
    async fn ensure_store_off_async(
        self: &Arc<Self>,
        store: NewStoreInput,
    ) -> Result<(StoreId, String), FacadeError> {
        let desk = Arc::clone(self);
        let view = tokio::task::spawn_blocking(move || desk.ensure_store(&store))
            .await
            .map_err(|error| FacadeError::new(ErrorCode::Internal, error.to_string()))??;
        Ok((parse_store_id(&view.store_id)?, view.currency))
    }

    /// Keeps the store's platform credentials in the keyring.
    pub fn connect_platform(
        &self,
        input: &ConnectPlatformInput,
    ) -> Result<ConnectionView, FacadeError> {
        let store_id = parse_store_id(&input.store_id)?;
        self.store()?.read(|reader| reader.store(&store_id))?;
        let credentials = PlatformCredentials {
            base_url: input.base_url.trim().trim_end_matches('/').to_owned(),
            app_key: input.app_key.trim().to_owned(),
            app_secret: input.app_secret.trim().to_owned(),
            access_token: input.access_token.trim().to_owned(),
        };
        for (field, value) in [
            ("app_key", &credentials.app_key),
            ("app_secret", &credentials.app_secret),
            ("access_token", &credentials.access_token),
        ] {
            required(field, value)?;
        }
        // Building a client checks the address: https, or http on loopback only.
        PlatformClient::new(credentials.clone()).map_err(refused_address)?;
        let connection = StoreConnection::Sellerdesk(credentials);
        self.vault.save(&store_id, &connection)?;
        Ok(connection_view(&store_id, &connection))
    }

    /// Connects a store to a Medusa server: checks the secret API key against it (a wrong key or
    /// a server out of reach is refused, and nothing is kept), then keeps it in the keyring.
    pub async fn connect_medusa(
        &self,
        input: &ConnectMedusaInput,
    ) -> Result<ConnectionView, FacadeError> {
        let store_id = parse_store_id(&input.store_id)?;
        let currency = self.store()?.read(|reader| reader.store(&store_id))?.currency;
        let checked = self.check_medusa(input).await?;
        self.keep_medusa(&store_id, currency.code(), checked).await
    }

    /// The key checked against the Medusa server, with the store it administers.
    async fn check_medusa(
        &self,
        input: &ConnectMedusaInput,
    ) -> Result<(MedusaCredentials, MedusaStore), FacadeError> {
        let credentials = MedusaCredentials {
            base_url: input.base_url.trim().trim_end_matches('/').to_owned(),
            api_key: input.api_key.trim().to_owned(),
        };
        required("api_key", &credentials.api_key)?;
        let connector = MedusaConnector::new(credentials.clone()).map_err(refused_address)?;
        let medusa_store = connector.check_key().await.map_err(|error| match error {
            CallError::Rejected { status: 401 | 403, .. } => FacadeError::from(
                InputError::new(
                    "api_key",
                    RuleId::Input1,
                    "Medusa refused this key; make a secret API key in Medusa's admin and paste it",
                )
                .because(Reason::KeyRefused),
            ),
            other => FacadeError::new(
                ErrorCode::Platform,
                format!("cannot check the key with Medusa at {}: {other}", credentials.base_url),
            ),
        })?;
        Ok((credentials, medusa_store))
    }

    /// Keeps a checked Medusa connection for the store, once the Medusa store sells in its
    /// currency.
    async fn keep_medusa(
        &self,
        store_id: &StoreId,
        currency: &str,
        (credentials, medusa_store): (MedusaCredentials, MedusaStore),
    ) -> Result<ConnectionView, FacadeError> {
        let code = currency.to_ascii_lowercase();
        if !medusa_store
            .supported_currencies
            .iter()
            .any(|supported| supported.currency_code == code)
        {
            return Err(InputError::new(
                "currency",
                RuleId::Money3,
                format!(
                    "store {store_id} is in {currency}, which the Medusa store does not sell in"
                ),
            )
            .because(Reason::ShopCurrency)
            .with("currency", currency)
            .into());
        }
        self.keep_connection(store_id, StoreConnection::Medusa(credentials)).await
    }

    /// [`SellerDesk::connect_medusa`] for callers without an async runtime (the CLI).
    pub fn connect_medusa_blocking(
        &self,
        input: &ConnectMedusaInput,
    ) -> Result<ConnectionView, FacadeError> {
        blocking_runtime()?.block_on(self.connect_medusa(input))
    }

    /// What the store's platform can do, or `None` when the store is not connected.
    pub fn platform_of(&self, store_id: &StoreId) -> Result<Option<PlatformKind>, FacadeError> {
        Ok(self.vault.load(store_id)?.map(|connection| connection.kind()))
    }

    /// Refuses what the store's platform cannot do, naming the platform and what to do instead.
    /// A store not connected yet may do everything: its changes wait for a platform. A keyring out
    /// of reach does not stop local work either: the push stage holds a change its platform
    /// cannot take, with the same words.
    /// Gives the store's platform kind, so that the caller reads the keyring once.
    pub(crate) fn require(
        &self,
        store_id: &StoreId,
        capability: Capability,
        instead: &str,
    ) -> Result<Option<PlatformKind>, FacadeError> {
        let kind = self.reachable_kind(store_id);
        check_capability(store_id, kind, capability, instead)?;
        Ok(kind)
    }

    /// The store's platform kind as far as the keyring tells now: none when the store is not
    /// connected, or when the keyring is out of reach (local work goes on; the push stage holds
    /// what the platform cannot take).
    pub(crate) fn reachable_kind(&self, store_id: &StoreId) -> Option<PlatformKind> {
        self.vault.load(store_id).ok().flatten().map(|connection| connection.kind())
    }

    /// The stores with credentials in the keyring, or just `store` when given.
    fn stores_to_sync(
        &self,
        store: Option<&str>,
    ) -> Result<Vec<(StoreId, StoreConnection)>, FacadeError> {
        let candidates = match store {
            Some(text) => {
                let store_id = parse_store_id(text)?;
                self.store()?.read(|reader| reader.store(&store_id))?;
                let credentials = self.vault.load(&store_id)?.ok_or_else(|| {
                    FacadeError::new(
                        ErrorCode::NotConnected,
                        format!("store {store_id} is not connected to the platform"),
                    )
                })?;
                vec![(store_id, credentials)]
            }
            None => {
                let stores = self.store()?.read(|reader| reader.stores())?;
                let mut connected = Vec::new();
                for store in stores {
                    if let Some(credentials) = self.vault.load(&store.store_id)? {
                        connected.push((store.store_id, credentials));
                    }
                }
                connected
            }
        };
        Ok(candidates)
    }

    /// Syncs one store: pushes its pending changes, then pulls what changed on the platform.
    pub async fn sync_store(&self, store_id: &StoreId) -> Result<SyncReportView, FacadeError> {
        let credentials = self.connected_credentials(store_id).await?;
        self.sync_with(store_id, credentials, &|_| {}).await
    }

    /// Syncs the store `store_id` names, as [`SellerDesk::sync_store`] does, for front ends holding
    /// text. `on_upload` hears how far each batch's upload got; `on_store_synced` hears the outcome as [`SellerDesk::sync_connected_stores`] tells
    /// it: when a sync ran, not when the store is unknown or not connected.
    pub async fn sync_one_store(
        &self,
        store_id: &str,
        on_upload: &(dyn Fn(&UploadProgressView) + Sync),
        on_store_synced: impl FnOnce(&StoreId, &Result<SyncReportView, FacadeError>),
    ) -> Result<SyncReportView, FacadeError> {
        let store_id = parse_store_id(store_id)?;
        self.store()?.read(|reader| reader.store(&store_id))?;
        let credentials = self.connected_credentials(&store_id).await?;
        let outcome = self.sync_with(&store_id, credentials, on_upload).await;
        on_store_synced(&store_id, &outcome);
        outcome
    }

    /// The store's credentials, or why it cannot sync: it is not connected.
    async fn connected_credentials(
        &self,
        store_id: &StoreId,
    ) -> Result<StoreConnection, FacadeError> {
        self.load_credentials(store_id).await?.ok_or_else(|| {
            FacadeError::new(
                ErrorCode::NotConnected,
                format!("store {store_id} is not connected to the platform"),
            )
        })
    }

    /// Syncs every store that has credentials, one after the other, telling `on_upload` how far
    /// each batch's upload got and `on_store_synced` each store's outcome as soon as it is known.
    /// A store whose sync fails does not stop the others.
    pub async fn sync_connected_stores(
        &self,
        on_upload: &(dyn Fn(&UploadProgressView) + Sync),
        mut on_store_synced: impl FnMut(&StoreId, &Result<SyncReportView, FacadeError>),
    ) -> Result<(), FacadeError> {
        let stores = self.store()?.read(|reader| reader.stores())?;
        for store in stores {
            if let Some(credentials) = self.load_credentials(&store.store_id).await? {
                let outcome = self.sync_with(&store.store_id, credentials, on_upload).await;
                on_store_synced(&store.store_id, &outcome);
            }
        }
        Ok(())
    }

    /// A store's credentials, read off the async threads: the system keyring answers over D-Bus
    /// through a blocking API, which must not run on (or start a runtime inside) a Tokio worker.
    async fn load_credentials(
        &self,
        store_id: &StoreId,
    ) -> Result<Option<StoreConnection>, FacadeError> {
        let vault = Arc::clone(&self.vault);
        let store_id = store_id.clone();
        tokio::task::spawn_blocking(move || vault.load(&store_id))
            .await
            .map_err(|error| FacadeError::new(ErrorCode::Internal, error.to_string()))?
    }

    async fn sync_with(
        &self,
        store_id: &StoreId,
        connection: StoreConnection,
        on_upload: &(dyn Fn(&UploadProgressView) + Sync),
    ) -> Result<SyncReportView, FacadeError> {
        let connector = Connector::open(&connection)
            .map_err(|error| FacadeError::new(ErrorCode::Platform, error.to_string()))?;
        let store = self.store()?;
        let report_upload = |progress: &UploadProgress| {
            on_upload(&UploadProgressView {
                store_id: progress.store_id.to_string(),
                batch_id: progress.batch_id,
                uploaded: progress.uploaded,
                total: progress.total,
            });
        };
        let outcome = sync::sync_once_reporting(
            store,
            &connector,
            store_id,
            &self.sync_options,
            &report_upload,
        )
        .await;
        // Tokens renewed during the sync are kept, whatever its outcome: the old ones may no
        // longer work.
        if let Some(renewed) = connector.renewed_connection(&connection) {
            self.keep_connection(store_id, renewed).await?;
        }
        let status = sync::sync_status(store, store_id)?;
        match outcome {
            Ok(report) => Ok(report_view(store_id, &report, status.pending_changes)),
            Err(error) => Err(FacadeError::new(
                ErrorCode::Platform,
                format!("store {store_id}: the sync stopped: {error}"),
            )),
        }
    }

    /// Syncs every connected store (or one), blocking until done. Not for async callers: they
    /// call [`SellerDesk::sync_store`].
    pub fn sync_blocking(&self, store: Option<&str>) -> Result<Vec<SyncReportView>, FacadeError> {
        self.sync_blocking_reporting(store, &|_| {})
    }

    /// [`SellerDesk::sync_blocking`], telling `on_upload` how far each batch's upload got.
    pub fn sync_blocking_reporting(
        &self,
        store: Option<&str>,
        on_upload: &(dyn Fn(&UploadProgressView) + Sync),
    ) -> Result<Vec<SyncReportView>, FacadeError> {
        let stores = self.stores_to_sync(store)?;
        if stores.is_empty() {
            return Err(FacadeError::new(
                ErrorCode::NotConnected,
                "no store is connected to the platform".into(),
            ));
        }
        blocking_runtime()?.block_on(async {
            let mut reports = Vec::with_capacity(stores.len());
            for (store_id, credentials) in stores {
                reports.push(self.sync_with(&store_id, credentials, on_upload).await?);
            }
            Ok(reports)
        })
    }

    /// Sends a change the platform refused again with the next sync, as it is: once the seller
    /// changed on the platform what refused it. Only a stop, a title or a batch of codes is sent
    /// again (a batch sends the codes that did not go up); a refused coupon is corrected by
    /// editing it, and a refund request is decided once.
    pub fn retry_change(
        &self,
        store_id: &str,
        change_id: i64,
    ) -> Result<SyncStatusView, FacadeError> {
        let store_id = parse_store_id(store_id)?;
        self.store()?.write(|writer| {
            let entry = match writer.reader().outbox_entry(&store_id, change_id) {
                Err(StoreError::NotFound { .. }) => {
                    return Err(FacadeError::new(
                        ErrorCode::NotFound,
                        format!("store {store_id} has no change {change_id}"),
                    ));
                }
                found => found?,
            };
            if entry.state != OutboxState::Rejected {
                return Err(FacadeError::from(InputError::new(
                    "change",
                    RuleId::Input1,
                    format!(
                        "change {change_id} of store {store_id} was not refused (it is {}); only a refused change is sent again",
                        entry.state.as_str()
                    ),
                )));
            }
            match correction(&entry) {
                CorrectionView::SendAgain => {}
                CorrectionView::EditCoupon => {
                    return Err(FacadeError::new(
                        ErrorCode::Conflict,
                        format!(
                            "the platform refused coupon {} as it was: correct the coupon, and the correction goes up with the next sync",
                            entry.subject_id
                        ),
                    ));
                }
                CorrectionView::None => {
                    return Err(FacadeError::new(
                        ErrorCode::Conflict,
                        format!(
                            "the answer to refund request {} was refused, and a refund request is decided once: nothing can be sent again",
                            entry.subject_id
                        ),
                    ));
                }
            }
            // A new mutation id: the platform takes it as a new change.
            writer.requeue_rejected(change_id, &new_mutation_id())?;
            Ok(())
        })?;
        self.sync_status(Some(store_id.as_str()))?.pop().ok_or_else(|| {
            FacadeError::new(ErrorCode::Internal, "the store's status vanished".into())
        })
    }

    /// Where synchronisation of each store (or one) stands, with what the seller must act on.
    pub fn sync_status(&self, store: Option<&str>) -> Result<Vec<SyncStatusView>, FacadeError> {
        let store_ids = match store {
            Some(text) => vec![parse_store_id(text)?],
            None => self
                .store()?
                .read(|reader| reader.stores())?
                .into_iter()
                .map(|store| store.store_id)
                .collect(),
        };
        let mut views = Vec::with_capacity(store_ids.len());
        for store_id in store_ids {
            let connected = self.vault.load(&store_id)?.is_some();
            let (status, rejected, withdrawn) = self.store()?.read(|reader| {
                reader.store(&store_id)?;
                Ok::<_, StoreError>((
                    reader.sync_status(&store_id)?,
                    reader.outbox_entries(&store_id, OutboxState::Rejected)?,
                    reader.withdrawn_codes(&store_id)?,
                ))
            })?;
            views.push(SyncStatusView {
                store_id: store_id.to_string(),
                connected,
                online: status.online,
                pending_changes: status.pending_changes,
                rejected_changes: status.rejected_changes,
                last_attempt_at: status.last_attempt_at.map(|at| at.to_string()),
                last_successful_sync: status.last_successful_sync.map(|at| at.to_string()),
                last_error: status.last_error,
                rejected: rejected
                    .into_iter()
                    .map(|entry| RejectedChangeView {
                        change_id: entry.sequence,
                        correction: correction(&entry),
                        kind: entry.kind,
                        subject_id: entry.subject_id,
                        code: entry.rejection_code,
                        reason: entry.last_error.unwrap_or_default(),
                    })
                    .collect(),
                withdraw_codes: withdrawn
                    .into_iter()
                    .map(|code| WithdrawnCodeView {
                        code: code.code,
                        coupon_id: code.coupon_id.to_string(),
                        batch_id: code.batch_id,
                        reported_at: code.reported_at.to_string(),
                    })
                    .collect(),
                set_aside: status
                    .set_aside
                    .into_iter()
                    .map(|item| SetAsideView {
                        feed: item.stream.as_str().to_owned(),
                        item: item.item,
                        reason: item.reason,
                        seen_at: item.seen_at.to_string(),
                    })
                    .collect(),
            });
        }
        Ok(views)
    }

    /// The buyers' refund requests of a store, as the last sync brought them.
    pub fn refund_requests(&self, store_id: &str) -> Result<Vec<RefundRequestView>, FacadeError> {
        let store_id = parse_store_id(store_id)?;
        let requests = self.store()?.read(|reader| {
            reader.store(&store_id)?;
            reader.refund_requests(&store_id)
        })?;
        requests.iter().map(refund_request_view).collect()
    }

    fn find_refund_request(
        &self,
        store_id: &StoreId,
        request_id: &str,
    ) -> Result<RefundRequestRecord, FacadeError> {
        let request_id = request_id.trim();
        let found = self.store()?.read(|reader| {
            reader.store(store_id)?;
            reader.refund_request(store_id, request_id)
        });
        match found {
            Err(StoreError::NotFound { .. }) => Err(FacadeError::new(
                ErrorCode::NotFound,
                format!(
                    "store {store_id} has no refund request {request_id}; a sync brings new ones"
                ),
            )),
            other => Ok(other?),
        }
    }

    /// Previews a buyer's refund request as it stands now.
    pub fn preview_refund_request(
        &self,
        store_id: &str,
        request_id: &str,
    ) -> Result<RefundPreview, FacadeError> {
        let store_id = parse_store_id(store_id)?;
        let request = self.find_refund_request(&store_id, request_id)?;
        self.preview_refund_json(&request.preview_input)
    }

    /// Records the seller's answer to a refund request; the next sync takes it to the platform.
    pub fn answer_refund_request(
        &self,
        store_id: &str,
        request_id: &str,
        answer: RefundAnswer,
    ) -> Result<RefundRequestView, FacadeError> {
        let store_id = parse_store_id(store_id)?;
        let kind = self.require(
            &store_id,
            Capability::AnswerRefundRequests,
            "answer it on the platform itself",
        )?;
        let request = self.find_refund_request(&store_id, request_id)?;
        if request.decision.is_some() || request.seller_decision.is_some() {
            return Err(FacadeError::new(
                ErrorCode::Conflict,
                format!("refund request {} is already decided", request.request_id),
            ));
        }
        let (decision, reason) = match answer {
            RefundAnswer::Approve => (Decision::Approve, None),
            RefundAnswer::Refuse { reason } => {
                let reason =
                    reason.map(|reason| reason.trim().to_owned()).filter(|r| !r.is_empty());
                if let Some(reason) = &reason {
                    sellerdesk_core::text::check_shown_text("reason", reason)?;
                }
                if let Some(kind) = kind.filter(|kind| kind.asks_refusal_reason())
                    && reason.is_none()
                {
                    return Err(InputError::new(
                        "reason",
                        RuleId::Input1,
                        format!(
                            "{} asks for the seller's reason to refuse a dispute; write one",
                            kind.shown_name()
                        ),
                    )
                    .because(Reason::ReasonAsked)
                    .with("platform", kind.shown_name())
                    .into());
                }
                (Decision::Refuse, reason)
            }
        };
        sync::decide_refund(
            self.store()?,
            &request.store_id,
            &request.request_id,
            decision,
            reason,
            self.now(),
        )?;
        let updated = self.find_refund_request(&store_id, &request.request_id)?;
        refund_request_view(&updated)
    }
}

/// Refuses what a store's platform of `kind` cannot do, naming the platform and what to do
/// instead; a store not connected (or a keyring out of reach) may do everything.
/// How a refused change can be corrected, from what it concerns.
fn correction(entry: &OutboxRecord) -> CorrectionView {
    match entry.known_kind() {
        Some(OutboxKind::CreateCoupon) => CorrectionView::EditCoupon,
        Some(
            OutboxKind::StopCoupon | OutboxKind::UpdateCouponTitle | OutboxKind::UploadCodeBatch,
        ) => CorrectionView::SendAgain,
        Some(OutboxKind::DecideRefund) | None => CorrectionView::None,
    }
}

pub(crate) fn check_capability(
    store_id: &StoreId,
    kind: Option<PlatformKind>,
    capability: Capability,
    instead: &str,
) -> Result<(), FacadeError> {
    match kind {
        Some(kind) if !kind.can(capability) => Err(FacadeError::new(
            ErrorCode::NotSupported,
            format!(
                "store {store_id} is on {}, which does not let Seller Desk {}; {instead}",
                kind.shown_name(),
                capability.described()
            ),
        )),
        _ => Ok(()),
    }
}

/// A small runtime of its own, for the blocking entry points the CLI calls.
pub(crate) fn blocking_runtime() -> Result<tokio::runtime::Runtime, FacadeError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| FacadeError::new(ErrorCode::Internal, error.to_string()))
}

pub(crate) fn connection_view(store_id: &StoreId, connection: &StoreConnection) -> ConnectionView {
    ConnectionView {
        store_id: store_id.to_string(),
        platform: connection.kind().as_str().to_owned(),
        base_url: connection.base_url().to_owned(),
        app_key: match connection {
            StoreConnection::Sellerdesk(credentials) => Some(credentials.app_key.clone()),
            StoreConnection::Medusa(_) => None,
            StoreConnection::Aliexpress(credentials) => Some(credentials.app_key.clone()),
        },
        unenforced_rules: connection
            .kind()
            .unenforced_rules()
            .iter()
            .map(|(rule, instead)| format!("{rule}: {instead}"))
            .collect(),
    }
}

fn report_view(store_id: &StoreId, report: &SyncReport, pending_left: u64) -> SyncReportView {
    SyncReportView {
        store_id: store_id.to_string(),
        sent: report.sent,
        rejected: report.rejected,
        codes_uploaded: report.codes_uploaded,
        codes_regenerated: report.codes_regenerated,
        codes_to_withdraw: report.codes_withdrawn,
        coupons_pulled: report.coupons_pulled,
        code_statuses_pulled: report.code_statuses_pulled,
        refund_requests_pulled: report.refund_requests_pulled,
        pending_left,
    }
}

fn refund_request_view(request: &RefundRequestRecord) -> Result<RefundRequestView, FacadeError> {
    let input = contract::parse_input_json(&request.preview_input)?;
    let refund_kind = match (&input.refund.lines, input.refund.full, &input.refund.amount) {
        (Some(_), _, _) => "units",
        (_, Some(true), _) => "whole order",
        _ => "amount",
    };
    let (seller_decision, decision_upload) = match &request.seller_decision {
        Some(decision) => (
            Some(decision.decision.as_str().to_owned()),
            Some(match &decision.upload {
                DecisionUpload::Pending => "pending".to_owned(),
                DecisionUpload::Sent => "sent".to_owned(),
                DecisionUpload::Rejected { reason } => format!("rejected: {reason}"),
            }),
        ),
        None => (None, None),
    };
    Ok(RefundRequestView {
        request_id: request.request_id.clone(),
        store_id: request.store_id.to_string(),
        payment_id: input.payment_id.clone(),
        order_id: input.refund.order_id.clone(),
        refund_kind: refund_kind.to_owned(),
        requested_at: request.requested_at.to_string(),
        platform_decision: request
            .decision
            .map(|decision: RefundDecision| decision.as_str().to_owned()),
        seller_decision,
        decision_upload,
    })
}
