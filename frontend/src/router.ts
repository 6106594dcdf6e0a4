import { useCallback, useSyncExternalStore } from 'react';

// Screens are addressed by the URL hash, so a reload of the web view (WebKitGTK
// reloads on some file drops) returns to the same screen.

export type Route = { page: 'home' } | { page: 'admin'; section: string };

export function parseHash(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('?')[0].split('/').filter(Boolean);
  // A section's own screens are "<section>/<screen>" (Sync → Conflicts: sync/conflicts).
  if (parts[0] === 'admin') return { page: 'admin', section: parts.slice(1, 3).join('/') };
  return { page: 'home' };
}

export function routeHash(route: Route): string {
  return route.page === 'admin' ? `#/admin/${route.section}`.replace(/\/$/, '') : '#/';
}

function subscribe(onChange: () => void) {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

const getHash = () => window.location.hash;

/**
 * hashQuery is the query of a hash such as "#/admin/audit?subject=…": a
 * screen's filters, given when another screen opens it.
 */
export function hashQuery(hash: string): URLSearchParams {
  const i = hash.indexOf('?');
  return new URLSearchParams(i < 0 ? '' : hash.slice(i + 1));
}

/** screenHash is the hash of a screen opened with filters (see hashQuery). */
export function screenHash(route: Route, query: Record<string, string>): string {
  return `${routeHash(route)}?${new URLSearchParams(query)}`;
}

/** useHashQuery returns the current screen's query (see hashQuery). */
export function useHashQuery(): URLSearchParams {
  return hashQuery(useSyncExternalStore(subscribe, getHash, getHash));
}

/** useRoute returns the current screen and a function that goes to another. */
export function useRoute(): [Route, (r: Route) => void] {
  const hash = useSyncExternalStore(subscribe, getHash, getHash);
  const navigate = useCallback((r: Route) => {
    window.location.hash = routeHash(r);
  }, []);
  return [parseHash(hash), navigate];
}
