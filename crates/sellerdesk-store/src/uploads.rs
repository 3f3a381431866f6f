//! Chunked code uploads: how far each batch's upload got, the codes of its next chunk, the
//! replacements of codes another seller holds on the platform, and the codes of exported batches
//! the seller must withdraw.

use rusqlite::{OptionalExtension, params};
use sellerdesk_core::Timestamp;
use sellerdesk_core::ids::{CouponId, StoreId};

use crate::error::StoreError;
use crate::outbox::{OutboxState, Transition, transition};
use crate::reader::{Reader, parse_coupon_id, parse_timestamp};
use crate::writer::{CodeInsertion, Writer};

/// How far the upload of a batch's codes got.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CodeUploadProgress {
    /// The index of the next chunk to send.
    pub next_chunk: u32,
    /// The last code of the ordered pass that the platform has; `None` before the first chunk.
    pub last_code: Option<String>,
    pub accepted: u64,
    pub regenerated: u64,
    pub withdrawn: u64,
}

/// Which codes a chunk of an upload carried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeChunkSource<'a> {
    /// The next codes of the batch in code order; the chunk ended with `last_code`.
    OrderedPass { last_code: &'a str },
    /// Replacement codes queued with [`Writer::queue_code_reupload`]; these are now up.
    Reuploads { codes: &'a [String] },
}

/// What one acknowledged chunk of an upload changes in its progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeChunkAdvance<'a> {
    /// The chunk that was acknowledged: progress advances only if it is still the next one.
    pub chunk_index: u32,
    pub source: CodeChunkSource<'a>,
    pub accepted: u64,
    pub regenerated: u64,
    pub withdrawn: u64,
}

/// A code of an exported batch that another seller holds on the platform: the seller must
/// withdraw it from wherever the batch went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WithdrawnCode {
    pub code: String,
    pub coupon_id: CouponId,
    pub batch_id: i64,
    pub reported_at: Timestamp,
}

/// Where the upload of one batch of codes stands: its outbox entry's state, how many of its codes
/// the platform took so far, and the platform's refusal when it refused them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchUpload {
    pub batch_id: i64,
    pub state: OutboxState,
    pub accepted: u64,
    pub refusal: Option<String>,
}

/// A batch whose upload the platform refused: its outbox entry, and the last code of the last
/// chunk the platform took (codes are sent in code order), if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RefusedUpload {
    pub(crate) sequence: i64,
    pub(crate) last_code: Option<String>,
}

