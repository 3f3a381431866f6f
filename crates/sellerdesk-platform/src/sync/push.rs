//! The push stage: the store's pending outbox entries, in order, each sent with its mutation id.

use std::collections::HashSet;

use sellerdesk_core::Timestamp;
use sellerdesk_core::codes::CodeFormat;
use sellerdesk_core::ids::{CouponId, StoreId};
use sellerdesk_store::{
    CodeBatchRecord, CodeChunkAdvance, CodeChunkSource, CodeInsertion, OutboxRecord, OutboxState,
    PlatformRefusal, StoreError, Transition, Writer,
};

use super::{
    LONGEST_PLATFORM_CODE, LONGEST_PLATFORM_TEXT, Session, SyncError, UploadProgress, capped,
    chunk_mutation_id, incoming, off_async,
};
use crate::api::{
    CouponTerms, CreateCouponRequest, DecideRefundRequest, RetitleCouponRequest, StopCouponRequest,
    UploadCodesRequest, UploadCodesResult, methods,
};
use crate::change::{CodeBatchChange, OutboxChange, RefundDecisionChange, coupon_terms};
use crate::platform_api::{CallError, CodeBatchContext, PlatformApi};

/// How many times a replacement code is drawn before giving up (each draw almost always succeeds).
const REPLACEMENT_DRAWS: usize = 1_000;

/// What became of one outbox entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EntryOutcome {
    Sent,
    Rejected,
    /// Left pending without being sent, with the reason recorded on the entry.
    Held,
    /// Another process finished it meanwhile.
    AlreadyDone,
}

/// Sends the store's pending entries in order. Refused entries are kept and the push goes on; an
/// entry that cannot be sent now stops the push, so that later entries never overtake it.
pub(super) async fn push<P: PlatformApi>(session: &mut Session<'_, P>) -> Result<(), SyncError> {
    let store_id = session.store_id;
    let entries = off_async(|| {
        session.store.read(|reader| reader.outbox_entries(store_id, OutboxState::Pending))
    })?;
    for entry in entries {
        let change = match OutboxChange::read(&entry) {
            Ok(change) => change,
            Err(why) => {
                let message = format!("this version of Seller Desk cannot send this change: {why}");
                hold(session, &entry, &message)?;
                session.report.held += 1;
                continue;
            }
        };
        let kind = session.platform.kind();
        let needs = change.needs();
        if !kind.can(needs) {
            let message = format!(
                "{} has no way to {} through its API; the change stays in Seller Desk",
                kind.shown_name(),
                needs.described()
            );
            hold(session, &entry, &message)?;
            session.report.held += 1;
            continue;
        }
        let outcome = match change {
            OutboxChange::CreateCoupon(terms) => push_create_coupon(session, &entry, terms).await?,
            OutboxChange::StopCoupon(terms) => push_stop_coupon(session, &entry, terms).await?,
            OutboxChange::UploadCodeBatch(batch) => push_code_batch(session, &entry, batch).await?,
            OutboxChange::DecideRefund(decision) => {
                push_refund_decision(session, &entry, decision).await?
            }
            OutboxChange::UpdateCouponTitle(terms) => {
                push_retitle_coupon(session, &entry, terms).await?
            }
        };
        let report = &mut session.report;
        match outcome {
            EntryOutcome::Sent => report.sent += 1,
            EntryOutcome::Rejected => report.rejected += 1,
            EntryOutcome::Held => report.held += 1,
            EntryOutcome::AlreadyDone => {}
        }
    }
    Ok(())
}

async fn push_create_coupon<P: PlatformApi>(
    session: &mut Session<'_, P>,
    entry: &OutboxRecord,
    terms: CouponTerms,
) -> Result<EntryOutcome, SyncError> {
    let Some(coupon_id) = read_coupon_id(session, entry, &terms.coupon_id)? else {
        return Ok(EntryOutcome::Held);
    };
    let request = CreateCouponRequest { mutation_id: entry.mutation_id.clone(), coupon: terms };
    let platform = session.platform;
    let answer = session
        .call_with_retries(methods::COUPON_CREATE, Some(entry.sequence), || {
            platform.create_coupon(&request)
        })
        .await?;
    let store_id = session.store_id;
    match answer {
        Ok(result) => {
            if result.coupon_id != request.coupon.coupon_id || result.state != "published" {
                let message = format!(
                    "expected coupon {} published, got coupon {} in state \"{}\"",
                    request.coupon.coupon_id, result.coupon_id, result.state
                );
                return stop_on_bad_result(session, entry, methods::COUPON_CREATE, message);
            }
            finish(session, entry, |writer, now| {
                writer.publish_pending_coupon(store_id, &coupon_id, now).map(drop)
            })
        }
        Err(error) => refuse_or_stop(session, entry, error, |writer, refusal, now| {
            writer.reject_pending_coupon(store_id, &coupon_id, &refusal.message, now).map(drop)
        }),
    }
}

