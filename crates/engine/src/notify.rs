//! Change announcements: the engine says "this run changed" after each durable write; listeners (the Run
//! view's channel, the CLI's progress line) re-read the state they show from the store. Announcements carry
//! no state, so a missed one costs a refresh, never a wrong screen.

use showrunner_domain::{EpisodeId, RunId};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunChanged {
    pub run_id: RunId,
    /// The episode the run produces, if it produces one.
    pub episode_id: Option<EpisodeId>,
}
