//! Reading and writing WAV bytes with `hound`, and the PCM buffer the rest of the crate works on.

use std::io::Cursor;

use hound::{SampleFormat, WavReader, WavSpec, WavWriter};

use crate::AudioError;

/// What a WAV file holds, from its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WavInfo {
    pub sample_rate: u32,
    pub channels: u16,
    pub duration_ms: u64,
}

/// Reads a WAV header and reports its format and length.
///
/// A header written by a streaming encoder (e.g. `espeak-ng --stdout`) claims a data size far larger
/// than the file; in that case the length is counted from the samples that are really there.
pub fn wav_info(wav: &[u8]) -> Result<WavInfo, AudioError> {
    let reader = open(wav)?;
    let spec = reader.spec();
    let channels = u64::from(spec.channels);
    let claimed_frames = u64::from(reader.duration());
    let bytes_per_sample = u64::from(spec.bits_per_sample).div_ceil(8);
    let frames = if claimed_frames * channels * bytes_per_sample > wav.len() as u64 {
        decode(wav)?.frames() as u64
    } else {
        claimed_frames
    };
    Ok(WavInfo {
        sample_rate: spec.sample_rate,
        channels: spec.channels,
        duration_ms: frames_to_ms(frames, spec.sample_rate),
    })
}

/// Interleaved samples in `[-1.0, 1.0]`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Pcm {
    pub sample_rate: u32,
    pub channels: u16,
    pub samples: Vec<f32>,
}

impl Pcm {
    pub fn frames(&self) -> usize {
        self.samples.len() / usize::from(self.channels)
    }
}

/// `frames` at `sample_rate`, in milliseconds rounded to the nearest.
pub(crate) fn frames_to_ms(frames: u64, sample_rate: u32) -> u64 {
    let rate = u128::from(sample_rate.max(1));
    ((u128::from(frames) * 1000 + rate / 2) / rate) as u64
}

/// `ms` at `sample_rate`, in whole frames rounded to the nearest.
pub(crate) fn ms_to_frames(ms: u64, sample_rate: u32) -> u64 {
    ((u128::from(ms) * u128::from(sample_rate) + 500) / 1000) as u64
}

pub(crate) fn open(wav: &[u8]) -> Result<WavReader<Cursor<&[u8]>>, AudioError> {
    let reader =
        WavReader::new(Cursor::new(wav)).map_err(|e| AudioError::invalid(format!("not a readable WAV file ({e})")))?;
    let spec = reader.spec();
    if spec.channels == 0 || spec.sample_rate == 0 {
        return Err(AudioError::invalid(format!(
            "the WAV header says {} channels at {} Hz",
            spec.channels, spec.sample_rate
        )));
    }
    Ok(reader)
}

/// Every sample of the data chunk. A data chunk that ends early (a streaming header, or a file cut
/// short) is accepted up to the last whole frame; any other read error is an error.
pub(crate) fn samples<S: hound::Sample>(
    mut reader: WavReader<Cursor<&[u8]>>,
    byte_len: usize,
) -> Result<Vec<S>, AudioError> {
    let channels = usize::from(reader.spec().channels);
    let claimed = reader.len() as usize;
    // The claim can be absurd (0x7ffff000 in streaming headers): cap the up-front allocation by what
    // the bytes could hold.
    let room = byte_len / usize::from(reader.spec().bits_per_sample.div_ceil(8)).max(1);
    let mut out = Vec::with_capacity(claimed.min(room));
    for sample in reader.samples::<S>() {
        match sample {
            Ok(s) => out.push(s),
            // Reading from memory, an I/O error can only mean the bytes ran out.
            Err(hound::Error::IoError(_)) => {
                tracing::warn!(
                    read = out.len(),
                    claimed,
                    "WAV data chunk is shorter than its header says; using what is there"
                );
                break;
            }
            Err(e) => return Err(AudioError::invalid(format!("the WAV data could not be read ({e})"))),
        }
    }
    out.truncate(out.len() - out.len() % channels);
    Ok(out)
}

/// The data chunk's whole frames of `N`-byte little-endian samples, converted by `convert`. As in
/// [`samples`], a chunk that ends before its header says is read up to what is there.
fn little_endian<const N: usize>(reader: WavReader<Cursor<&[u8]>>, convert: impl Fn([u8; N]) -> f32) -> Vec<f32> {
    let channels = usize::from(reader.spec().channels);
    let claimed = reader.len() as usize;
    let cursor = reader.into_inner();
    let data = &cursor.get_ref()[cursor.position() as usize..];
    let available = data.len() / N;
    if available < claimed {
        tracing::warn!(
            read = available,
            claimed,
            "WAV data chunk is shorter than its header says; using what is there"
        );
    }
    let frames = claimed.min(available) / channels;
    data[..frames * channels * N]
        .chunks_exact(N)
        .map(|b| convert(b.try_into().expect("chunks of N bytes")))
        .collect()
}

