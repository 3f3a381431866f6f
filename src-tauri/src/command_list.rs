// Every command the webview may call, listed once. `build.rs` makes each one's permissions from
// its name, `lib.rs` its handler and the names the capability test checks, and `bindings.rs` its
// typed TypeScript function. An entry is `module::command(argument: Type, ...) -> Type;` with the
// page's arguments only (what Tauri injects, the state and the app handle, is not listed);
// `bindings.rs` checks each entry against its function in `commands/`, so that a renamed or
// retyped argument fails a test. `ChannelOf<T>` stands for `tauri::ipc::Channel<T>` and `AnyJson`
// for `serde_json::Value`.
app_commands! {
    app::app_info() -> AppInfo;
    app::open_session_again() -> ();
    app::diagnostics() -> DiagnosticsView;
    app::open_log_folder() -> ();
    catalog::list_stores() -> Vec<StoreView>;
    catalog::list_coupons(store_id: String, first: Option<u32>) -> CouponListView;
    catalog::create_coupon(coupon: NewCouponInput) -> CouponView;
    catalog::edit_coupon(store_id: String, coupon_id: String, changes: CouponChangesInput) -> CouponView;
    catalog::stop_coupon(store_id: String, coupon_id: String) -> CouponView;
    catalog::platform_entry(store_id: String, coupon_id: String) -> Option<PlatformEntryView>;
    codes::code_space_hint(request: GenerateCodesInput) -> CodeSpaceView;
    codes::generate_codes(request: GenerateCodesInput, job_id: String, on_progress: ChannelOf<GenerationProgress>) -> CodeBatchView;
    codes::list_code_batches(store_id: String, coupon_id: String) -> Vec<CodeBatchView>;
    codes::check_code(store_id: String, code: String) -> CodeCheckView;
    codes::campaign_results(store_id: String, coupon_id: Option<String>) -> CampaignResultsView;
    exports::export_codes(request: ExportRequest, suggested_name: String, job_id: String, on_progress: ChannelOf<ExportProgress>) -> Option<ExportView>;
    exports::cancel_job(job_id: String) -> bool;
    exports::list_exports(store_id: String, coupon_id: String) -> Vec<ExportView>;
    refunds::list_refund_requests(store_id: String) -> Vec<RefundRequestView>;
    refunds::preview_refund_request(store_id: String, request_id: String) -> RefundPreview;
    refunds::answer_refund_request(store_id: String, request_id: String, answer: RefundAnswer) -> RefundRequestView;
    sync::sync_status(store_id: String) -> SyncStatusView;
    sync::retry_change(store_id: String, change_id: i64) -> SyncStatusView;
    sync::sync_now(store_id: String) -> SyncReportView;
    sync::watch_syncs(on_sync_news: ChannelOf<SyncNews>) -> ();
    settings::connect_platform(connection: ConnectRequest) -> ConnectionView;
    settings::open_aliexpress_authorization(request: AuthorizeAliexpressInput) -> AuthorizationView;
    settings::use_sandbox() -> ();
    preview::list_example_payments() -> Vec<ExamplePayment>;
    preview::load_example_payment(id: String) -> AnyJson;
    preview::preview_refund(input: AnyJson) -> RefundPreview;
}
