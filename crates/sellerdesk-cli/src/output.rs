//! How results are printed: JSON for programs, a short summary for people.

use std::fmt::Write;

use sellerdesk_facade::{
    BatchRegistrationView, CampaignResultsView, CodeBatchView, CodeCheckView, ConnectionView,
    CorrectionView, CouponListView, CouponView, ExportView, RefundPreview, RefundRequestView,
    StoreView, SyncReportView, SyncStatusView,
};

pub fn json(value: &impl serde::Serialize) -> String {
    // Serializing plain data structs to a string cannot fail.
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

pub fn refund_preview_summary(preview: &RefundPreview) -> String {
    let mut text = String::new();
    let _ = writeln!(
        text,
        "Refund of order {} (payment {}): {} {}, {} refund of the order",
        preview.order_id,
        preview.payment_id,
        preview.refund_amount,
        preview.currency,
        preview.order_refund.as_str()
    );
    if preview.lines.is_empty() {
        let _ = writeln!(text, "  An amount not tied to lines.");
    }
    for line in &preview.lines {
        let units = if line.quantity == 1 { "unit" } else { "units" };
        let _ =
            writeln!(text, "  line {}: {} {units}, {}", line.line_id, line.quantity, line.amount);
    }
    let _ = writeln!(text, "\nHow the order's coupons were spread over its lines:");
    let _ = writeln!(
        text,
        "  {:<12} {:>16} {:>18} {:>12}",
        "line", "seller discount", "platform discount", "paid"
    );
    for line in &preview.allocation {
        let _ = writeln!(
            text,
            "  {:<12} {:>16} {:>18} {:>12}",
            line.line_id, line.seller_discount, line.platform_discount, line.paid
        );
    }
    let _ = writeln!(text, "\nCoupons:");
    if preview.coupons.is_empty() {
        let _ = writeln!(text, "  No coupon has a share in this order.");
    }
    for coupon in &preview.coupons {
        let returned = if coupon.returned { "returned" } else { "not returned" };
        let _ = writeln!(
            text,
            "  {} ({}): {returned}, status after: {}",
            coupon.coupon_id,
            coupon.issuer.as_str(),
            coupon.status_after
        );
        let _ = writeln!(text, "    {}", coupon.reason);
    }
    text
}

pub fn store_line(store: &StoreView) -> String {
    format!("{}  {}  ({})\n", store.store_id, store.name, store.currency)
}

pub fn coupon_summary(coupon: &CouponView) -> String {
    let mut text = String::new();
    let _ = writeln!(
        text,
        "Coupon {} of store {}: {}",
        coupon.coupon_id, coupon.store_id, coupon.title
    );
    let _ = writeln!(
        text,
        "  {} {} off orders above {} {}, one per buyer account",
        coupon.discount, coupon.currency, coupon.min_purchase, coupon.currency
    );
    let _ = writeln!(text, "  valid from {} to {}", coupon.valid_from, coupon.valid_to);
    let _ = writeln!(text, "  quantity {}, state {}", coupon.quantity, coupon.state);
    if let Some(reason) = &coupon.rejection_reason {
        let _ = writeln!(text, "  rejected by the platform: {reason}");
    }
    if let Some(claimed) = coupon.claimed_on_platform {
        let _ = writeln!(
            text,
            "  claimed on the platform by {claimed} of {} buyers (the platform counts no uses)",
            coupon.quantity
        );
    }
    if let Some(on_platform) = coupon.codes_on_platform {
        let _ = writeln!(
            text,
            "  {on_platform} codes on the platform at the last sync, from every desk of the store"
        );
    }
    let codes = &coupon.codes;
    let _ = writeln!(
        text,
        "  codes: {} generated, {} exported, {} claimed ({} valid, {} inactive, {} used, {} expired, {} pending)",
        codes.generated,
        codes.exported,
        codes.claimed,
        codes.valid,
        codes.inactive,
        codes.used,
        codes.expired,
        codes.pending
    );
    text
}

pub fn coupon_list(list: &CouponListView) -> String {
    let mut text = String::new();
    if list.coupons.is_empty() {
        let _ = writeln!(
            text,
            "Store {} has no coupons yet; create one with `sellerdesk coupon create`.",
            list.store_id
        );
        return text;
    }
    let states: Vec<String> =
        list.state_counts.iter().map(|(state, count)| format!("{count} {state}")).collect();
    let _ = writeln!(
        text,
        "Store {}: {} coupons ({})",
        list.store_id,
        list.coupons.len(),
        states.join(", ")
    );
    let _ = writeln!(
        text,
        "  {:<18} {:<10} {:>10} {:>12} {:>10} {:>10} {:>9}  title",
        "coupon", "state", "discount", "minimum", "generated", "exported", "claimed"
    );
    for coupon in &list.coupons {
        let _ = writeln!(
            text,
            "  {:<18} {:<10} {:>10} {:>12} {:>10} {:>10} {:>9}  {}",
            coupon.coupon_id,
            coupon.state,
            coupon.discount,
            coupon.min_purchase,
            coupon.codes.generated,
            coupon.codes.exported,
            coupon.codes.claimed,
            coupon.title
        );
    }
    text
}

pub fn batch_summary(batch: &CodeBatchView) -> String {
    let format = &batch.format;
    let mut shape = format!("{} random characters", format.length);
    if !format.prefix.is_empty() {
        shape.push_str(&format!(", prefix {}", format.prefix));
    }
    if !format.suffix.is_empty() {
        shape.push_str(&format!(", suffix {}", format.suffix));
    }
    if format.check_character {
        shape.push_str(", check character");
    }
    if let Some(group) = format.group {
        shape.push_str(&format!(", dash every {group}"));
    }
    format!(
        "Batch {} of coupon {}: {} codes for {} ({shape}), made {}{}; {}\n",
        batch.batch_id,
        batch.coupon_id,
        batch.code_count,
        batch.channel.as_deref().unwrap_or("no channel"),
        batch.created_at,
        batch
            .first_exported_at
            .as_ref()
            .map(|at| format!(", first exported {at}"))
            .unwrap_or_default(),
        registration(batch),
    )
}

/// Where the batch stands on the store's platform.
fn registration(batch: &CodeBatchView) -> String {
    match &batch.registration {
        BatchRegistrationView::NotRegistered => {
            "not registered on the platform, whose API registers no codes: for your own use".into()
        }
        BatchRegistrationView::Uploading { uploaded } => {
            format!("{uploaded} of {} codes registered on the platform so far", batch.code_count)
        }
        BatchRegistrationView::Registered => "registered on the platform".into(),
        BatchRegistrationView::Refused { uploaded, reason } => format!(
            "refused by the platform after {uploaded} of {} codes went up: {reason}",
            batch.code_count
        ),
    }
}

pub fn export_line(export: &ExportView) -> String {
    let mut line = format!(
        "Exported {} codes of coupon {} to {} at {}\n",
        export.rows, export.coupon_id, export.path, export.exported_at
    );
    if export.left_out > 0 {
        line.push_str(&format!(
            "Left out {} codes the platform refused: no buyer could redeem them, so do not hand them \
             out; generate a new batch within what the coupon still takes\n",
            export.left_out
        ));
    }
    line
}

pub fn code_check(check: &CodeCheckView) -> String {
    format!(
        "{} is a code of coupon {} ({}) in store {}, batch {} for {}: {}\n",
        check.display,
        check.coupon_id,
        check.coupon_title,
        check.store_id,
        check.batch_id,
        check.channel.as_deref().unwrap_or("no channel"),
        check.status
    )
}

pub fn connection_line(connection: &ConnectionView) -> String {
    let mut line = match &connection.app_key {
        Some(app_key) => format!(
            "Store {} is connected to {} as app {app_key}; its secret and token are in the system keyring\n",
            connection.store_id, connection.base_url
        ),
        None => format!(
            "Store {} is connected to {} at {}; its key is in the system keyring\n",
            connection.store_id, connection.platform, connection.base_url
        ),
    };
    if !connection.unenforced_rules.is_empty() {
        line.push_str("Rules this platform does not enforce for buyers:\n");
        for rule in &connection.unenforced_rules {
            line.push_str(&format!("  - {rule}\n"));
        }
    }
    line
}

pub fn sync_report(report: &SyncReportView) -> String {
    let mut text = format!(
        "Store {}: sent {} change(s) ({} codes), {} refused; pulled {} coupon(s), {} code status(es), {} refund request(s); {} left pending\n",
        report.store_id,
        report.sent,
        report.codes_uploaded,
        report.rejected,
        report.coupons_pulled,
        report.code_statuses_pulled,
        report.refund_requests_pulled,
        report.pending_left
    );
    if report.codes_regenerated > 0 {
        text.push_str(&format!(
            "  {} code(s) were taken on the platform and made again (never exported)\n",
            report.codes_regenerated
        ));
    }
    if report.codes_to_withdraw > 0 {
        text.push_str(&format!(
            "  {} exported code(s) are taken on the platform: withdraw them (see `sellerdesk sync status`)\n",
            report.codes_to_withdraw
        ));
    }
    text
}

pub fn sync_status(status: &SyncStatusView) -> String {
    let mut text = String::new();
    let reach = match (status.connected, status.online) {
        (false, _) => "not connected",
        (true, true) => "online",
        (true, false) => "offline",
    };
    let _ = writeln!(
        text,
        "Store {}: {reach}, {} change(s) pending, {} refused, last sync {}",
        status.store_id,
        status.pending_changes,
        status.rejected_changes,
        status.last_successful_sync.as_deref().unwrap_or("never")
    );
    if let Some(error) = &status.last_error {
        let _ = writeln!(text, "  last error: {error}");
    }
    for rejected in &status.rejected {
        let correction = match rejected.correction {
            CorrectionView::SendAgain => format!(
                "once that has changed on the platform, send it again: sellerdesk sync retry --store {} --change {}",
                status.store_id, rejected.change_id
            ),
            CorrectionView::EditCoupon => format!(
                "correct it: sellerdesk coupon edit --store {} --coupon {}",
                status.store_id, rejected.subject_id
            ),
            CorrectionView::None => "a refund request is decided once".to_owned(),
        };
        let _ = writeln!(
            text,
            "  refused change {} ({} of {}): {} — {correction}",
            rejected.change_id, rejected.kind, rejected.subject_id, rejected.reason
        );
    }
    for code in &status.withdraw_codes {
        let _ = writeln!(
            text,
            "  withdraw code {} (coupon {}, batch {}): another seller holds it on the platform",
            code.code, code.coupon_id, code.batch_id
        );
    }
    for item in &status.set_aside {
        let _ = writeln!(
            text,
            "  set aside from the {} feed: {}: {}",
            item.feed, item.item, item.reason
        );
    }
    text
}

pub fn refund_request_line(request: &RefundRequestView) -> String {
    let decision = match (&request.platform_decision, &request.seller_decision) {
        (Some(decision), _) => format!("decided: {decision}"),
        (None, Some(decision)) => format!(
            "{decision} (upload {})",
            request.decision_upload.as_deref().unwrap_or("pending")
        ),
        (None, None) => "waiting for your decision".to_owned(),
    };
    format!(
        "{}  store {}  payment {} order {}  {} refund  requested {}  {decision}\n",
        request.request_id,
        request.store_id,
        request.payment_id,
        request.order_id,
        request.refund_kind,
        request.requested_at
    )
}

pub fn campaign_results(results: &CampaignResultsView) -> String {
    let mut text = String::new();
    let of = match &results.coupon_id {
        Some(coupon_id) => format!("coupon {coupon_id} of store {}", results.store_id),
        None => format!("store {} (every coupon)", results.store_id),
    };
    if results.channels.is_empty() {
        let _ =
            writeln!(text, "No codes for {of} yet; make some with `sellerdesk codes generate`.");
        return text;
    }
    let name = |channel: &Option<String>| channel.clone().unwrap_or_else(|| "(no channel)".into());
    let _ = writeln!(text, "Campaign results of {of}, as of the last sync:");
    let _ = writeln!(
        text,
        "  {:<16} {:>10} {:>9} {:>8} {:>8} {:>9} {:>8} {:>8} {:>8} {:>9}",
        "channel",
        "generated",
        "exported",
        "claimed",
        "valid",
        "inactive",
        "used",
        "expired",
        "pending",
        "redeemed"
    );
    for channel in &results.channels {
        let codes = &channel.codes;
        let _ = writeln!(
            text,
            "  {:<16} {:>10} {:>9} {:>8} {:>8} {:>9} {:>8} {:>8} {:>8} {:>8}%",
            name(&channel.channel),
            codes.generated,
            codes.exported,
            codes.claimed,
            codes.valid,
            codes.inactive,
            codes.used,
            codes.expired,
            codes.pending,
            channel.redemption_rate
        );
    }
    let _ = writeln!(
        text,
        "  (redeemed: used codes of exported batches per exported code, or per generated code \
         when nothing was exported)"
    );
    if results.days.is_empty() {
        let _ = writeln!(text, "\nNo code has a known day of redemption yet.");
    } else {
        let _ = writeln!(text, "\nRedemptions per day (UTC):");
        let _ = write!(text, "  {:<10}", "day");
        for channel in &results.channels {
            let _ = write!(text, " {:>16}", name(&channel.channel));
        }
        text.push('\n');
        for (index, day) in results.days.iter().enumerate() {
            let _ = write!(text, "  {day:<10}");
            for channel in &results.channels {
                let used = channel.redemptions.get(index).map_or(0, |day| day.used);
                let _ = write!(text, " {used:>16}");
            }
            text.push('\n');
        }
    }
    for channel in &results.channels {
        if channel.earlier_redemptions > 0 {
            let _ = writeln!(
                text,
                "  {}: {} used code(s) before the first day shown (the chart keeps two years)",
                name(&channel.channel),
                channel.earlier_redemptions
            );
        }
        if channel.undated_redemptions > 0 {
            let _ = writeln!(
                text,
                "  {}: {} used code(s) without a known day (their status came down before \
                 Seller Desk kept times)",
                name(&channel.channel),
                channel.undated_redemptions
            );
        }
    }
    text
}