async fn push_stop_coupon<P: PlatformApi>(
    session: &mut Session<'_, P>,
    entry: &OutboxRecord,
    terms: CouponTerms,
) -> Result<EntryOutcome, SyncError> {
    let request = StopCouponRequest {
        mutation_id: entry.mutation_id.clone(),
        coupon_id: terms.coupon_id,
        // A stopped coupon's validity ends when it was stopped.
        stopped_at: terms.valid_to,
    };
    let platform = session.platform;
    let answer = session
        .call_with_retries(methods::COUPON_STOP, Some(entry.sequence), || {
            platform.stop_coupon(&request)
        })
        .await?;
    match answer {
        Ok(result) => {
            if result.coupon_id != request.coupon_id || result.state != "stopped" {
                let message = format!(
                    "expected coupon {} stopped, got coupon {} in state \"{}\"",
                    request.coupon_id, result.coupon_id, result.state
                );
                return stop_on_bad_result(session, entry, methods::COUPON_STOP, message);
            }
            finish(session, entry, |_, _| Ok(()))
        }
        Err(error) => refuse_or_stop(session, entry, error, |_, _, _| Ok(())),
    }
}

async fn push_retitle_coupon<P: PlatformApi>(
    session: &mut Session<'_, P>,
    entry: &OutboxRecord,
    terms: CouponTerms,
) -> Result<EntryOutcome, SyncError> {
    let request = RetitleCouponRequest {
        mutation_id: entry.mutation_id.clone(),
        coupon_id: terms.coupon_id,
        title: terms.title,
    };
    let platform = session.platform;
    let answer = session
        .call_with_retries(methods::COUPON_RETITLE, Some(entry.sequence), || {
            platform.retitle_coupon(&request)
        })
        .await?;
    match answer {
        Ok(result) => {
            if result.coupon_id != request.coupon_id || result.title != request.title {
                let message = format!(
                    "expected coupon {} titled \"{}\", got coupon {} titled \"{}\"",
                    request.coupon_id, request.title, result.coupon_id, result.title
                );
                return stop_on_bad_result(session, entry, methods::COUPON_RETITLE, message);
            }
            finish(session, entry, |_, _| Ok(()))
        }
        Err(error) => refuse_or_stop(session, entry, error, |_, _, _| Ok(())),
    }
}

async fn push_refund_decision<P: PlatformApi>(
    session: &mut Session<'_, P>,
    entry: &OutboxRecord,
    payload: RefundDecisionChange,
) -> Result<EntryOutcome, SyncError> {
    let request = DecideRefundRequest {
        mutation_id: entry.mutation_id.clone(),
        request_id: payload.request_id,
        decision: payload.decision,
        reason: payload.reason,
    };
    let platform = session.platform;
    let answer = session
        .call_with_retries(methods::REFUND_DECIDE, Some(entry.sequence), || {
            platform.decide_refund(&request)
        })
        .await?;
    let store_id = session.store_id;
    let request_id = request.request_id.as_str();
    match answer {
        Ok(result) => {
            if result.request_id != request.request_id || result.decision != request.decision {
                let message = format!(
                    "expected refund request {} decided {:?}, got {} decided {:?}",
                    request.request_id, request.decision, result.request_id, result.decision
                );
                return stop_on_bad_result(session, entry, methods::REFUND_DECIDE, message);
            }
            let decided_at = match incoming::timestamp(
                methods::REFUND_DECIDE,
                "the decision",
                "decided_at",
                &result.decided_at,
            ) {
                Ok(decided_at) => decided_at,
                Err(CallError::BadResponse { message, .. }) => {
                    return stop_on_bad_result(session, entry, methods::REFUND_DECIDE, message);
                }
                Err(error) => return Err(stop(entry, error)),
            };
            let decision = incoming::refund_decision(request.decision);
            finish(session, entry, |writer, now| {
                writer
                    .mark_refund_decision_sent(store_id, request_id, decision, decided_at, now)
                    .map(drop)
            })
        }
        Err(error) => refuse_or_stop(session, entry, error, |writer, refusal, now| {
            writer
                .mark_refund_decision_rejected(store_id, request_id, &refusal.message, now)
                .map(drop)
        }),
    }
}

