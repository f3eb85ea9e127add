//! The real app window over WebDriver, as one test binary: one build and link for every e2e test, and one
//! window at a time (see `showrunner_e2e::start_driver_with`).

mod every_park;
mod formats;
mod line_audio;
mod producer_journey;
mod release_gate;
mod script_room;
mod voices;