impl Reader<'_> {
    /// The refused upload of a batch, when its latest upload was refused.
    pub(crate) fn refused_upload(
        &self,
        batch_id: i64,
    ) -> Result<Option<RefusedUpload>, StoreError> {
        self.connection
            .prepare_cached(
                "SELECT o.sequence, o.state, u.last_code FROM outbox o \
                 JOIN code_batches b ON b.store_id = o.store_id AND b.batch_id = ?1 \
                 LEFT JOIN code_uploads u ON u.sequence = o.sequence \
                 WHERE o.kind = 'upload_code_batch' AND o.subject_id = CAST(?1 AS TEXT) \
                 ORDER BY o.sequence DESC LIMIT 1",
            )
            .and_then(|mut statement| {
                statement
                    .query_row(params![batch_id], |row| {
                        Ok((
                            row.get::<_, i64>(0)?,
                            row.get::<_, String>(1)?,
                            row.get::<_, Option<String>>(2)?,
                        ))
                    })
                    .optional()
            })
            .map(|found| {
                found
                    .filter(|(_, state, _)| state == OutboxState::Rejected.as_str())
                    .map(|(sequence, _, last_code)| RefusedUpload { sequence, last_code })
            })
            .map_err(|error| self.sql_error(error))
    }

    /// The uploads of the coupon's batches, in batch order, the latest entry of each. A batch
    /// never queued (its platform registers no codes) has none.
    pub fn batch_uploads(
        &self,
        store_id: &StoreId,
        coupon_id: &CouponId,
    ) -> Result<Vec<BatchUpload>, StoreError> {
        let mut statement = self
            .connection
            .prepare_cached(
                "SELECT b.batch_id, o.state, coalesce(u.accepted, 0), o.last_error \
                 FROM code_batches b \
                 JOIN outbox o ON o.store_id = b.store_id AND o.kind = 'upload_code_batch' \
                   AND o.subject_id = CAST(b.batch_id AS TEXT) \
                 LEFT JOIN code_uploads u ON u.sequence = o.sequence \
                 WHERE b.store_id = ?1 AND b.coupon_id = ?2 ORDER BY b.batch_id, o.sequence",
            )
            .map_err(|error| self.sql_error(error))?;
        let rows = statement
            .query_map(params![store_id.as_str(), coupon_id.as_str()], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, i64>(2)?,
                    row.get::<_, Option<String>>(3)?,
                ))
            })
            .map_err(|error| self.sql_error(error))?;
        let mut uploads: Vec<BatchUpload> = Vec::new();
        for row in rows {
            let (batch_id, state, accepted, last_error) =
                row.map_err(|error| self.sql_error(error))?;
            let state = OutboxState::parse(&state)
                .ok_or_else(|| self.unreadable(format!("outbox state {state}")))?;
            let upload = BatchUpload {
                batch_id,
                state,
                accepted: u64::try_from(accepted).unwrap_or_default(),
                refusal: (state == OutboxState::Rejected).then_some(last_error).flatten(),
            };
            // A batch sent again after a refusal has a later entry: that one says where it stands.
            match uploads.last_mut() {
                Some(last) if last.batch_id == batch_id => *last = upload,
                _ => uploads.push(upload),
            }
        }
        Ok(uploads)
    }

    /// How far the upload of the codes of outbox entry `sequence` got.
    pub fn code_upload_progress(&self, sequence: i64) -> Result<CodeUploadProgress, StoreError> {
        let found = self
            .connection
            .prepare_cached(
                "SELECT next_chunk, last_code, accepted, regenerated, withdrawn FROM code_uploads \
                 WHERE sequence = ?1",
            )
            .and_then(|mut statement| {
                statement
                    .query_row(params![sequence], |row| {
                        Ok((
                            row.get::<_, i64>(0)?,
                            row.get::<_, Option<String>>(1)?,
                            row.get::<_, i64>(2)?,
                            row.get::<_, i64>(3)?,
                            row.get::<_, i64>(4)?,
                        ))
                    })
                    .optional()
            })
            .map_err(|error| self.sql_error(error))?;
        let Some((next_chunk, last_code, accepted, regenerated, withdrawn)) = found else {
            return Ok(CodeUploadProgress::default());
        };
        Ok(CodeUploadProgress {
            next_chunk: u32::try_from(next_chunk).map_err(|_| StoreError::UnreadableValue {
                path: self.path.to_owned(),
                message: format!("chunk index {next_chunk}"),
            })?,
            last_code,
            accepted: u64::try_from(accepted).unwrap_or_default(),
            regenerated: u64::try_from(regenerated).unwrap_or_default(),
            withdrawn: u64::try_from(withdrawn).unwrap_or_default(),
        })
    }

    /// Up to `limit` codes of the batch that sort after `after` (all when `None`), in code order.
    pub fn batch_codes_after(
        &self,
        batch_id: i64,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Vec<String>, StoreError> {
        let mut statement = self
            .connection
            .prepare_cached(
                "SELECT code FROM codes WHERE batch_id = ?1 AND (?2 IS NULL OR code > ?2) \
                 ORDER BY code LIMIT ?3",
            )
            .map_err(|error| self.sql_error(error))?;
        let rows = statement
            .query_map(params![batch_id, after, i64::try_from(limit).unwrap_or(i64::MAX)], |row| {
                row.get::<_, String>(0)
            })
            .map_err(|error| self.sql_error(error))?;
        rows.collect::<Result<Vec<_>, _>>().map_err(|error| self.sql_error(error))
    }

    /// Up to `limit` replacement codes of outbox entry `sequence` still to upload, in code order.
    pub fn code_reuploads(&self, sequence: i64, limit: usize) -> Result<Vec<String>, StoreError> {
        let mut statement = self
            .connection
            .prepare_cached(
                "SELECT code FROM code_reuploads WHERE sequence = ?1 ORDER BY code LIMIT ?2",
            )
            .map_err(|error| self.sql_error(error))?;
        let rows = statement
            .query_map(params![sequence, i64::try_from(limit).unwrap_or(i64::MAX)], |row| {
                row.get::<_, String>(0)
            })
            .map_err(|error| self.sql_error(error))?;
        rows.collect::<Result<Vec<_>, _>>().map_err(|error| self.sql_error(error))
    }

    /// The codes the seller must withdraw, by coupon and code.
    pub fn withdrawn_codes(&self, store_id: &StoreId) -> Result<Vec<WithdrawnCode>, StoreError> {
        let mut statement = self
            .connection
            .prepare_cached(
                "SELECT code, coupon_id, batch_id, reported_at FROM withdrawn_codes \
                 WHERE store_id = ?1 ORDER BY coupon_id, code",
            )
            .map_err(|error| self.sql_error(error))?;
        let rows = statement
            .query_map(params![store_id.as_str()], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, i64>(2)?,
                    row.get::<_, String>(3)?,
                ))
            })
            .map_err(|error| self.sql_error(error))?;
        let mut codes = Vec::new();
        for row in rows {
            let (code, coupon_id, batch_id, reported_at) =
                row.map_err(|error| self.sql_error(error))?;
            codes.push(WithdrawnCode {
                code,
                coupon_id: parse_coupon_id(self.path, &coupon_id)?,
                batch_id,
                reported_at: parse_timestamp(self.path, &reported_at)?,
            });
        }
        Ok(codes)
    }
}

