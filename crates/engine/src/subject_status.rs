//! What a run's status means for what the run produces. The engine knows runs only; a workflow may carry a
//! hook that says what its runs' subject becomes with each status (production: the episode's status). The
//! engine asks it at every status it writes and hands the answer to the store, which writes it in the same
//! transaction as the run's status: with the same durability, so a kill at any journal boundary leaves the
//! two in step and a resume has nothing to repair.

use showrunner_domain::{ParkReason, RunStatus};
use showrunner_store::SubjectStatus;

pub trait SubjectStatusHook: Send + Sync {
    /// The subject's status once the run is `status` (parked for `park`); `None` leaves the subject as it is.
    fn subject_status(&self, status: RunStatus, park: Option<&ParkReason>) -> Option<SubjectStatus>;
}