/// Decodes 8/16/24/32-bit integer or 32-bit float WAV to `f32`.
pub(crate) fn decode(wav: &[u8]) -> Result<Pcm, AudioError> {
    let reader = open(wav)?;
    let spec = reader.spec();
    let samples = match (spec.sample_format, spec.bits_per_sample) {
        // The two formats speech engines send, read straight from the bytes: hound's per-sample reader
        // was the costliest step of assembling an hour of takes.
        (SampleFormat::Int, 16) => little_endian::<2>(reader, |b| f32::from(i16::from_le_bytes(b)) / 32_768.0),
        (SampleFormat::Float, 32) => little_endian::<4>(reader, f32::from_le_bytes),
        (SampleFormat::Int, bits @ 1..=16) => {
            let scale = 1.0 / (1u32 << (bits - 1)) as f32;
            samples::<i16>(reader, wav.len())?
                .into_iter()
                .map(|s| f32::from(s) * scale)
                .collect()
        }
        (SampleFormat::Int, bits @ 17..=32) => {
            let scale = 1.0 / (1u64 << (bits - 1)) as f64;
            samples::<i32>(reader, wav.len())?
                .into_iter()
                .map(|s| (f64::from(s) * scale) as f32)
                .collect()
        }
        (format, bits) => {
            return Err(AudioError::invalid(format!(
                "unsupported WAV sample format: {bits}-bit {format:?}"
            )));
        }
    };
    Ok(Pcm {
        sample_rate: spec.sample_rate,
        channels: spec.channels,
        samples,
    })
}

/// 16-bit PCM WAV writer over a caller-owned in-memory buffer, written clip by clip so a long master
/// never needs a second full-length sample buffer. Call `finish`, then take the bytes from the buffer.
pub(crate) struct WavOut<'a> {
    writer: WavWriter<&'a mut Cursor<Vec<u8>>>,
    channels: u16,
    frames: u64,
}

