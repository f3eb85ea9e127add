//! The audio crate's integration tests, one binary: the show's music in the master (checked by ffmpeg as an
//! independent meter) and real playback through the system's sound output.

mod music;
mod playback;
