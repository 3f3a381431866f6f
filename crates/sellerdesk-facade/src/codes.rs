//! Generating a coupon's codes in batches per channel, and checking a typed code.
//!
//! A batch is made and written in one transaction with its outbox entry: all of it or none of it.

use std::ops::ControlFlow;

use sellerdesk_core::codes::{
    self, CheckCharacter, CodeBatchRequest, CodeFormat, CodeFormatRequest,
};
use sellerdesk_core::ids::Channel;
use sellerdesk_core::rules::Reason;
use sellerdesk_core::seller_coupon::CouponState;
use sellerdesk_core::{InputError, RuleId};
use sellerdesk_platform::change::{CodeBatchChange, OutboxChange};
use sellerdesk_platform::connector::Capability;
use sellerdesk_store::{
    BatchUpload, CodeBatchRecord, CouponRecord, NewCodeBatch, OutboxState, Reader,
    StoredCheckCharacter, StoredCodeFormat,
};

use crate::catalog::{parse_coupon_id, parse_store_id};
use crate::views::{
    BatchRegistrationView, CodeBatchView, CodeCheckView, CodeFormatView, CodeSpaceView, RefusalView,
};
use crate::{ErrorCode, FacadeError, SellerDesk};

/// The shortest random part Seller Desk picks on its own when the seller names no length.
const SHORTEST_CHOSEN_LENGTH: u32 = 8;

/// How many codes are written between two progress reports.
const CODES_PER_PROGRESS_STEP: usize = 50_000;

/// A batch of codes as the seller asks for it (also what the window's live hint reads); nothing
/// checked yet.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct GenerateCodesInput {
    pub store_id: String,
    pub coupon_id: String,
    pub count: u32,
    /// The random part's length; `None` picks the shortest safe one (at least 8).
    pub length: Option<u32>,
    pub prefix: String,
    pub suffix: String,
    /// Dashes every this many characters when printed; `None` for no dashes.
    pub group: Option<u32>,
    /// `None` (or nothing but spaces) for the default alphabet without look-alikes.
    pub alphabet: Option<String>,
    pub check_character: CheckCharacterChoice,
    pub channel: Option<String>,
}

/// Whether codes end with a check character.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub enum CheckCharacterChoice {
    #[default]
    Without,
    With,
}

impl CheckCharacterChoice {
    fn as_core(self) -> CheckCharacter {
        match self {
            CheckCharacterChoice::Without => CheckCharacter::None,
            CheckCharacterChoice::With => CheckCharacter::Appended,
        }
    }
}

/// Where a code generation is (the window hears it over a channel).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "stage", rename_all = "snake_case")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub enum GenerationProgress {
    /// The codes are made in memory.
    Generated { codes: u64 },
    /// This many of the batch's codes are written.
    Written { codes: u64, total: u64 },
}

impl SellerDesk {
    /// Makes a batch of codes for a coupon (rules CODES-1, CODES-2, CODES-5) and queues it for
    /// the platform. `progress` hears how far it got.
    pub fn generate_codes(
        &self,
        input: &GenerateCodesInput,
        mut progress: impl FnMut(GenerationProgress),
    ) -> Result<CodeBatchView, FacadeError> {
        self.generate_codes_cancellable(input, |step| {
            progress(step);
            ControlFlow::Continue(())
        })
    }

    /// Like [`SellerDesk::generate_codes`], and `progress` may stop the work by returning
    /// `ControlFlow::Break`: the batch is then refused as `cancelled` and nothing of it is kept
    /// (its transaction is rolled back).
    pub fn generate_codes_cancellable(
        &self,
        input: &GenerateCodesInput,
        progress: impl FnMut(GenerationProgress) -> ControlFlow<()>,
    ) -> Result<CodeBatchView, FacadeError> {
        let _span = tracing::info_span!(
            "generate_codes",
            store = %input.store_id,
            coupon = %input.coupon_id,
            count = input.count
        )
        .entered();
        crate::diagnostics::timed("codes generated", || self.make_codes(input, progress))
    }

