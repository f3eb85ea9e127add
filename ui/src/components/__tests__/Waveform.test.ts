import '@testing-library/jest-dom/vitest';
import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import Waveform from '../release/Waveform.svelte';
import type { WaveformView } from '../../lib/backend/bindings';

const waveform: WaveformView = {
  duration_ms: 60_000,
  min: Array.from({ length: 3000 }, () => -0.5),
  max: Array.from({ length: 3000 }, () => 0.5),
  chapters: [
    { title: 'Opening', start_ms: 0 },
    { title: 'The lens', start_ms: 45_000 },
  ],
};

function setup(positionMs = 0) {
  const onSeek = vi.fn(async () => {});
  render(Waveform, { waveform, positionMs, onSeek });
  const track = screen.getByTestId('waveform');
  // jsdom lays nothing out: the track is 600 px wide, 100 px from the left of the window.
  track.getBoundingClientRect = () =>
    ({ left: 100, top: 0, width: 600, height: 96, right: 700, bottom: 96, x: 100, y: 0 }) as DOMRect;
  return { onSeek, track };
}

describe('Waveform', () => {
  it('seeks to the time under a click', async () => {
    const { onSeek, track } = setup();
    await fireEvent.mouseDown(track, { clientX: 250, button: 0 });
    await fireEvent.mouseUp(window, { clientX: 250 });
    // 150 px of 600 px is a quarter of a minute.
    expect(onSeek).toHaveBeenCalledExactlyOnceWith(15_000);
  });

  it('follows a drag with the playhead and seeks once, where it is let go', async () => {
    const { onSeek, track } = setup();
    await fireEvent.mouseDown(track, { clientX: 160, button: 0 });
    await fireEvent.mouseMove(window, { clientX: 400 });
    expect(screen.getByTestId('playhead').style.left).toBe('50%');
    expect(onSeek).not.toHaveBeenCalled();
    await fireEvent.mouseUp(window, { clientX: 1000 });
    expect(onSeek).toHaveBeenCalledExactlyOnceWith(60_000);
  });

  it('marks each chapter and seeks to one from its title', async () => {
    const { onSeek } = setup();
    const markers = screen.getAllByTestId('chapter-marker');
    expect(markers.map((m) => m.style.left)).toEqual(['0%', '75%']);
    await fireEvent.click(screen.getByRole('button', { name: /The lens/ }));
    expect(onSeek).toHaveBeenCalledWith(45_000);
  });

  it('shows the playhead where the player is and moves by keyboard', async () => {
    const { onSeek, track } = setup(30_000);
    expect(screen.getByTestId('playhead').style.left).toBe('50%');
    await fireEvent.keyDown(track, { key: 'ArrowRight' });
    expect(onSeek).toHaveBeenCalledWith(35_000);
    await fireEvent.keyDown(track, { key: 'End' });
    expect(onSeek).toHaveBeenLastCalledWith(60_000);
  });
});