/// One chunk of a batch's upload.
#[derive(Debug)]
struct Chunk {
    index: u32,
    source: ChunkSource,
    codes: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ChunkSource {
    OrderedPass,
    Reuploads,
}

/// Uploads a batch's codes in chunks of at most 1,000, chunk `n` with the mutation id
/// `{mutation_id}-{n}`. Progress is stored as each chunk is acknowledged, so a chunk sent again
/// (after a lost answer or a crash) carries the same codes under the same id.
async fn push_code_batch<P: PlatformApi>(
    session: &mut Session<'_, P>,
    entry: &OutboxRecord,
    payload: CodeBatchChange,
) -> Result<EntryOutcome, SyncError> {
    let Some(coupon_id) = read_coupon_id(session, entry, &payload.coupon_id)? else {
        return Ok(EntryOutcome::Held);
    };
    let store_id = session.store_id;
    let batch = off_async(|| {
        session.store.read(|reader| {
            Ok::<_, StoreError>(
                reader
                    .code_batches(store_id, &coupon_id)?
                    .into_iter()
                    .find(|batch| batch.batch_id == payload.batch_id),
            )
        })
    })?;
    let Some(batch) = batch else {
        return hold(
            session,
            entry,
            &format!("batch {} of coupon {coupon_id} is not in this database", payload.batch_id),
        );
    };
    let coupon = coupon_terms(&off_async(|| {
        session.store.read(|reader| reader.coupon(store_id, &coupon_id))
    })?);
    let format = match incoming::code_format(&batch.format) {
        Ok(format) => format,
        Err(message) => {
            return hold(
                session,
                entry,
                &format!("the code format of batch {} cannot be read: {message}", batch.batch_id),
            );
        }
    };
    let sequence = entry.sequence;
    let chunk_size = session.platform.kind().codes_per_upload();
    // Where the upload starts (a resumed one has codes up already), before the first chunk.
    tell_upload_progress(session, sequence, &batch)?;
    loop {
        let chunk = off_async(|| {
            session.store.read(|reader| {
                let progress = reader.code_upload_progress(sequence)?;
                let ordered = reader.batch_codes_after(
                    batch.batch_id,
                    progress.last_code.as_deref(),
                    chunk_size,
                )?;
                if !ordered.is_empty() {
                    return Ok::<_, StoreError>(Some(Chunk {
                        index: progress.next_chunk,
                        source: ChunkSource::OrderedPass,
                        codes: ordered,
                    }));
                }
                let reuploads = reader.code_reuploads(sequence, chunk_size)?;
                Ok((!reuploads.is_empty()).then_some(Chunk {
                    index: progress.next_chunk,
                    source: ChunkSource::Reuploads,
                    codes: reuploads,
                }))
            })
        })?;
        let Some(chunk) = chunk else {
            return finish(session, entry, |_, _| Ok(()));
        };
        let request = UploadCodesRequest {
            mutation_id: chunk_mutation_id(&entry.mutation_id, chunk.index),
            coupon_id: coupon_id.to_string(),
            batch_id: batch.batch_id,
            channel: payload.channel.clone(),
            codes: chunk.codes,
        };
        let platform = session.platform;
        let context = CodeBatchContext { coupon: &coupon, format: &format };
        let answer = session
            .call_with_retries(methods::CODES_UPLOAD, Some(sequence), || {
                platform.upload_codes(&request, &context)
            })
            .await?;
        let result = match answer {
            Ok(result) => result,
            Err(error) => return refuse_or_stop(session, entry, error, |_, _, _| Ok(())),
        };
        if let Err(message) = check_upload_result(&request.codes, &result) {
            return stop_on_bad_result(session, entry, methods::CODES_UPLOAD, message);
        }
        let applied = off_async(|| {
            session.store.write(|writer| {
                apply_chunk_answer(
                    writer,
                    &ChunkAnswer {
                        store_id,
                        sequence,
                        batch: &batch,
                        format: &format,
                        index: chunk.index,
                        source: chunk.source,
                        codes: &request.codes,
                        result: &result,
                    },
                )
            })
        })?;
        if let Some(applied) = applied {
            let report = &mut session.report;
            report.codes_uploaded += u64::from(result.accepted);
            report.codes_regenerated += applied.regenerated;
            report.codes_withdrawn += applied.withdrawn;
        }
        tell_upload_progress(session, sequence, &batch)?;
    }
}

/// Tells the session's listener how many codes of `batch` the platform has.
fn tell_upload_progress(
    session: &Session<'_, impl PlatformApi>,
    sequence: i64,
    batch: &CodeBatchRecord,
) -> Result<(), SyncError> {
    let progress =
        off_async(|| session.store.read(|reader| reader.code_upload_progress(sequence)))?;
    (session.on_upload)(&UploadProgress {
        store_id: session.store_id.clone(),
        batch_id: batch.batch_id,
        uploaded: progress.accepted.min(batch.code_count),
        total: batch.code_count,
    });
    Ok(())
}

/// The platform's answer must account for every code of the chunk: accepted, or reported taken.
fn check_upload_result(codes: &[String], result: &UploadCodesResult) -> Result<(), String> {
    let sent: HashSet<&str> = codes.iter().map(String::as_str).collect();
    let mut taken = HashSet::new();
    for code in &result.taken {
        if !sent.contains(code.as_str()) {
            return Err(format!("it reports the code {code} as taken, which was not sent"));
        }
        if !taken.insert(code.as_str()) {
            return Err(format!("it reports the code {code} as taken twice"));
        }
    }
    let accounted = u64::from(result.accepted) + taken.len() as u64;
    if accounted != codes.len() as u64 {
        return Err(format!(
            "{} codes were sent, but it accepted {} and reported {} taken",
            codes.len(),
            result.accepted,
            taken.len()
        ));
    }
    Ok(())
}

/// An acknowledged chunk, to apply.
struct ChunkAnswer<'a> {
    store_id: &'a StoreId,
    sequence: i64,
    batch: &'a CodeBatchRecord,
    format: &'a CodeFormat,
    index: u32,
    source: ChunkSource,
    codes: &'a [String],
    result: &'a UploadCodesResult,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct AppliedChunk {
    regenerated: u64,
    withdrawn: u64,
}