    fn make_codes(
        &self,
        input: &GenerateCodesInput,
        mut progress: impl FnMut(GenerationProgress) -> ControlFlow<()>,
    ) -> Result<CodeBatchView, FacadeError> {
        let mut report = |step: GenerationProgress| match progress(step) {
            ControlFlow::Continue(()) => Ok(()),
            ControlFlow::Break(()) => Err(FacadeError::new(
                ErrorCode::Cancelled,
                "the generation was cancelled; no code of the batch was kept".into(),
            )),
        };
        let store_id = parse_store_id(&input.store_id)?;
        let coupon_id = parse_coupon_id(&input.coupon_id)?;
        let channel = input
            .channel
            .as_deref()
            .filter(|text| !text.trim().is_empty())
            .map(|text| Channel::parse("channel", text))
            .transpose()?;
        let now = self.now();
        // A platform whose API registers no code (AliExpress) gets no upload: the codes are the
        // seller's own, to export. A keyring out of reach queues it (the push stage holds it).
        let registers =
            self.reachable_kind(&store_id).is_none_or(|kind| kind.can(Capability::UploadCodes));

        self.store()?.write(|writer| {
            let coupon = writer.reader().coupon(&store_id, &coupon_id)?;
            if coupon.state == CouponState::Stopped || coupon.terms.valid_to() <= now {
                return Err(FacadeError::from(
                    InputError::new(
                        "coupon",
                        RuleId::Codes1,
                        format!("coupon {coupon_id} has ended; it takes no new codes"),
                    )
                    .because(Reason::CouponEnded),
                ));
            }
            let taken = codes_taken(&writer.reader(), &coupon)?;
            let maximum_count = u64::from(coupon.terms.quantity()).saturating_sub(taken.total);
            let maximum_count = u32::try_from(maximum_count).unwrap_or(u32::MAX);

            let (format, live_codes) = choose_format(&writer.reader(), input)?;
            let stored = StoredCodeFormat::from_format(&format);
            let batch = CodeBatchRequest { count: input.count, maximum_count, live_codes }
                .validate(&format)
                .map_err(|error| taken.explain(error))?;

            let generated = batch.generate(&mut rand::rng());
            report(GenerationProgress::Generated { codes: generated.len() as u64 })?;
            // Sorted codes go into the database's b-trees in order, which is much faster.
            let mut sorted: Vec<&str> = generated.iter().collect();
            sorted.sort_unstable();

            let batch_id = writer.insert_code_batch(&NewCodeBatch {
                store_id: store_id.clone(),
                coupon_id: coupon_id.clone(),
                channel: channel.clone(),
                format: stored.clone(),
                created_at: now,
            })?;
            let total = sorted.len() as u64;
            let mut taken = 0_u64;
            let mut written = 0_u64;
            for chunk in sorted.chunks(CODES_PER_PROGRESS_STEP) {
                written += writer.add_codes(batch_id, chunk.iter().copied(), |_| taken += 1)?;
                report(GenerationProgress::Written { codes: written, total })?;
            }
            // Codes another batch or store already holds are made again until they are free.
            let mut random = rand::rng();
            while written < total {
                let replacement = format.generate_one(&mut random);
                written += writer.add_codes(batch_id, [replacement.as_str()], |_| {})?;
            }
            writer.set_batch_code_count(batch_id, total)?;
            let change = OutboxChange::UploadCodeBatch(CodeBatchChange {
                batch_id,
                coupon_id: coupon_id.to_string(),
                channel: channel.as_ref().map(|channel| channel.as_str().to_owned()),
                count: total,
            });
            if registers {
                writer.enqueue(&change.entry(&store_id, now))?;
            }
            report(GenerationProgress::Written { codes: total, total })?;
            let record = writer
                .reader()
                .code_batches(&store_id, &coupon_id)?
                .into_iter()
                .find(|batch| batch.batch_id == batch_id)
                .ok_or_else(|| {
                    FacadeError::new(ErrorCode::Internal, "the new batch vanished".into())
                })?;
            let registration = if registers {
                BatchRegistrationView::Uploading { uploaded: 0 }
            } else {
                BatchRegistrationView::NotRegistered
            };
            Ok(batch_view(&record, taken, registration))
        })
    }

    /// What a batch asked for like `input` would look like, before it is made: the length it
    /// gets, its code space, and the odds that a random guess hits one of the live codes of that
    /// space (CODES-5). A format that breaks a rule is refused as `generate_codes` would refuse
    /// it; a batch too large for its code space is described, with `problem` saying why.
    pub fn code_space_hint(
        &self,
        input: &GenerateCodesInput,
    ) -> Result<CodeSpaceView, FacadeError> {
        let store_id = parse_store_id(&input.store_id)?;
        let coupon_id = parse_coupon_id(&input.coupon_id)?;
        self.store()?.read(|reader| {
            let coupon = reader.coupon(&store_id, &coupon_id)?;
            let codes_left = u64::from(coupon.terms.quantity())
                .saturating_sub(codes_taken(reader, &coupon)?.total);
            let (format, live_codes_now) = choose_format(reader, input)?;
            let live_codes_after = live_codes_now.saturating_add(u64::from(input.count));
            let code_space = format.code_space();
            let problem =
                codes::check_guessability(&format, live_codes_after).err().map(RefusalView::from);
            Ok(CodeSpaceView {
                length: format.length(),
                alphabet_size: format.alphabet().size(),
                code_space: code_space.to_string(),
                live_codes_after,
                guess_one_in: (code_space / u128::from(live_codes_after.max(1))).to_string(),
                example: format.display(&format.generate_one(&mut rand::rng())),
                codes_left,
                problem,
            })
        })
    }

