//! Loudness per ITU-R BS.1770-4 (gated integrated loudness, loudness range, 4× oversampled true peak)
//! with the `ebur128` crate, plus the sample-level checks the audio gate needs (clipping, silence).
//! Everything streams: a three-hour master is measured in blocks, never copied whole.

use std::io::Cursor;
use std::sync::mpsc::Receiver;
use std::sync::Mutex;

use ebur128::{EbuR128, Mode};
use symphonia::core::audio::SampleBuffer;
use symphonia::core::codecs::{DecoderOptions, CODEC_TYPE_NULL};
use symphonia::core::errors::Error as SymphoniaError;
use symphonia::core::formats::{FormatOptions, FormatReader};
use symphonia::core::io::{MediaSourceStream, ReadOnlySource};
use symphonia::core::meta::MetadataOptions;
use symphonia::core::probe::Hint;

use crate::wav::{decode, frames_to_ms};
use crate::AudioError;

/// A sample at or above this magnitude (−0.01 dBFS) counts as clipped.
const CLIP_LEVEL: f32 = 0.9989;
/// Below −50 dBFS a sample counts as silence.
const SILENCE_LEVEL: f32 = 0.003_162;
const BLOCK_FRAMES: usize = 1 << 14;
/// Decoded blocks queued for the overall meter's thread.
const BLOCKS_AHEAD: usize = 8;

fn meter_error(e: ebur128::Error) -> AudioError {
    AudioError::invalid(format!("the loudness meter refused the audio ({e})"))
}

/// dB of a linear amplitude; `None` for zero (silence has no level).
pub(crate) fn to_db(linear: f64) -> Option<f64> {
    (linear > 0.0).then(|| 20.0 * linear.log10())
}

pub(crate) fn from_db(db: f64) -> f64 {
    10f64.powf(db / 20.0)
}

/// Integrated loudness of interleaved `samples`, or `None` when every block is under the −70 LUFS gate.
pub(crate) fn integrated(samples: &[f32], channels: u16, rate: u32) -> Result<Option<f64>, AudioError> {
    let mut m = EbuR128::new(u32::from(channels), rate, Mode::I).map_err(meter_error)?;
    for block in samples.chunks(BLOCK_FRAMES * usize::from(channels)) {
        m.add_frames_f32(block).map_err(meter_error)?;
    }
    finite(m.loudness_global().map_err(meter_error)?)
}

fn finite(v: f64) -> Result<Option<f64>, AudioError> {
    Ok(v.is_finite().then_some(v))
}

/// Integrated loudness and true peak of interleaved samples, fed block by block.
pub(crate) struct Meter {
    inner: EbuR128,
    channels: u32,
}

impl Meter {
    pub fn new(channels: u16, rate: u32, mode: Mode) -> Result<Meter, AudioError> {
        Ok(Meter {
            inner: EbuR128::new(u32::from(channels), rate, mode).map_err(meter_error)?,
            channels: u32::from(channels),
        })
    }

    pub fn add(&mut self, samples: &[f32]) -> Result<(), AudioError> {
        self.inner.add_frames_f32(samples).map_err(meter_error)
    }

    pub fn integrated(&self) -> Result<Option<f64>, AudioError> {
        finite(self.inner.loudness_global().map_err(meter_error)?)
    }

    /// Highest true peak over all channels, dBTP (`None` for digital silence).
    pub fn true_peak_db(&self) -> Result<Option<f64>, AudioError> {
        let mut peak = 0f64;
        for c in 0..self.channels {
            peak = peak.max(self.inner.true_peak(c).map_err(meter_error)?);
        }
        Ok(to_db(peak))
    }

    pub fn loudness_range(&self) -> Result<f64, AudioError> {
        let lra = self.inner.loudness_range().map_err(meter_error)?;
        Ok(if lra.is_finite() { lra } else { 0.0 })
    }
}

/// A stretch of the master that belongs to one group (a host), in frames.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start_ms: u64,
    pub end_ms: u64,
    pub group: usize,
}

