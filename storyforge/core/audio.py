"""Sound for narration: every clip StoryForge keeps is MP3 in one shape (mono,
24 kHz, 48 kbit/s), whatever made it, so clips can be timed exactly, joined into an
audiobook and played one after another without a gap or a change of rate.

Decoding (any MP3 or WAV a speech server sends, resampled) is miniaudio's; encoding
is LAME's (lameenc); the project writes no codec of its own.
"""

from __future__ import annotations

import lameenc
import miniaudio

SAMPLE_RATE = 24_000
CHANNELS = 1
BIT_RATE = 48  # kbit/s: plenty for one voice
SAMPLE_BYTES = 2  # 16-bit


class AudioUnreadable(ValueError):
    """The bytes are not sound miniaudio can decode."""


def pcm_of(data: bytes) -> bytes:
    """16-bit mono PCM at SAMPLE_RATE from MP3, WAV, FLAC or Vorbis bytes."""
    try:
        decoded = miniaudio.decode(
            data, output_format=miniaudio.SampleFormat.SIGNED16, nchannels=CHANNELS, sample_rate=SAMPLE_RATE
        )
    except (miniaudio.DecodeError, TypeError, ValueError) as error:
        raise AudioUnreadable(f"the audio could not be decoded: {error}") from None
    return decoded.samples.tobytes()


def mp3_encoded(pcm: bytes) -> bytes:
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(BIT_RATE)
    encoder.set_in_sample_rate(SAMPLE_RATE)
    encoder.set_channels(CHANNELS)
    encoder.set_quality(5)
    return bytes(encoder.encode(pcm) + encoder.flush())


def silence(seconds: float) -> bytes:
    """PCM silence of `seconds`."""
    return b"\x00" * (int(SAMPLE_RATE * seconds) * SAMPLE_BYTES * CHANNELS)


def duration_ms(mp3: bytes) -> int:
    """How long an MP3 plays, decoded (not guessed from headers)."""
    return round(len(pcm_of(mp3)) / (SAMPLE_RATE * SAMPLE_BYTES * CHANNELS) * 1000)


def clip_normalized(data: bytes) -> tuple[bytes, int]:
    """A speech server's answer as StoryForge's MP3, and how many milliseconds it plays."""
    mp3 = mp3_encoded(pcm_of(data))
    return mp3, duration_ms(mp3)
