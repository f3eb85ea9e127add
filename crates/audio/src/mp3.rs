//! MP3 encoding with LAME (`mp3lame-encoder`, which builds LAME 3.100 from source).

use mp3lame_encoder::{
    max_required_buffer_size, Bitrate, Builder, DualPcm, FlushGap, InterleavedPcm, Mode, MonoPcm, Quality, VbrMode,
};

use crate::wav::{open, samples};
use crate::AudioError;

/// Frames handed to LAME per call: bounds the scratch output buffer growth per step.
const CHUNK_FRAMES: usize = 1152 * 64;

/// Encodes a mono or stereo 16-bit PCM WAV to constant-bitrate MP3 at `kbps`
/// (8, 16, 24, 32, 40, 48, 64, 80, 96, 112, 128, 160, 192, 224, 256 or 320).
///
/// The file starts with a LAME "Info" frame carrying the encoder delay and padding, so decoders that
/// honour it (Symphonia, ffmpeg, browsers) report the WAV's exact length. LAME picks the MP3 sample rate
/// (the input's when MP3 supports it, otherwise the nearest it does).
///
/// Errors: input that isn't 16-bit mono/stereo PCM WAV (`audio_invalid`); a bitrate LAME doesn't offer
/// or any LAME failure (`audio_encode_failed`).
pub fn encode_mp3(wav: &[u8], kbps: u32) -> Result<Vec<u8>, AudioError> {
    bitrate(kbps)?;
    let reader = open(wav)?;
    let spec = reader.spec();
    if spec.sample_format != hound::SampleFormat::Int || spec.bits_per_sample != 16 {
        return Err(AudioError::invalid(format!(
            "MP3 encoding takes 16-bit PCM WAV; this is {}-bit {:?}",
            spec.bits_per_sample, spec.sample_format
        )));
    }
    if !(1..=2).contains(&spec.channels) {
        return Err(AudioError::invalid(format!(
            "MP3 encoding takes mono or stereo WAV; this has {} channels",
            spec.channels
        )));
    }
    let pcm = samples::<i16>(reader, wav.len())?;

    let mut stream = Mp3Stream::new(spec.sample_rate, spec.channels, kbps)?;
    stream.reserve(pcm.len() / usize::from(spec.channels));
    stream.push(&pcm)?;
    stream.finish()
}

fn lame(what: &str, e: &dyn std::fmt::Display) -> AudioError {
    AudioError::Encode(format!("LAME could not {what} ({e})"))
}

/// A LAME encoder fed interleaved 16-bit blocks as they are produced (the mastering chain streams its
/// limiter output straight in), finished into one CBR MP3 with an Info tag.
pub(crate) struct Mp3Stream {
    encoder: mp3lame_encoder::Encoder,
    channels: usize,
    rate: u32,
    kbps: u32,
    out: Vec<u8>,
}

impl Mp3Stream {
    pub fn new(sample_rate: u32, channels: u16, kbps: u32) -> Result<Mp3Stream, AudioError> {
        let bitrate = bitrate(kbps)?;
        let mut builder =
            Builder::new().ok_or_else(|| AudioError::Encode("LAME could not allocate an encoder".into()))?;
        builder
            .set_num_channels(channels as u8)
            .map_err(|e| lame("set the channel count", &e))?;
        builder
            .set_sample_rate(sample_rate)
            .map_err(|e| lame(&format!("use a {sample_rate} Hz sample rate"), &e))?;
        builder
            .set_brate(bitrate)
            .map_err(|e| lame(&format!("use {kbps} kbps"), &e))?;
        builder
            .set_mode(if channels == 1 { Mode::Mono } else { Mode::JointStereo })
            .map_err(|e| lame("set the mode", &e))?;
        builder
            .set_vbr_mode(VbrMode::Off)
            .map_err(|e| lame("select constant bitrate", &e))?;
        // LAME's default (-q 5): the usual speed/quality trade-off, about 10x faster than -q 0.
        builder
            .set_quality(Quality::Good)
            .map_err(|e| lame("set the quality", &e))?;
        builder
            .set_to_write_vbr_tag(true)
            .map_err(|e| lame("enable the Info tag", &e))?;
        let encoder = builder
            .build()
            .map_err(|e| lame(&format!("start ({kbps} kbps, {sample_rate} Hz)"), &e))?;
        Ok(Mp3Stream {
            encoder,
            channels: usize::from(channels),
            rate: sample_rate,
            kbps,
            out: Vec::new(),
        })
    }

    /// Reserves room for `frames` more frames of output (CBR: kbps * 125 bytes per second).
    pub fn reserve(&mut self, frames: usize) {
        let estimate = (frames as u64 * u64::from(self.kbps) * 125 / u64::from(self.rate).max(1)) as usize;
        self.out.reserve(estimate + 8 * 1024);
    }

    pub fn push(&mut self, pcm: &[i16]) -> Result<(), AudioError> {
        let channels = self.channels;
        for chunk in pcm.chunks(CHUNK_FRAMES * channels) {
            // LAME writes into the Vec's spare capacity and trusts its length: it must be reserved first
            // (with zero spare capacity LAME treats the buffer as unbounded and overruns it).
            self.out.reserve(max_required_buffer_size(chunk.len() / channels));
            let written = if channels == 1 {
                self.encoder.encode_to_vec(MonoPcm(chunk), &mut self.out)
            } else {
                self.encoder.encode_to_vec(InterleavedPcm(chunk), &mut self.out)
            };
            written.map_err(|e| lame("encode", &e))?;
        }
        Ok(())
    }

    /// The MP3 bytes so far, the Info frame still a placeholder.
    pub fn written(&self) -> &[u8] {
        &self.out
    }

