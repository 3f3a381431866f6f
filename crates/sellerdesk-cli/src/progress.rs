//! A progress bar on the terminal for long work; nothing at all when stderr is not a terminal.

use std::ops::ControlFlow;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use sellerdesk_facade::{ExportProgress, GenerationProgress, UploadProgressView};

pub struct Bar {
    bar: ProgressBar,
}

impl Bar {
    pub fn new(what: &'static str) -> Bar {
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template(&format!(
            "{what} {{bar:40}} {{pos}}/{{len}} ({{eta}} left)"
        )) {
            bar.set_style(style);
        }
        Bar { bar }
    }

    pub fn generation(&self, step: GenerationProgress) {
        match step {
            GenerationProgress::Generated { codes } => self.bar.set_length(codes),
            GenerationProgress::Written { codes, total } => {
                self.bar.set_length(total);
                self.bar.set_position(codes);
            }
        }
    }

    pub fn export(&self, step: ExportProgress) -> ControlFlow<()> {
        self.bar.set_length(step.rows_total);
        self.bar.set_position(step.rows_written);
        ControlFlow::Continue(())
    }

    pub fn upload(&self, step: &UploadProgressView) {
        self.bar.set_length(step.total);
        self.bar.set_position(step.uploaded);
    }

    pub fn finish(self) {
        self.bar.finish_and_clear();
    }
}