    /// The coupon's batches of codes, oldest first.
    pub fn code_batches(
        &self,
        store_id: &str,
        coupon_id: &str,
    ) -> Result<Vec<CodeBatchView>, FacadeError> {
        let store_id = parse_store_id(store_id)?;
        let coupon_id = parse_coupon_id(coupon_id)?;
        let (batches, uploads) = self.store()?.read(|reader| {
            reader.coupon(&store_id, &coupon_id)?;
            Ok::<_, FacadeError>((
                reader.code_batches(&store_id, &coupon_id)?,
                reader.batch_uploads(&store_id, &coupon_id)?,
            ))
        })?;
        Ok(batches
            .iter()
            .map(|batch| {
                let upload = uploads.iter().find(|upload| upload.batch_id == batch.batch_id);
                batch_view(batch, 0, registration(upload))
            })
            .collect())
    }

    /// Normalises a typed code, verifies its check character and says which coupon it belongs to
    /// and where it stands (CODES-4).
    pub fn check_code(&self, store_id: &str, typed: &str) -> Result<CodeCheckView, FacadeError> {
        let store_id = parse_store_id(store_id)?;
        let normalized = codes::normalize_typed_code(typed);
        if normalized.is_empty() {
            return Err(InputError::new("code", RuleId::Codes4, "type a code")
                .because(Reason::CodeMissing)
                .into());
        }
        self.store()?.read(|reader| {
            let Some(found) = reader.find_code(&store_id, &normalized)? else {
                // A near miss of a code with a check character is a typo, not an unknown code.
                for coupon in reader.coupons(&store_id)? {
                    for batch in reader.code_batches(&store_id, &coupon.coupon_id)? {
                        let Ok(format) = code_format_of(&batch.format) else { continue };
                        if format.check_character() == CheckCharacter::Appended
                            && format.code_chars() == normalized.chars().count()
                            && normalized.starts_with(format.prefix())
                            && normalized.ends_with(format.suffix())
                        {
                            codes::verify_check_character(&format, &normalized)?;
                        }
                    }
                }
                return Err(FacadeError::new(
                    ErrorCode::NotFound,
                    format!("code {normalized} does not exist in store {store_id}"),
                ));
            };
            let format = code_format_of(&found.format)?;
            codes::verify_check_character(&format, &found.code)?;
            let coupon = reader.coupon(&store_id, &found.coupon_id)?;
            Ok(CodeCheckView {
                display: format.display(&found.code),
                normalized: found.code,
                store_id: store_id.to_string(),
                coupon_id: found.coupon_id.to_string(),
                coupon_title: coupon.terms.title().to_owned(),
                batch_id: found.batch_id,
                channel: found.channel.as_ref().map(ToString::to_string),
                status: found.status.map_or("unclaimed", |status| status.as_str()).to_owned(),
            })
        })
    }
}

/// The format a batch gets, and how many live codes its code space holds already: the length
/// asked for, or without one the shortest safe length of at least [`SHORTEST_CHOSEN_LENGTH`],
/// since longer codes are harder to type.
fn choose_format(
    reader: &Reader<'_>,
    input: &GenerateCodesInput,
) -> Result<(CodeFormat, u64), FacadeError> {
    let request_for_length = |length| CodeFormatRequest {
        length,
        prefix: input.prefix.clone(),
        suffix: input.suffix.clone(),
        group: input.group,
        alphabet: input.alphabet.clone().filter(|alphabet| !alphabet.trim().is_empty()),
        check_character: input.check_character.as_core(),
    };
    let live_codes_of =
        |format: &CodeFormat| reader.live_codes_in_space(&StoredCodeFormat::from_format(format));
    if let Some(length) = input.length {
        let format = request_for_length(length).validate()?;
        let live = live_codes_of(&format)?;
        return Ok((format, live));
    }
    let mut length = SHORTEST_CHOSEN_LENGTH;
    loop {
        let format = request_for_length(length).validate()?;
        let live = live_codes_of(&format)?;
        let enough =
            codes::check_guessability(&format, live.saturating_add(u64::from(input.count))).is_ok();
        if enough || length >= codes::LONGEST_LENGTH {
            return Ok((format, live));
        }
        length += 1;
    }
}