    /// Encodes mono samples (full scale ±1) straight from `f32`, LAME's own working format; a stereo
    /// stream carries them on both sides.
    pub fn push_mono(&mut self, mono: &[f32]) -> Result<(), AudioError> {
        for chunk in mono.chunks(CHUNK_FRAMES) {
            // As in `push`: LAME needs the room reserved before it writes.
            self.out.reserve(max_required_buffer_size(chunk.len()));
            let written = if self.channels == 1 {
                self.encoder.encode_to_vec(MonoPcm(chunk), &mut self.out)
            } else {
                let both = DualPcm {
                    left: chunk,
                    right: chunk,
                };
                self.encoder.encode_to_vec(both, &mut self.out)
            };
            written.map_err(|e| lame("encode", &e))?;
        }
        Ok(())
    }

    pub fn finish(mut self) -> Result<Vec<u8>, AudioError> {
        self.out.reserve(7200);
        self.encoder
            .flush_to_vec::<FlushGap>(&mut self.out)
            .map_err(|e| lame("finish", &e))?;
        // LAME put a placeholder frame at the start of the audio data; the real Info/LAME tag replaces it
        // now that the totals are known.
        let tag_len = self.encoder.lame_tag_size();
        if tag_len > 0 {
            let mut tag = Vec::with_capacity(tag_len);
            if self.encoder.lame_tag_encode_to_vec(&mut tag).is_some() {
                let at = self.encoder.id3v2_tag_size();
                if let Some(slot) = self.out.get_mut(at..at + tag.len()) {
                    slot.copy_from_slice(&tag);
                }
            }
        }
        Ok(self.out)
    }
}

fn bitrate(kbps: u32) -> Result<Bitrate, AudioError> {
    Ok(match kbps {
        8 => Bitrate::Kbps8,
        16 => Bitrate::Kbps16,
        24 => Bitrate::Kbps24,
        32 => Bitrate::Kbps32,
        40 => Bitrate::Kbps40,
        48 => Bitrate::Kbps48,
        64 => Bitrate::Kbps64,
        80 => Bitrate::Kbps80,
        96 => Bitrate::Kbps96,
        112 => Bitrate::Kbps112,
        128 => Bitrate::Kbps128,
        160 => Bitrate::Kbps160,
        192 => Bitrate::Kbps192,
        224 => Bitrate::Kbps224,
        256 => Bitrate::Kbps256,
        320 => Bitrate::Kbps320,
        other => {
            return Err(AudioError::Encode(format!(
                "{other} kbps is not an MP3 bitrate; use 8, 16, 24, 32, 40, 48, 64, 80, 96, 112, 128, 160, 192, 224, 256 or 320"
            )))
        }
    })
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;
    use std::time::Duration;

    use rodio::Source;

    use super::*;
    use crate::test_support::{sine_f32_wav, sine_wav};

    /// Decodes with rodio (Symphonia) and returns (reported duration, counted duration, rate, channels).
    fn decode_mp3(mp3: Vec<u8>) -> (Option<Duration>, Duration, u32, u16) {
        let len = mp3.len() as u64;
        let decoder = rodio::Decoder::builder()
            .with_data(Cursor::new(mp3))
            .with_byte_len(len)
            .with_hint("mp3")
            .with_gapless(true)
            .build()
            .expect("rodio decodes the MP3");
        let reported = decoder.total_duration();
        let (rate, channels) = (decoder.sample_rate().get(), decoder.channels().get());
        let samples = decoder.count() as u64;
        let counted = Duration::from_secs_f64(samples as f64 / f64::from(channels) / f64::from(rate));
        (reported, counted, rate, channels)
    }

    fn assert_close(got: Duration, want_ms: u64, what: &str) {
        let diff = (got.as_millis() as i64 - want_ms as i64).abs();
        assert!(diff <= 100, "{what}: {got:?} vs {want_ms} ms");
    }

    #[test]
    fn mono_mp3_decodes_to_the_same_length() {
        let mp3 = encode_mp3(&sine_wav(24_000, 1, 3_000), 128).unwrap();
        assert!(
            mp3.len() > 40_000 && mp3.len() < 56_000,
            "{} bytes for 3 s at 128 kbps",
            mp3.len()
        );
        let (reported, counted, rate, channels) = decode_mp3(mp3);
        assert_eq!((rate, channels), (24_000, 1));
        assert_close(counted, 3_000, "counted");
        assert_close(reported.expect("duration is known"), 3_000, "reported");
    }

    #[test]
    fn stereo_mp3_decodes_to_the_same_length() {
        let mp3 = encode_mp3(&sine_wav(44_100, 2, 2_000), 192).unwrap();
        let (_, counted, rate, channels) = decode_mp3(mp3);
        assert_eq!((rate, channels), (44_100, 2));
        assert_close(counted, 2_000, "counted");
    }

    #[test]
    fn the_file_starts_with_an_info_tag() {
        let mp3 = encode_mp3(&sine_wav(22_050, 1, 1_000), 96).unwrap();
        assert_eq!(mp3[0], 0xFF, "starts with a frame sync");
        assert!(
            mp3[..200].windows(4).any(|w| w == b"Info"),
            "no Info tag in the first frame"
        );
    }

    #[test]
    fn invalid_inputs_are_coded() {
        assert_eq!(encode_mp3(b"not a wav", 128).unwrap_err().code(), "audio_invalid");
        assert_eq!(
            encode_mp3(&sine_f32_wav(24_000, 1, 100), 128).unwrap_err().code(),
            "audio_invalid"
        );
        let err = encode_mp3(&sine_wav(24_000, 1, 100), 100).unwrap_err();
        assert_eq!(err.code(), "audio_encode_failed");
        assert!(err.to_string().contains("100 kbps"), "{err}");
    }
}
