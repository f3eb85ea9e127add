import { describe, expect, it } from 'vitest';
import { hrefFor, navSection, parseHash, type Route } from './router';

describe('router', () => {
  it('reads every screen from the hash', () => {
    expect(parseHash('')).toEqual({ name: 'episodes' });
    expect(parseHash('#/')).toEqual({ name: 'episodes' });
    expect(parseHash('#/episodes')).toEqual({ name: 'episodes' });
    expect(parseHash('#/shows')).toEqual({ name: 'shows' });
    expect(parseHash('#/dashboard')).toEqual({ name: 'dashboard' });
    expect(parseHash('#/new')).toEqual({ name: 'new-episode' });
    expect(parseHash('#/providers')).toEqual({ name: 'providers' });
    expect(parseHash('#/routes')).toEqual({ name: 'routes' });
    expect(parseHash('#/prices')).toEqual({ name: 'prices' });
    expect(parseHash('#/episodes/abc')).toEqual({ name: 'run', episodeId: 'abc' });
    expect(parseHash('#/episodes/abc/script')).toEqual({ name: 'script', episodeId: 'abc' });
    expect(parseHash('#/episodes/abc/release/')).toEqual({ name: 'release', episodeId: 'abc' });
    expect(parseHash('#/nope')).toEqual({ name: 'not-found', path: 'nope' });
    expect(parseHash('#/episodes/a/b/c')).toMatchObject({ name: 'not-found' });
  });

  it('round-trips routes through hrefs', () => {
    const routes: Route[] = [
      { name: 'episodes' },
      { name: 'shows' },
      { name: 'dashboard' },
      { name: 'new-episode' },
      { name: 'providers' },
      { name: 'routes' },
      { name: 'prices' },
      { name: 'run', episodeId: '0190-ab cd' },
      { name: 'script', episodeId: 'e1' },
      { name: 'release', episodeId: 'e1' },
    ];
    for (const route of routes) expect(parseHash(hrefFor(route))).toEqual(route);
  });

  it('keeps the Episodes nav entry current inside an episode', () => {
    expect(navSection({ name: 'release', episodeId: 'e' })).toBe('episodes');
    expect(navSection({ name: 'providers' })).toBe('providers');
    expect(navSection({ name: 'not-found', path: 'x' })).toBeNull();
  });
});