/// What the audio gate reads off a finished master.
#[derive(Debug, Clone, PartialEq)]
pub struct Measurements {
    pub sample_rate: u32,
    pub channels: u16,
    pub duration_ms: u64,
    /// `None` when the whole master is under the −70 LUFS gate.
    pub integrated_lufs: Option<f64>,
    pub true_peak_dbtp: Option<f64>,
    pub sample_peak_dbfs: Option<f64>,
    pub loudness_range_lu: f64,
    pub clipped_samples: u64,
    pub longest_silence_ms: u64,
    /// Integrated loudness of each group of spans (see [`measure_mp3`]), indexed by group.
    pub group_lufs: Vec<Option<f64>>,
}

/// The meter of the whole master: loudness, range and true peak.
fn overall_meter(rate: u32, channels: u16) -> Result<Meter, AudioError> {
    Meter::new(channels, rate, Mode::I | Mode::LRA | Mode::TRUE_PEAK)
}

/// Streams decoded blocks into everything but the overall meter: the groups' meters and the sample
/// checks. Apart from it, so the two halves can run on two threads.
struct Analyser {
    rate: u32,
    channels: usize,
    groups: Vec<EbuR128>,
    spans: Vec<Span>,
    /// Spans before this one have ended.
    next_span: usize,
    frame: u64,
    sample_peak: f32,
    clipped: u64,
    silent_run: u64,
    longest_silence: u64,
}

impl Analyser {
    fn new(rate: u32, channels: u16, spans: &[Span]) -> Result<Analyser, AudioError> {
        let groups = spans.iter().map(|s| s.group + 1).max().unwrap_or(0);
        let mut sorted = spans.to_vec();
        sorted.sort_by_key(|s| s.start_ms);
        Ok(Analyser {
            rate,
            channels: usize::from(channels),
            groups: (0..groups)
                .map(|_| EbuR128::new(u32::from(channels), rate, Mode::I).map_err(meter_error))
                .collect::<Result<_, _>>()?,
            spans: sorted,
            next_span: 0,
            frame: 0,
            sample_peak: 0.0,
            clipped: 0,
            silent_run: 0,
            longest_silence: 0,
        })
    }

    fn add(&mut self, block: &[f32]) -> Result<(), AudioError> {
        let ch = self.channels;
        for frame in block.chunks_exact(ch) {
            let mut loudest = 0f32;
            for &s in frame {
                let a = s.abs();
                loudest = loudest.max(a);
                if a >= CLIP_LEVEL {
                    self.clipped += 1;
                }
            }
            self.sample_peak = self.sample_peak.max(loudest);
            if loudest < SILENCE_LEVEL {
                self.silent_run += 1;
                self.longest_silence = self.longest_silence.max(self.silent_run);
            } else {
                self.silent_run = 0;
            }
        }
        let frames = (block.len() / ch) as u64;
        let (from, to) = (self.frame, self.frame + frames);
        let frame_of = |ms: u64| ms * u64::from(self.rate) / 1000;
        while self
            .spans
            .get(self.next_span)
            .is_some_and(|span| frame_of(span.end_ms) <= from)
        {
            self.next_span += 1;
        }
        for span in &self.spans[self.next_span..] {
            let (s, e) = (frame_of(span.start_ms), frame_of(span.end_ms));
            if s >= to {
                break;
            }
            let (a, b) = (s.max(from), e.min(to));
            if a < b {
                let slice = &block[(a - from) as usize * ch..(b - from) as usize * ch];
                self.groups[span.group].add_frames_f32(slice).map_err(meter_error)?;
            }
        }
        self.frame = to;
        Ok(())
    }

    fn finish(self, channels: u16, meter: &Meter) -> Result<Measurements, AudioError> {
        Ok(Measurements {
            sample_rate: self.rate,
            channels,
            duration_ms: frames_to_ms(self.frame, self.rate),
            integrated_lufs: meter.integrated()?,
            true_peak_dbtp: meter.true_peak_db()?,
            sample_peak_dbfs: to_db(f64::from(self.sample_peak)),
            loudness_range_lu: meter.loudness_range()?,
            clipped_samples: self.clipped,
            longest_silence_ms: frames_to_ms(self.longest_silence, self.rate),
            group_lufs: self
                .groups
                .iter()
                .map(|g| finite(g.loudness_global().map_err(meter_error)?))
                .collect::<Result<_, _>>()?,
        })
    }
}