/// The format of a stored batch, checked again as it is read back.
pub(crate) fn code_format_of(stored: &StoredCodeFormat) -> Result<CodeFormat, FacadeError> {
    Ok(stored.to_format()?)
}

/// How much of a coupon's quantity its codes take (CODES-1).
struct CodesTaken {
    total: u64,
    /// Codes the platform counted that this desk did not make: a teammate's desk made them.
    elsewhere: u64,
}

impl CodesTaken {
    /// A refusal of the batch's count says that other desks' codes count too.
    fn explain(&self, error: InputError) -> InputError {
        if error.rule != RuleId::Codes1 || self.elsewhere == 0 {
            return error;
        }
        let elsewhere = self.elsewhere;
        let codes = if elsewhere == 1 { "code" } else { "codes" };
        InputError {
            message: format!(
                "{}: {elsewhere} {codes} of it were made on other desks of the store, as the \
                 platform counted at the last sync",
                error.message
            ),
            ..error
        }
        .with("elsewhere", elsewhere)
    }
}

/// What the coupon's codes take of its quantity: this desk's codes or, where the platform counts
/// the coupon's codes from every desk, that count and this desk's codes still to go up,
/// whichever is more (a teammate's codes count as much as this desk's; codes the platform
/// refused for good take none).
fn codes_taken(reader: &Reader<'_>, coupon: &CouponRecord) -> Result<CodesTaken, FacadeError> {
    let here = reader.code_count(&coupon.store_id, &coupon.coupon_id)?;
    let Some(on_platform) = coupon.platform_counts.codes else {
        return Ok(CodesTaken { total: here, elsewhere: 0 });
    };
    let batches = reader.code_batches(&coupon.store_id, &coupon.coupon_id)?;
    let uploads = reader.batch_uploads(&coupon.store_id, &coupon.coupon_id)?;
    // Codes of this desk not on the platform: still to go up, or refused for good.
    let not_up = |state: OutboxState| -> u64 {
        uploads
            .iter()
            .filter(|upload| upload.state == state)
            .filter_map(|upload| {
                let batch = batches.iter().find(|batch| batch.batch_id == upload.batch_id)?;
                Some(batch.code_count.saturating_sub(upload.accepted))
            })
            .sum()
    };
    // This desk's codes that are, or will be, on the platform.
    let ours = here.saturating_sub(not_up(OutboxState::Rejected));
    let counted = on_platform.saturating_add(not_up(OutboxState::Pending));
    Ok(CodesTaken { total: ours.max(counted), elsewhere: counted.saturating_sub(ours) })
}

/// Where a batch stands on the platform, from its upload (none: it was never queued, as its
/// platform registers no codes).
fn registration(upload: Option<&BatchUpload>) -> BatchRegistrationView {
    let Some(upload) = upload else {
        return BatchRegistrationView::NotRegistered;
    };
    match upload.state {
        OutboxState::Pending => BatchRegistrationView::Uploading { uploaded: upload.accepted },
        OutboxState::Sent => BatchRegistrationView::Registered,
        OutboxState::Rejected => BatchRegistrationView::Refused {
            uploaded: upload.accepted,
            reason: upload.refusal.clone().unwrap_or_default(),
        },
    }
}

fn batch_view(
    batch: &CodeBatchRecord,
    regenerated_after_collision: u64,
    registration: BatchRegistrationView,
) -> CodeBatchView {
    CodeBatchView {
        batch_id: batch.batch_id,
        store_id: batch.store_id.to_string(),
        coupon_id: batch.coupon_id.to_string(),
        channel: batch.channel.as_ref().map(ToString::to_string),
        code_count: batch.code_count,
        format: CodeFormatView {
            length: batch.format.random_length,
            prefix: batch.format.prefix.clone(),
            suffix: batch.format.suffix.clone(),
            group: batch.format.group_size,
            alphabet: batch.format.alphabet.clone(),
            check_character: batch.format.check_character == StoredCheckCharacter::Appended,
        },
        created_at: batch.created_at.to_string(),
        first_exported_at: batch.first_exported_at.map(|at| at.to_string()),
        regenerated_after_collision,
        registration,
    }
}
