//! Showrunner audio: decode, assemble lines into a master, encode MP3, and the rodio player actor.
//!
//! * [`wav_info`]: format and length of a WAV.
//! * [`assemble`]: clips one after another with pauses between them, and where each one landed.
//! * [`master`]: the mastering chain (resample, level-match, loudness normalisation, true-peak
//!   limiter, MP3, re-measure) that lands a master on the show's loudness target and ceiling.
//! * [`measure_mp3`] / [`measure_wav`]: BS.1770-4 loudness, true peak, range, clipping, silence.
//! * [`tag_episode`]: ID3v2.4 tags with cover art and CHAP/CTOC chapters.
//! * [`probe_music`] / [`MusicBeds`]: a show's own music, checked at upload; [`master_with_music`]
//!   mixes it under the speech (intro lead-in, ducked beds, stings between segments, outro play-out).
//! * [`master_cached`] / [`TakeCache`]: a re-master after one line changed, reusing the other takes'
//!   prepared audio.
//! * [`encode_mp3`]: 16-bit WAV to CBR MP3 (LAME).
//! * [`waveform_peaks`]: min/max per time bucket, for drawing the release gate's waveform.
//! * [`PlayerHandle`]: a player thread for WAV/MP3 files that opens the sound device only when needed.
//!
//! Every error is an [`AudioError`] with a stable [`AudioError::code`].

mod assemble;
mod error;
mod gating;
mod limiter;
mod loudness;
mod mastering;
mod mixing;
mod mp3;
mod music;
mod player;
mod resample;
mod splice;
#[doc(hidden)]
pub mod synthetic;
mod tags;
mod take_cache;
mod wav;
mod waveform;

pub use assemble::{assemble, Assembled, Placement};
pub use error::AudioError;
pub use loudness::{measure_mp3, measure_wav, Measurements, Span};
pub use mastering::{master, master_cached, master_with_music, MasterSettings, Mastered, Take, LOUDNESS_TOLERANCE_LU};
pub use mixing::{MusicCue, MusicPlacement};
pub use mp3::encode_mp3;
pub use music::{decode_music, probe_music, MusicBeds, MusicInfo, MAX_MUSIC_MS, MIN_MUSIC_MS};
pub use player::{PlaybackState, PlayerHandle};
pub use splice::{splice_take, SpliceBase, Spliced, MAX_SPLICE_SHIFT_DB};
pub use tags::{tag_episode, tag_episode_file, ChapterTag, CoverArt, EpisodeTags};
pub use take_cache::{CacheStats, TakeCache};
pub use wav::{wav_info, WavInfo};
pub use waveform::{waveform_peaks, Waveform, WAVEFORM_BUCKETS};

#[cfg(test)]
mod test_support {
    use std::io::Cursor;

    use hound::{SampleFormat, WavSpec, WavWriter};

    fn sine(sample_rate: u32, channels: u16, ms: u64) -> impl Iterator<Item = f32> {
        let frames = ms * u64::from(sample_rate) / 1000;
        (0..frames).flat_map(move |i| {
            let s = 0.5 * (2.0 * std::f64::consts::PI * 440.0 * i as f64 / f64::from(sample_rate)).sin();
            std::iter::repeat_n(s as f32, usize::from(channels))
        })
    }

    /// A 440 Hz tone at half scale, 16-bit PCM.
    pub fn sine_wav(sample_rate: u32, channels: u16, ms: u64) -> Vec<u8> {
        let spec = WavSpec {
            channels,
            sample_rate,
            bits_per_sample: 16,
            sample_format: SampleFormat::Int,
        };
        let mut cursor = Cursor::new(Vec::new());
        let mut w = WavWriter::new(&mut cursor, spec).unwrap();
        for s in sine(sample_rate, channels, ms) {
            w.write_sample((s * 32767.0).round() as i16).unwrap();
        }
        w.finalize().unwrap();
        cursor.into_inner()
    }

    /// The same tone as 32-bit float.
    pub fn sine_f32_wav(sample_rate: u32, channels: u16, ms: u64) -> Vec<u8> {
        let spec = WavSpec {
            channels,
            sample_rate,
            bits_per_sample: 32,
            sample_format: SampleFormat::Float,
        };
        let mut cursor = Cursor::new(Vec::new());
        let mut w = WavWriter::new(&mut cursor, spec).unwrap();
        for s in sine(sample_rate, channels, ms) {
            w.write_sample(s).unwrap();
        }
        w.finalize().unwrap();
        cursor.into_inner()
    }
}
