import { beforeEach, describe, expect, it, vi } from 'vitest';
import { Channel, invoke } from '@tauri-apps/api/core';
import * as commands from './commands';
import { BackendError } from './errors';
import { apiError } from '../../test-utils/tauri';
import { brand } from '../../test-utils/fixtures';

vi.mock('@tauri-apps/api/core', async () => {
  const { FakeChannel } = await import('../../test-utils/tauri');
  return { invoke: vi.fn(), Channel: FakeChannel };
});

const invokeMock = vi.mocked(invoke);

beforeEach(() => {
  invokeMock.mockReset();
  invokeMock.mockResolvedValue(undefined);
});

describe('commands', () => {
  it('call each backend command by its exact name with camelCase arguments', async () => {
    const b = brand();
    const input = { show_id: 's1', topic: 'Tides', target_minutes: 25, budget_cap: 33_250_000, format: 'brief' as const };
    const progress = new Channel();
    const playerState = new Channel();
    const calls: [() => Promise<unknown>, string, Record<string, unknown> | undefined][] = [
      [() => commands.listShows(), 'list_shows', undefined],
      [() => commands.starterBrandVoice('Deep Dive'), 'starter_brand_voice', { name: 'Deep Dive' }],
      [() => commands.createShow(b), 'create_show', { brand: b }],
      [() => commands.updateShow('s1', b), 'update_show', { showId: 's1', brand: b }],
      [() => commands.listEpisodes(), 'list_episodes', undefined],
      [() => commands.startEpisode(input), 'start_episode', { input }],
      [() => commands.startEpisode(input, [{ kind: 'note', text: 'n' }]), 'start_episode', { input, sources: [{ kind: 'note', text: 'n' }] }],
      [() => commands.getEpisode('e1'), 'get_episode', { episodeId: 'e1' }],
      [() => commands.startEpisodes([]), 'start_episodes', { rows: [] }],
      [
        () => commands.estimateCost({ target_minutes: 2, budget_cap: 5_000_000, format: null, show_id: null, sources: [] }),
        'estimate_cost',
        { request: { target_minutes: 2, budget_cap: 5_000_000, format: null, show_id: null, sources: [] } },
      ],
      [
        () => commands.searchEpisodes({ text: 'tide', show_id: null, status: 'released', order: 'newest', page: 2, page_size: 25 }),
        'search_episodes',
        { search: { text: 'tide', show_id: null, status: 'released', order: 'newest', page: 2, page_size: 25 } },
      ],
      [() => commands.dashboard('s1'), 'dashboard', { showId: 's1' }],
      [() => commands.watchRun('r1', progress), 'watch_run', { runId: 'r1', onProgress: progress }],
      [() => commands.getArtifact('a1'), 'get_artifact', { artifactId: 'a1' }],
      [() => commands.cancelRun('r1'), 'cancel_run', { runId: 'r1' }],
      [() => commands.resumeRun('r1'), 'resume_run', { runId: 'r1' }],
      [() => commands.getScript('e1'), 'get_script', { episodeId: 'e1' }],
      [() => commands.editLine('e1', 'S1-L1', 'Hi', 3), 'edit_line', { episodeId: 'e1', lineId: 'S1-L1', text: 'Hi', baseVersion: 3 }],
      [
        () => commands.editScript('e1', 3, [{ op: 'delete_line', line_id: 'S1-L2' }]),
        'edit_script',
        { episodeId: 'e1', request: { base_version: 3, edits: [{ op: 'delete_line', line_id: 'S1-L2' }] } },
      ],
      [() => commands.restoreScriptVersion('e1', 1, 3), 'restore_script_version', { episodeId: 'e1', version: 1, baseVersion: 3 }],
      [() => commands.sendBackScript('e1', 'script.write', 'n'), 'send_back_script', { episodeId: 'e1', stage: 'script.write', note: 'n' }],
      [() => commands.diffScript('e1', 1, 2), 'diff_script', { episodeId: 'e1', from: 1, to: 2 }],
      [() => commands.getScriptVersion('e1', 2), 'get_script_version', { episodeId: 'e1', version: 2 }],
      [() => commands.scriptVersions('e1'), 'script_versions', { episodeId: 'e1' }],
      [() => commands.approveScript('e1', 'ok'), 'approve_script', { episodeId: 'e1', note: 'ok' }],
      [() => commands.getRelease('e1'), 'get_release', { episodeId: 'e1' }],
      [() => commands.approveRelease('e1', ''), 'approve_release', { episodeId: 'e1', note: '' }],
      [() => commands.sendBack('e1', 'script.write', 'Shorter'), 'send_back', { episodeId: 'e1', stage: 'script.write', note: 'Shorter' }],
      [
        () => commands.regenerateLine('e1', { line_id: 'S1-L2', master_version: 2, text: null, voice: 'en-gb', engine: null, pronunciation: null }),
        'regenerate_line',
        { episodeId: 'e1', request: { line_id: 'S1-L2', master_version: 2, text: null, voice: 'en-gb', engine: null, pronunciation: null } },
      ],
      [() => commands.lineTakes('e1', 'S1-L2'), 'line_takes', { episodeId: 'e1', lineId: 'S1-L2' }],
      [() => commands.playerLoadTake('e1', 'S1-L2', 2), 'player_load_take', { episodeId: 'e1', lineId: 'S1-L2', take: 2 }],
      [() => commands.draftMaster('e1'), 'draft_master', { episodeId: 'e1' }],
      [() => commands.playerLoadDraft('e1'), 'player_load_draft', { episodeId: 'e1' }],
      [
        () => commands.revoiceEstimate('e1', { host: 'Sam', voice: 'en-gb', engine: null, master_version: 3 }),
        'revoice_estimate',
        { episodeId: 'e1', request: { host: 'Sam', voice: 'en-gb', engine: null, master_version: 3 } },
      ],
      [
        () => commands.revoice('e1', { host: 'Sam', voice: 'en-gb', engine: null, master_version: 3 }),
        'revoice',
        { episodeId: 'e1', request: { host: 'Sam', voice: 'en-gb', engine: null, master_version: 3 } },
      ],
      [
        () => commands.keepTake('e1', { line_id: 'S1-L2', take: 1, master_version: 3 }),
        'keep_take',
        { episodeId: 'e1', request: { line_id: 'S1-L2', take: 1, master_version: 3 } },
      ],
      [() => commands.playerLoad('e1'), 'player_load', { episodeId: 'e1' }],
      [() => commands.playerPlay(), 'player_play', undefined],
      [() => commands.playerPause(), 'player_pause', undefined],
      [() => commands.playerSeek(1234.6), 'player_seek', { positionMs: 1235 }],
      [() => commands.watchPlayer(playerState), 'watch_player', { onState: playerState }],
      [() => commands.listProviders(), 'list_providers', undefined],
      [() => commands.setApiKey('anthropic', 'sk-123'), 'set_api_key', { provider: 'anthropic', key: 'sk-123' }],
      [() => commands.clearApiKey('anthropic'), 'clear_api_key', { provider: 'anthropic' }],
      [() => commands.setBaseUrl('anthropic', null), 'set_base_url', { provider: 'anthropic', url: null }],
    ];
    for (const [run, name, args] of calls) {
      invokeMock.mockClear();
      await run();
      expect(invokeMock).toHaveBeenCalledTimes(1);
      expect(invokeMock).toHaveBeenCalledWith(name, args);
    }
    // Every command the shell registers (src-tauri/src/lib.rs) has exactly one function here.
    expect(calls).toHaveLength(45);
  });

  it('never sends a negative seek position (the backend takes a u64)', async () => {
    await commands.playerSeek(-20);
    expect(invokeMock).toHaveBeenCalledWith('player_seek', { positionMs: 0 });
  });

  it('return what the backend returned', async () => {
    invokeMock.mockResolvedValueOnce([{ id: 'ep-1' }]);
    await expect(commands.listEpisodes()).resolves.toEqual([{ id: 'ep-1' }]);
  });

  it('reject with a BackendError carrying the field errors', async () => {
    invokeMock.mockRejectedValueOnce(apiError('duplicate', 'A show called X exists.', { name: 'A show called X exists.' }));
    const error = await commands.createShow(brand('X')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect((error as BackendError).code).toBe('duplicate');
    expect((error as BackendError).fields).toEqual({ name: 'A show called X exists.' });
  });
});
