import { describe, expect, it } from 'vitest';
import { parseHash, routeHash } from './router';

describe('router', () => {
  it.each([
    ['', { page: 'home' }],
    ['#/', { page: 'home' }],
    ['#/admin', { page: 'admin', section: '' }],
    ['#/admin/users', { page: 'admin', section: 'users' }],
    ['#/unknown', { page: 'home' }],
  ])('parses %j', (hash, route) => {
    expect(parseHash(hash)).toEqual(route);
  });

  it('round-trips a route', () => {
    expect(parseHash(routeHash({ page: 'admin', section: 'invitations' }))).toEqual({
      page: 'admin',
      section: 'invitations',
    });
    expect(routeHash({ page: 'home' })).toBe('#/');
  });
});
