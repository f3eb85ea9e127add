//! The crate's one error type. Every variant has a stable machine code (`AudioError::code`) that the
//! API layer maps onto its own error codes; the `Display` text is written for the person at the screen.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum AudioError {
    /// Opening the default sound output failed (no sound card, no PipeWire/PulseAudio server, ...).
    #[error(
        "No sound output device was found. Check that speakers or headphones are connected and switched on, \
         that the system sound service (PipeWire or PulseAudio) is running, and that an output device is \
         selected in the system sound settings. (Details: {detail})"
    )]
    DeviceUnavailable { detail: String },

    /// The bytes or the file are not audio this crate can read.
    #[error("The audio could not be read: {0}")]
    Invalid(String),

    /// A producer's music file that will not decode (or is too short, too long, or silent).
    #[error("That music file cannot be used: {0}. Use a WAV, MP3, FLAC or Ogg Vorbis file.")]
    MusicUnreadable(String),

    /// The MP3 encoder refused its settings or failed while encoding.
    #[error("MP3 encoding failed: {0}")]
    Encode(String),

    /// Mastering could not bring the master onto the loudness target or under the ceiling.
    #[error(
        "The master missed the delivery spec after every correction: {integrated_lufs:.1} LUFS (target \
         {target_lufs:.1}), true peak {true_peak_dbtp:.1} dBTP (ceiling {ceiling_dbtp:.1})."
    )]
    OffSpec {
        integrated_lufs: f64,
        true_peak_dbtp: f64,
        target_lufs: f64,
        ceiling_dbtp: f64,
    },

    /// A file could not be opened or read.
    #[error("Could not read the audio file {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// The player thread has exited (or could not be started), so commands can't be delivered.
    #[error("The audio player has stopped; restart Showrunner to play audio again.")]
    PlayerStopped,

    /// play/pause/seek was asked for while nothing is loaded.
    #[error("Nothing is loaded in the player; load an episode's audio first.")]
    NothingLoaded,
}

impl AudioError {
    /// Stable machine-readable code for this error.
    pub fn code(&self) -> &'static str {
        match self {
            AudioError::DeviceUnavailable { .. } => "audio_device_unavailable",
            AudioError::Invalid(_) => "audio_invalid",
            AudioError::MusicUnreadable(_) => "music_unreadable",
            AudioError::Encode(_) => "audio_encode_failed",
            AudioError::OffSpec { .. } => "audio_off_spec",
            AudioError::Io { .. } => "audio_io",
            AudioError::PlayerStopped => "audio_player_stopped",
            AudioError::NothingLoaded => "audio_nothing_loaded",
        }
    }

    pub(crate) fn unreadable(why: impl std::fmt::Display) -> AudioError {
        AudioError::MusicUnreadable(why.to_string())
    }

    pub(crate) fn invalid(what: impl std::fmt::Display) -> AudioError {
        AudioError::Invalid(what.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_has_its_code() {
        let io = AudioError::Io {
            path: "/x.wav".into(),
            source: std::io::Error::from(std::io::ErrorKind::NotFound),
        };
        let cases = [
            (
                AudioError::DeviceUnavailable { detail: "none".into() },
                "audio_device_unavailable",
            ),
            (AudioError::Invalid("bad".into()), "audio_invalid"),
            (AudioError::MusicUnreadable("bad".into()), "music_unreadable"),
            (AudioError::Encode("bad".into()), "audio_encode_failed"),
            (
                AudioError::OffSpec {
                    integrated_lufs: -18.0,
                    true_peak_dbtp: -0.5,
                    target_lufs: -16.0,
                    ceiling_dbtp: -1.0,
                },
                "audio_off_spec",
            ),
            (io, "audio_io"),
            (AudioError::PlayerStopped, "audio_player_stopped"),
            (AudioError::NothingLoaded, "audio_nothing_loaded"),
        ];
        for (err, code) in cases {
            assert_eq!(err.code(), code, "{err}");
        }
    }

    #[test]
    fn the_device_message_says_what_to_check() {
        let msg = AudioError::DeviceUnavailable {
            detail: "DeviceNotAvailable".into(),
        }
        .to_string();
        assert!(msg.starts_with("No sound output device was found."), "{msg}");
        assert!(msg.contains("PipeWire or PulseAudio"), "{msg}");
        assert!(msg.contains("DeviceNotAvailable"), "{msg}");
    }
}