/// Measures an MP3 as a listener's player decodes it (Symphonia, gapless): loudness, true peak,
/// loudness range, clipping, the longest silence, and the loudness of each group of `spans`.
pub fn measure_mp3(mp3: &[u8], spans: &[Span]) -> Result<Measurements, AudioError> {
    measure_decoded(Mp3Blocks::open(mp3)?, spans)
}

/// Where the audio starts in an MP3 that is still being written, after its first frame: LAME's Info
/// frame is a silent placeholder until the encoder finishes, and the delays a finished tag tells a
/// gapless decoder to trim are LAME's encoder delay (576) plus the MP3 decoder's own (529).
const STREAMED_DELAY: usize = 576 + 529;

/// [`measure_mp3`] on an MP3 while LAME writes it, its bytes arriving in `chunks`, `frames` long: reads
/// the same samples as the finished file, so the measuring runs alongside the encoding.
pub(crate) fn measure_mp3_stream(
    chunks: Receiver<Vec<u8>>,
    frames: usize,
    spans: &[Span],
) -> Result<Measurements, AudioError> {
    let source = ReadOnlySource::new(ChunkReader {
        chunks: Mutex::new(chunks),
        current: Vec::new(),
        at: 0,
    });
    let mut decoder = Mp3Blocks::from_source(MediaSourceStream::new(Box::new(source), Default::default()), false)?;
    decoder.streamed = Some(frames);
    measure_decoded(decoder, spans)
}

/// Bytes from a channel as a reader: blocks until the writer sends more, ends when it hangs up.
struct ChunkReader {
    chunks: Mutex<Receiver<Vec<u8>>>,
    current: Vec<u8>,
    at: usize,
}

