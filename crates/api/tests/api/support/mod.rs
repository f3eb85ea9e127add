//! What several test modules share: the fakes' offline answers, the answers that fail each gate, a studio
//! seeded with known figures, and an app configured by an environment of its own.

pub mod ebur128;
pub mod keyed_app;
pub mod offline_answers;
pub mod park_answers;
pub mod seeded_studio;