/// Applies a chunk's answer in the caller's transaction: taken codes of a batch never exported
/// are made again (and queued for upload), taken codes of an exported batch are recorded for the
/// seller to withdraw, and the progress advances. Returns `None`, changing nothing, when another
/// process applied this chunk already.
fn apply_chunk_answer(
    writer: &mut Writer<'_>,
    answer: &ChunkAnswer<'_>,
) -> Result<Option<AppliedChunk>, StoreError> {
    let progress = writer.reader().code_upload_progress(answer.sequence)?;
    if progress.next_chunk != answer.index {
        return Ok(None);
    }
    let store_id = answer.store_id;
    // Read the batch again inside this transaction: it may have been exported since the chunk
    // was sent.
    let exported = writer
        .reader()
        .code_batches(store_id, &answer.batch.coupon_id)?
        .into_iter()
        .find(|batch| batch.batch_id == answer.batch.batch_id)
        .is_some_and(|batch| batch.first_exported_at.is_some());
    let last_code_after = match answer.source {
        ChunkSource::OrderedPass => answer.codes.last().cloned(),
        ChunkSource::Reuploads => progress.last_code.clone(),
    };
    let now = Timestamp::now();
    let mut applied = AppliedChunk { regenerated: 0, withdrawn: 0 };
    let mut random = rand::rng();
    for code in &answer.result.taken {
        if exported {
            writer.record_withdrawn_code(store_id, code, now)?;
            applied.withdrawn += 1;
            continue;
        }
        let mut replacement = None;
        for _ in 0..REPLACEMENT_DRAWS {
            let candidate = answer.format.generate_one(&mut random);
            if writer.replace_code(answer.batch.batch_id, code, &candidate)? == CodeInsertion::Added
            {
                replacement = Some(candidate);
                break;
            }
        }
        let Some(replacement) = replacement else {
            return Err(StoreError::AlreadyExists {
                what: format!(
                    "every replacement drawn for code {code} of batch {}",
                    answer.batch.batch_id
                ),
            });
        };
        // A replacement after the ordered pass's position is picked up by the pass itself;
        // one before it goes up in the chunks that follow the pass.
        if last_code_after.as_deref().is_some_and(|last| replacement.as_str() <= last) {
            writer.queue_code_reupload(answer.sequence, &replacement)?;
        }
        applied.regenerated += 1;
    }
    let source = match answer.source {
        ChunkSource::OrderedPass => CodeChunkSource::OrderedPass {
            last_code: answer.codes.last().map(String::as_str).unwrap_or_default(),
        },
        ChunkSource::Reuploads => CodeChunkSource::Reuploads { codes: answer.codes },
    };
    let advanced = writer.advance_code_upload(
        answer.sequence,
        &CodeChunkAdvance {
            chunk_index: answer.index,
            source,
            accepted: u64::from(answer.result.accepted),
            regenerated: applied.regenerated,
            withdrawn: applied.withdrawn,
        },
    )?;
    Ok((advanced == Transition::Made).then_some(applied))
}

