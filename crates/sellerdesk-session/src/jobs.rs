//! Long-running work the window may cancel (a code generation, an export), by the id the window
//! gave it.

use std::collections::HashMap;
use std::ops::ControlFlow;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// The jobs running now, each with its cancel flag.
#[derive(Debug, Default)]
pub struct Jobs {
    running: Mutex<HashMap<String, Arc<AtomicBool>>>,
}

impl Jobs {
    /// Registers a job; it is forgotten when the returned guard drops.
    pub fn start(&self, job_id: &str) -> JobGuard<'_> {
        let cancelled = Arc::new(AtomicBool::new(false));
        self.lock().insert(job_id.to_owned(), Arc::clone(&cancelled));
        JobGuard { jobs: self, job_id: job_id.to_owned(), cancelled }
    }

    /// Asks a job to stop; false when no such job is running.
    pub fn cancel(&self, job_id: &str) -> bool {
        match self.lock().get(job_id) {
            Some(flag) => {
                flag.store(true, Ordering::Relaxed);
                true
            }
            None => false,
        }
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, Arc<AtomicBool>>> {
        self.running.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A running job; dropping it forgets the job.
#[derive(Debug)]
pub struct JobGuard<'a> {
    jobs: &'a Jobs,
    job_id: String,
    cancelled: Arc<AtomicBool>,
}

impl JobGuard<'_> {
    /// What the work calls at each step: the step goes to `tell`, and the answer says whether to
    /// go on. Only a cancel stops the job (a window that went away does not).
    pub fn progress<P>(
        &self,
        tell: impl Fn(P) + Send + 'static,
    ) -> impl FnMut(P) -> ControlFlow<()> + Send + 'static {
        let cancelled = Arc::clone(&self.cancelled);
        move |step| {
            tell(step);
            if cancelled.load(Ordering::Relaxed) {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        }
    }
}

impl Drop for JobGuard<'_> {
    fn drop(&mut self) {
        self.jobs.lock().remove(&self.job_id);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;

    use super::*;

    #[test]
    fn a_job_goes_on_until_cancelled_and_is_forgotten_when_it_ends() {
        let jobs = Jobs::default();
        let (told, heard) = mpsc::channel();
        let job = jobs.start("export-1");
        let mut step = job.progress(move |n: u32| told.send(n).unwrap());
        assert_eq!(step(1), ControlFlow::Continue(()));
        assert!(jobs.cancel("export-1"));
        assert_eq!(step(2), ControlFlow::Break(()));
        assert_eq!(heard.try_iter().collect::<Vec<_>>(), [1, 2]);
        assert!(!jobs.cancel("export-2"), "no such job");
        drop(job);
        assert!(!jobs.cancel("export-1"), "an ended job is forgotten");
    }
}