impl std::io::Read for ChunkReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.at == self.current.len() {
            let chunks = self.chunks.get_mut().unwrap_or_else(|poisoned| poisoned.into_inner());
            match chunks.recv() {
                Ok(chunk) => (self.current, self.at) = (chunk, 0),
                Err(_) => return Ok(0),
            }
        }
        let n = buf.len().min(self.current.len() - self.at);
        buf[..n].copy_from_slice(&self.current[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

fn measure_decoded(decoder: Mp3Blocks, spans: &[Span]) -> Result<Measurements, AudioError> {
    let (rate, channels) = (decoder.rate, decoder.channels);
    let mut analyser = Analyser::new(rate, channels, spans)?;
    let mut meter = overall_meter(rate, channels)?;
    // The overall meter (with its 4× true-peak scan) costs about as much as decoding plus the rest:
    // it gets a thread of its own.
    std::thread::scope(|scope| {
        let (blocks, received) = std::sync::mpsc::sync_channel::<Vec<f32>>(BLOCKS_AHEAD);
        let overall = scope.spawn(move || {
            for block in received {
                meter.add(&block)?;
            }
            Ok::<_, AudioError>(meter)
        });
        let decoded = decoder.each(|block| {
            // Closed only when the meter failed: its error is the one to report.
            if blocks.send(block.to_vec()).is_err() {
                return Ok(());
            }
            analyser.add(block)
        });
        drop(blocks);
        let meter = overall.join().expect("the loudness meter does not panic")?;
        decoded?;
        analyser.finish(channels, &meter)
    })
}

/// Integrated loudness of an MP3 alone, decoded as [`measure_mp3`] decodes it.
pub(crate) fn measure_mp3_loudness(mp3: &[u8]) -> Result<Option<f64>, AudioError> {
    let decoder = Mp3Blocks::open(mp3)?;
    let mut meter = Meter::new(decoder.channels, decoder.rate, Mode::I)?;
    decoder.each(|block| meter.add(block))?;
    meter.integrated()
}

/// An MP3 decoded as rodio plays it (Symphonia, gapless, undecodable packets skipped), handed on a
/// decoded frame at a time rather than rodio's sample at a time.
struct Mp3Blocks {
    format: Box<dyn FormatReader>,
    decoder: Box<dyn symphonia::core::codecs::Decoder>,
    track: u32,
    rate: u32,
    channels: u16,
    /// Length in frames of an MP3 read while it is written (see [`STREAMED_DELAY`]).
    streamed: Option<usize>,
}

impl Mp3Blocks {
    fn open(mp3: &[u8]) -> Result<Mp3Blocks, AudioError> {
        let source = MediaSourceStream::new(Box::new(Cursor::new(mp3.to_vec())), Default::default());
        Mp3Blocks::from_source(source, true)
    }

    fn from_source(source: MediaSourceStream, gapless: bool) -> Result<Mp3Blocks, AudioError> {
        let failed = |e: SymphoniaError| AudioError::invalid(format!("the MP3 cannot be decoded ({e})"));
        let mut hint = Hint::new();
        hint.with_extension("mp3");
        let format_options = FormatOptions {
            enable_gapless: gapless,
            ..Default::default()
        };
        let format = symphonia::default::get_probe()
            .format(&hint, source, &format_options, &MetadataOptions::default())
            .map_err(failed)?
            .format;
        let track = format
            .tracks()
            .iter()
            .find(|t| t.codec_params.codec != CODEC_TYPE_NULL)
            .ok_or_else(|| AudioError::invalid("the MP3 has no audio track"))?;
        let params = &track.codec_params;
        let (rate, channels) = match (params.sample_rate, params.channels) {
            (Some(rate), Some(channels)) => (rate, channels.count() as u16),
            _ => return Err(AudioError::invalid("the MP3 does not say its sample rate and channels")),
        };
        let decoder = symphonia::default::get_codecs()
            .make(params, &DecoderOptions::default())
            .map_err(failed)?;
        Ok(Mp3Blocks {
            track: track.id,
            format,
            decoder,
            rate,
            channels,
            streamed: None,
        })
    }

    /// Hands the decoded samples to `sink` in blocks of about `BLOCK_FRAMES` whole frames.
    fn each(mut self, mut sink: impl FnMut(&[f32]) -> Result<(), AudioError>) -> Result<(), AudioError> {
        let block_len = BLOCK_FRAMES * usize::from(self.channels);
        let mut block = Vec::with_capacity(block_len + 4_608);
        let mut buffer: Option<SampleBuffer<f32>> = None;
        let channels = usize::from(self.channels);
        // Samples to drop, then to keep, when trimming a streamed MP3 as the finished tag would.
        let mut skip = 0;
        let mut keep = usize::MAX;
        let mut placeholder = self.streamed.is_some();
        if let Some(frames) = self.streamed {
            (skip, keep) = (STREAMED_DELAY * channels, frames * channels);
        }
        // The stream ends at the first packet that cannot be read, as in rodio.
        while let Ok(packet) = self.format.next_packet() {
            if packet.track_id() != self.track {
                continue;
            }
            let decoded = match self.decoder.decode(&packet) {
                Ok(decoded) => decoded,
                Err(SymphoniaError::DecodeError(_)) => continue,
                Err(_) => break,
            };
            if decoded.frames() == 0 {
                continue;
            }
            let buffer = match &mut buffer {
                Some(b) if b.capacity() >= decoded.capacity() * usize::from(self.channels) => b,
                slot => slot.insert(SampleBuffer::new(decoded.capacity() as u64, *decoded.spec())),
            };
            if std::mem::take(&mut placeholder) {
                continue;
            }
            buffer.copy_interleaved_ref(decoded);
            let samples = buffer.samples();
            let dropped = skip.min(samples.len());
            skip -= dropped;
            let kept = keep.min(samples.len() - dropped);
            keep -= kept;
            block.extend_from_slice(&samples[dropped..dropped + kept]);
            if block.len() >= block_len {
                sink(&block)?;
                block.clear();
            }
        }
        sink(&block)
    }
}

/// The same measurements on a WAV.
pub fn measure_wav(wav: &[u8], spans: &[Span]) -> Result<Measurements, AudioError> {
    let pcm = decode(wav)?;
    let mut analyser = Analyser::new(pcm.sample_rate, pcm.channels, spans)?;
    let mut meter = overall_meter(pcm.sample_rate, pcm.channels)?;
    for block in pcm.samples.chunks(BLOCK_FRAMES * usize::from(pcm.channels)) {
        meter.add(block)?;
        analyser.add(block)?;
    }
    analyser.finish(pcm.channels, &meter)
}
