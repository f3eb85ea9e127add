// A tiny hash router: the route is the URL's hash, so reloads and the webview's back/forward keep the
// screen, and no router library is needed.

export type Route =
  | { name: 'episodes' }
  | { name: 'dashboard' }
  | { name: 'shows' }
  | { name: 'new-episode' }
  | { name: 'providers' }
  | { name: 'routes' }
  | { name: 'prices' }
  | { name: 'prompts' }
  | { name: 'voices' }
  | { name: 'run'; episodeId: string }
  | { name: 'script'; episodeId: string }
  | { name: 'release'; episodeId: string }
  | { name: 'not-found'; path: string };

export const HOME: Route = { name: 'episodes' };

/** Reads a route from `location.hash` ("#/episodes/ID/script"). An empty hash is the episode list. */
export function parseHash(hash: string): Route {
  const path = hash.replace(/^#\/?/, '').replace(/\/+$/, '');
  const parts = path === '' ? [] : path.split('/').map((p) => safeDecode(p));
  const [first, id, sub, ...rest] = parts;
  if (rest.length > 0) return { name: 'not-found', path };
  if (first === undefined) return HOME;
  if (first === 'dashboard' && id === undefined) return { name: 'dashboard' };
  if (first === 'shows' && id === undefined) return { name: 'shows' };
  if (first === 'new' && id === undefined) return { name: 'new-episode' };
  if (first === 'providers' && id === undefined) return { name: 'providers' };
  if (first === 'routes' && id === undefined) return { name: 'routes' };
  if (first === 'prices' && id === undefined) return { name: 'prices' };
  if (first === 'prompts' && id === undefined) return { name: 'prompts' };
  if (first === 'voices' && id === undefined) return { name: 'voices' };
  if (first === 'episodes') {
    if (id === undefined) return HOME;
    if (id === '') return { name: 'not-found', path };
    if (sub === undefined) return { name: 'run', episodeId: id };
    if (sub === 'script') return { name: 'script', episodeId: id };
    if (sub === 'release') return { name: 'release', episodeId: id };
  }
  return { name: 'not-found', path };
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** The `href` of a route, for links. */
export function hrefFor(route: Route): string {
  switch (route.name) {
    case 'episodes':
      return '#/episodes';
    case 'dashboard':
      return '#/dashboard';
    case 'shows':
      return '#/shows';
    case 'new-episode':
      return '#/new';
    case 'providers':
      return '#/providers';
    case 'routes':
      return '#/routes';
    case 'prices':
      return '#/prices';
    case 'prompts':
      return '#/prompts';
    case 'voices':
      return '#/voices';
    case 'run':
      return `#/episodes/${encodeURIComponent(route.episodeId)}`;
    case 'script':
      return `#/episodes/${encodeURIComponent(route.episodeId)}/script`;
    case 'release':
      return `#/episodes/${encodeURIComponent(route.episodeId)}/release`;
    case 'not-found':
      return `#/${route.path}`;
  }
}

/** Goes to `route` (the app re-renders on `hashchange`). */
export function navigate(route: Route): void {
  window.location.hash = hrefFor(route);
}

/** Which nav entry a route belongs to, for `aria-current`. */
export function navSection(
  route: Route,
): 'episodes' | 'dashboard' | 'shows' | 'new-episode' | 'providers' | 'routes' | 'prices' | 'prompts' | 'voices' | null {
  switch (route.name) {
    case 'episodes':
    case 'run':
    case 'script':
    case 'release':
      return 'episodes';
    case 'dashboard':
    case 'shows':
    case 'new-episode':
    case 'providers':
    case 'routes':
    case 'prices':
    case 'prompts':
    case 'voices':
      return route.name;
    case 'not-found':
      return null;
  }
}