fn read_coupon_id<P: PlatformApi>(
    session: &mut Session<'_, P>,
    entry: &OutboxRecord,
    text: &str,
) -> Result<Option<CouponId>, SyncError> {
    match CouponId::parse("coupon_id", text) {
        Ok(coupon_id) => Ok(Some(coupon_id)),
        Err(error) => {
            hold(session, entry, &format!("Seller Desk cannot read this change: {error}"))?;
            Ok(None)
        }
    }
}

/// Leaves an entry pending without sending it, saying why.
fn hold<P: PlatformApi>(
    session: &mut Session<'_, P>,
    entry: &OutboxRecord,
    reason: &str,
) -> Result<EntryOutcome, SyncError> {
    off_async(|| session.store.write(|writer| writer.hold_outbox_entry(entry.sequence, reason)))?;
    Ok(EntryOutcome::Held)
}

/// Marks an entry sent together with what its success changes locally.
fn finish<P: PlatformApi>(
    session: &mut Session<'_, P>,
    entry: &OutboxRecord,
    also: impl FnOnce(&mut Writer<'_>, Timestamp) -> Result<(), StoreError>,
) -> Result<EntryOutcome, SyncError> {
    let now = Timestamp::now();
    let transition = off_async(|| {
        session.store.write(|writer| {
            let transition = writer.mark_outbox_sent(entry.sequence, now)?;
            if transition == Transition::Made {
                also(writer, now)?;
            }
            Ok::<_, StoreError>(transition)
        })
    })?;
    Ok(match transition {
        Transition::Made => EntryOutcome::Sent,
        Transition::AlreadyMade => EntryOutcome::AlreadyDone,
    })
}

/// A refusal of the change itself keeps the entry as rejected with the platform's reason (and
/// applies `also`); any other failure stops the push, leaving the entry pending.
fn refuse_or_stop<P: PlatformApi>(
    session: &mut Session<'_, P>,
    entry: &OutboxRecord,
    error: CallError,
    also: impl FnOnce(&mut Writer<'_>, &PlatformRefusal, Timestamp) -> Result<(), StoreError>,
) -> Result<EntryOutcome, SyncError> {
    let Some((code, message)) = error.change_refusal() else {
        return Err(stop(entry, error));
    };
    // The platform sizes its words: they are cut before they are stored or shown.
    let refusal = PlatformRefusal {
        code: capped(code, LONGEST_PLATFORM_CODE),
        message: capped(message, LONGEST_PLATFORM_TEXT),
    };
    let now = Timestamp::now();
    let transition = off_async(|| {
        session.store.write(|writer| {
            let transition = writer.mark_outbox_rejected(entry.sequence, &refusal, now)?;
            if transition == Transition::Made {
                also(writer, &refusal, now)?;
            }
            Ok::<_, StoreError>(transition)
        })
    })?;
    Ok(match transition {
        Transition::Made => EntryOutcome::Rejected,
        Transition::AlreadyMade => EntryOutcome::AlreadyDone,
    })
}

/// An answer that cannot be used: recorded on the entry, which stays pending, and the push stops.
fn stop_on_bad_result<P: PlatformApi>(
    session: &mut Session<'_, P>,
    entry: &OutboxRecord,
    method: &str,
    message: String,
) -> Result<EntryOutcome, SyncError> {
    let error = CallError::BadResponse { method: method.to_owned(), message };
    let text = error.to_string();
    off_async(|| {
        session.store.write(|writer| writer.record_outbox_failure(entry.sequence, &text))
    })?;
    Err(stop(entry, error))
}

fn stop(entry: &OutboxRecord, error: CallError) -> SyncError {
    SyncError::Platform {
        during: format!("sending change {} ({})", entry.sequence, entry.kind),
        error,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(texts: &[&str]) -> Vec<String> {
        texts.iter().map(|text| (*text).to_owned()).collect()
    }

    #[test]
    fn upload_answers_must_account_for_every_code() {
        let sent = codes(&["A1", "B2", "C3"]);
        let answer =
            |accepted: u32, taken: &[&str]| UploadCodesResult { accepted, taken: codes(taken) };
        assert_eq!(check_upload_result(&sent, &answer(3, &[])), Ok(()));
        assert_eq!(check_upload_result(&sent, &answer(2, &["B2"])), Ok(()));
        assert!(check_upload_result(&sent, &answer(2, &[])).unwrap_err().contains("accepted 2"));
        assert!(check_upload_result(&sent, &answer(2, &["Z9"])).unwrap_err().contains("not sent"));
        assert!(
            check_upload_result(&sent, &answer(1, &["B2", "B2"])).unwrap_err().contains("twice")
        );
    }
}