impl<'a> WavOut<'a> {
    pub fn new(buf: &'a mut Cursor<Vec<u8>>, sample_rate: u32, channels: u16) -> Result<WavOut<'a>, AudioError> {
        let spec = WavSpec {
            channels,
            sample_rate,
            bits_per_sample: 16,
            sample_format: SampleFormat::Int,
        };
        let writer =
            WavWriter::new(buf, spec).map_err(|e| AudioError::Encode(format!("could not start the WAV ({e})")))?;
        Ok(WavOut {
            writer,
            channels,
            frames: 0,
        })
    }

    /// Frames written so far.
    pub fn frames(&self) -> u64 {
        self.frames
    }

    /// Appends interleaved samples (already in this writer's channel layout), clamped to 16 bits.
    pub fn write(&mut self, samples: &[f32]) -> Result<(), AudioError> {
        let too_long = || AudioError::Encode("the audio is too long for a WAV file (over 4 GiB)".into());
        let room = u32::MAX / 2 - self.writer.len();
        let n = u32::try_from(samples.len())
            .ok()
            .filter(|&n| n <= room)
            .ok_or_else(too_long)?;
        let mut w = self.writer.get_i16_writer(n);
        for &s in samples {
            w.write_sample(to_i16(s));
        }
        w.flush()
            .map_err(|e| AudioError::Encode(format!("could not write the WAV ({e})")))?;
        self.frames += (samples.len() / usize::from(self.channels)) as u64;
        Ok(())
    }

    pub fn silence(&mut self, frames: u64) -> Result<(), AudioError> {
        const BLOCK: usize = 4096;
        let zeros = [0.0f32; BLOCK];
        let block = BLOCK - BLOCK % usize::from(self.channels);
        let mut left = frames as usize * usize::from(self.channels);
        while left > 0 {
            let n = left.min(block);
            self.write(&zeros[..n])?;
            left -= n;
        }
        Ok(())
    }

    /// Writes the final header sizes.
    pub fn finish(self) -> Result<(), AudioError> {
        self.writer
            .finalize()
            .map_err(|e| AudioError::Encode(format!("could not finish the WAV ({e})")))
    }
}

pub(crate) fn to_i16(s: f32) -> i16 {
    (s.clamp(-1.0, 1.0) * 32767.0).round() as i16
}

/// Writes `pcm` as 16-bit PCM WAV.
#[cfg(test)]
pub(crate) fn encode(pcm: &Pcm) -> Result<Vec<u8>, AudioError> {
    let mut buf = Cursor::new(Vec::new());
    let mut out = WavOut::new(&mut buf, pcm.sample_rate, pcm.channels)?;
    out.write(&pcm.samples)?;
    out.finish()?;
    Ok(buf.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{sine_f32_wav, sine_wav};

    #[test]
    fn wav_info_reads_rate_channels_and_duration() {
        let info = wav_info(&sine_wav(22_050, 1, 1_500)).unwrap();
        assert_eq!(
            info,
            WavInfo {
                sample_rate: 22_050,
                channels: 1,
                duration_ms: 1_500
            }
        );
        let info = wav_info(&sine_wav(44_100, 2, 250)).unwrap();
        assert_eq!(
            info,
            WavInfo {
                sample_rate: 44_100,
                channels: 2,
                duration_ms: 250
            }
        );
        let info = wav_info(&sine_f32_wav(48_000, 2, 3_000)).unwrap();
        assert_eq!(
            info,
            WavInfo {
                sample_rate: 48_000,
                channels: 2,
                duration_ms: 3_000
            }
        );
    }

    #[test]
    fn wav_info_counts_real_samples_when_the_header_overclaims() {
        // What `espeak-ng --stdout` writes: a data size of 0x7ffff000 and a RIFF size to match.
        let mut wav = sine_wav(22_050, 1, 1_000);
        wav[4..8].copy_from_slice(&0x7fff_f024u32.to_le_bytes());
        let data = wav.windows(4).position(|w| w == b"data").unwrap();
        wav[data + 4..data + 8].copy_from_slice(&0x7fff_f000u32.to_le_bytes());
        assert_eq!(wav_info(&wav).unwrap().duration_ms, 1_000);
        assert_eq!(decode(&wav).unwrap().frames(), 22_050);
    }

    #[test]
    fn garbage_and_empty_input_are_audio_invalid() {
        for bytes in [&b""[..], b"RIFF", b"hello, this is not a wav file at all", &[0u8; 64]] {
            let err = wav_info(bytes).unwrap_err();
            assert_eq!(err.code(), "audio_invalid", "{err}");
            assert_eq!(decode(bytes).unwrap_err().code(), "audio_invalid");
        }
    }

    #[test]
    fn decode_scales_integer_and_float_samples_to_unit_range() {
        let pcm = decode(&sine_wav(8_000, 1, 100)).unwrap();
        let peak = pcm.samples.iter().fold(0.0f32, |m, s| m.max(s.abs()));
        assert!((peak - 0.5).abs() < 0.01, "16-bit peak {peak}");
        let pcm = decode(&sine_f32_wav(8_000, 1, 100)).unwrap();
        let peak = pcm.samples.iter().fold(0.0f32, |m, s| m.max(s.abs()));
        assert!((peak - 0.5).abs() < 0.01, "float peak {peak}");

        let spec = WavSpec {
            channels: 1,
            sample_rate: 8_000,
            bits_per_sample: 24,
            sample_format: SampleFormat::Int,
        };
        let mut cursor = Cursor::new(Vec::new());
        let mut w = WavWriter::new(&mut cursor, spec).unwrap();
        for s in [0, 1 << 22, -(1 << 23), (1 << 23) - 1] {
            w.write_sample(s).unwrap();
        }
        w.finalize().unwrap();
        let pcm = decode(cursor.get_ref()).unwrap();
        assert_eq!(pcm.samples[0], 0.0);
        assert!((pcm.samples[1] - 0.5).abs() < 1e-6);
        assert!((pcm.samples[2] + 1.0).abs() < 1e-6);
        assert!((pcm.samples[3] - 1.0).abs() < 1e-6);
    }

    #[test]
    fn encode_round_trips_through_16_bit() {
        let pcm = Pcm {
            sample_rate: 16_000,
            channels: 2,
            samples: vec![0.0, 0.5, -0.5, 1.0, -1.0, 2.0],
        };
        let back = decode(&encode(&pcm).unwrap()).unwrap();
        assert_eq!((back.sample_rate, back.channels, back.frames()), (16_000, 2, 3));
        let expected = [0.0, 0.5, -0.5, 1.0, -1.0, 1.0]; // 2.0 is clipped
        for (got, want) in back.samples.iter().zip(expected) {
            assert!((got - want).abs() < 1e-3, "{got} vs {want}");
        }
    }

    #[test]
    fn ms_frame_conversions_round() {
        assert_eq!(frames_to_ms(22_050, 22_050), 1_000);
        assert_eq!(frames_to_ms(11, 22_050), 0);
        assert_eq!(frames_to_ms(12, 22_050), 1);
        assert_eq!(ms_to_frames(350, 22_050), 7_718); // 7717.5 rounds up
        assert_eq!(ms_to_frames(350, 24_000), 8_400);
    }
}