impl Writer<'_> {
    /// Advances the upload progress of outbox entry `sequence` past an acknowledged chunk, unless
    /// another process already did (then nothing changes and [`Transition::AlreadyMade`] says so).
    pub fn advance_code_upload(
        &mut self,
        sequence: i64,
        advance: &CodeChunkAdvance<'_>,
    ) -> Result<Transition, StoreError> {
        let current = self.reader().code_upload_progress(sequence)?;
        if current.next_chunk != advance.chunk_index {
            return Ok(Transition::AlreadyMade);
        }
        let last_code = match advance.source {
            CodeChunkSource::OrderedPass { last_code } => Some(last_code.to_owned()),
            CodeChunkSource::Reuploads { codes } => {
                for code in codes {
                    self.execute(
                        "DELETE FROM code_reuploads WHERE sequence = ?1 AND code = ?2",
                        params![sequence, code],
                    )?;
                }
                current.last_code
            }
        };
        let count = |value: u64| i64::try_from(value).unwrap_or(i64::MAX);
        self.execute(
            "INSERT INTO code_uploads (sequence, next_chunk, last_code, accepted, regenerated, withdrawn) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
             ON CONFLICT (sequence) DO UPDATE SET next_chunk = excluded.next_chunk, \
               last_code = excluded.last_code, accepted = accepted + excluded.accepted, \
               regenerated = regenerated + excluded.regenerated, \
               withdrawn = withdrawn + excluded.withdrawn",
            params![
                sequence,
                i64::from(advance.chunk_index) + 1,
                last_code,
                count(advance.accepted),
                count(advance.regenerated),
                count(advance.withdrawn),
            ],
        )?;
        Ok(Transition::Made)
    }

    /// Replaces a code of a batch with a new one (a code that the platform said another seller
    /// holds). Reports [`CodeInsertion::AlreadyTaken`], changing nothing, when the new code is
    /// already in the database; the caller then makes another one.
    pub fn replace_code(
        &mut self,
        batch_id: i64,
        old_code: &str,
        new_code: &str,
    ) -> Result<CodeInsertion, StoreError> {
        let added = self.execute(
            "INSERT INTO codes (code, batch_id) VALUES (?1, ?2) ON CONFLICT (code) DO NOTHING",
            params![new_code, batch_id],
        )?;
        if added == 0 {
            return Ok(CodeInsertion::AlreadyTaken);
        }
        let removed = self.execute(
            "DELETE FROM codes WHERE code = ?1 AND batch_id = ?2",
            params![old_code, batch_id],
        )?;
        if removed == 0 {
            return Err(StoreError::NotFound {
                what: format!("code {old_code} of batch {batch_id}"),
            });
        }
        Ok(CodeInsertion::Added)
    }

    /// Queues a replacement code of outbox entry `sequence` for upload after the ordered pass.
    pub fn queue_code_reupload(&mut self, sequence: i64, code: &str) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO code_reuploads (sequence, code) VALUES (?1, ?2) \
             ON CONFLICT (sequence, code) DO NOTHING",
            params![sequence, code],
        )?;
        Ok(())
    }

    /// Records that the seller must withdraw one of the store's codes.
    pub fn record_withdrawn_code(
        &mut self,
        store_id: &StoreId,
        code: &str,
        now: Timestamp,
    ) -> Result<Transition, StoreError> {
        let found: Option<(i64, String)> = self
            .transaction
            .prepare_cached(
                "SELECT b.batch_id, b.coupon_id FROM codes k JOIN code_batches b USING (batch_id) \
                 WHERE k.code = ?1 AND b.store_id = ?2",
            )
            .and_then(|mut statement| {
                statement
                    .query_row(params![code, store_id.as_str()], |row| {
                        Ok((row.get(0)?, row.get(1)?))
                    })
                    .optional()
            })
            .map_err(|error| self.sql_error(error))?;
        let Some((batch_id, coupon_id)) = found else {
            return Err(StoreError::NotFound { what: format!("code {code} of store {store_id}") });
        };
        let added = self.execute(
            "INSERT INTO withdrawn_codes (code, store_id, coupon_id, batch_id, reported_at) \
             VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (code) DO NOTHING",
            params![code, store_id.as_str(), coupon_id, batch_id, now.to_string()],
        )?;
        Ok(transition(added))
    }
}
