//! The values the store reads and writes. They hold domain types, never SQL.

use sellerdesk_core::codes::{CheckCharacter, CodeFormat, CodeFormatRequest, DEFAULT_ALPHABET};
use sellerdesk_core::ids::{Channel, CouponId, StoreId};
use sellerdesk_core::money::Currency;
use sellerdesk_core::seller_coupon::{CouponState, SellerCouponTerms};
use sellerdesk_core::status::CouponStatus;
use sellerdesk_core::{InputError, Timestamp};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreRecord {
    pub store_id: StoreId,
    pub name: String,
    pub currency: Currency,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CouponRecord {
    pub coupon_id: CouponId,
    pub store_id: StoreId,
    pub terms: SellerCouponTerms,
    pub state: CouponState,
    /// The platform's reason, when it refused the coupon.
    pub rejection_reason: Option<String>,
    /// What the platform counted of the coupon at the last sync.
    pub platform_counts: PlatformCounts,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// What a platform counts of a coupon, as the last sync brought it down; `None` where the platform
/// says nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PlatformCounts {
    /// How many buyers claimed the coupon, where the platform counts claims of the coupon itself
    /// rather than of codes (AliExpress).
    pub claimed: Option<u64>,
    /// How many codes the platform holds for the coupon, made on every desk of the store.
    pub codes: Option<u64>,
}

/// What an export would write: its rows, and the codes of the chosen batches it leaves out because
/// the platform refused them (they never went up, so no buyer could redeem them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ExportCount {
    pub rows: u64,
    pub left_out: u64,
}

/// How the codes of a batch were made, as stored with the batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCodeFormat {
    pub random_length: u32,
    pub prefix: String,
    pub suffix: String,
    pub group_size: Option<u32>,
    pub alphabet: String,
    pub check_character: StoredCheckCharacter,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoredCheckCharacter {
    None,
    Appended,
}

impl StoredCodeFormat {
    /// How a checked format is stored with its batch.
    pub fn from_format(format: &CodeFormat) -> StoredCodeFormat {
        StoredCodeFormat {
            random_length: format.length(),
            prefix: format.prefix().to_owned(),
            suffix: format.suffix().to_owned(),
            group_size: format.group(),
            alphabet: format.alphabet().as_str().to_owned(),
            check_character: match format.check_character() {
                CheckCharacter::None => StoredCheckCharacter::None,
                CheckCharacter::Appended => StoredCheckCharacter::Appended,
            },
        }
    }

    /// The format a batch was made with, checked again as it is read back.
    pub fn to_format(&self) -> Result<CodeFormat, InputError> {
        let alphabet = (self.alphabet != DEFAULT_ALPHABET).then(|| self.alphabet.clone());
        CodeFormatRequest {
            length: self.random_length,
            prefix: self.prefix.clone(),
            suffix: self.suffix.clone(),
            group: self.group_size,
            alphabet,
            check_character: match self.check_character {
                StoredCheckCharacter::None => CheckCharacter::None,
                StoredCheckCharacter::Appended => CheckCharacter::Appended,
            },
        }
        .validate()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCodeBatch {
    pub store_id: StoreId,
    pub coupon_id: CouponId,
    pub channel: Option<Channel>,
    pub format: StoredCodeFormat,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeBatchRecord {
    pub batch_id: i64,
    pub store_id: StoreId,
    pub coupon_id: CouponId,
    pub channel: Option<Channel>,
    pub code_count: u64,
    pub format: StoredCodeFormat,
    pub created_at: Timestamp,
    pub first_exported_at: Option<Timestamp>,
}

/// How many codes of a coupon are in each state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CodeCounts {
    pub generated: u64,
    /// Codes in batches that were exported at least once.
    pub exported: u64,
    /// Codes a buyer has claimed (any buyer-side status).
    pub claimed: u64,
    pub valid: u64,
    pub inactive: u64,
    pub used: u64,
    pub expired: u64,
    /// The legacy status, counted apart.
    pub pending: u64,
}

impl CodeCounts {
    /// Counts a batch of `code_count` codes, exported at least once or not.
    pub fn add_batch(&mut self, code_count: u64, exported: bool) {
        self.generated += code_count;
        if exported {
            self.exported += code_count;
        }
    }

    /// Counts `count` claimed codes in `status`.
    pub fn add_claimed(&mut self, status: CouponStatus, count: u64) {
        self.claimed += count;
        let counter = match status {
            CouponStatus::Valid => &mut self.valid,
            CouponStatus::Inactive => &mut self.inactive,
            CouponStatus::Used => &mut self.used,
            CouponStatus::Expired => &mut self.expired,
            CouponStatus::Pending => &mut self.pending,
        };
        *counter += count;
    }
}

/// What a typed code turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeLookup {
    pub code: String,
    pub coupon_id: CouponId,
    pub batch_id: i64,
    pub channel: Option<Channel>,
    pub format: StoredCodeFormat,
    /// `None` while no buyer has claimed the code.
    pub status: Option<CouponStatus>,
    /// When the code took its status; `None` without a status, or when the status was pulled
    /// before Seller Desk kept these times.
    pub status_changed_at: Option<Timestamp>,
}

/// Which codes of a coupon an export takes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ExportFilter {
    pub channel: Option<Channel>,
    pub batch_id: Option<i64>,
    pub status: Option<CodeStatusFilter>,
}

/// A status to filter codes by: unclaimed, or one buyer-side status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeStatusFilter {
    Unclaimed,
    Claimed(CouponStatus),
}

impl CodeStatusFilter {
    pub fn as_str(self) -> &'static str {
        match self {
            CodeStatusFilter::Unclaimed => "unclaimed",
            CodeStatusFilter::Claimed(status) => status.as_str(),
        }
    }

    pub fn parse(text: &str) -> Option<CodeStatusFilter> {
        if text == "unclaimed" {
            return Some(CodeStatusFilter::Unclaimed);
        }
        text.parse().ok().map(CodeStatusFilter::Claimed)
    }
}

/// One code as an export reads it, with the batch it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportRow<'a> {
    pub code: &'a str,
    pub batch_id: i64,
    pub status: Option<CouponStatus>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportRecord {
    pub export_id: i64,
    pub store_id: StoreId,
    pub coupon_id: CouponId,
    pub path: String,
    pub filter: ExportFilter,
    pub byte_order_mark: ByteOrderMark,
    pub row_count: u64,
    /// Codes of the chosen batches left out because the platform refused them.
    pub left_out: u64,
    pub exported_at: Timestamp,
}

/// Whether a CSV file starts with a UTF-8 byte-order mark (Excel wants one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ByteOrderMark {
    Absent,
    Present,
}

/// A local change that must reach the platform, written with the change itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxEntry {
    pub store_id: StoreId,
    pub mutation_id: String,
    pub kind: String,
    pub subject_id: String,
    pub payload: String,
    pub created_at: Timestamp,
}
