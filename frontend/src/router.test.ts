import { describe, expect, it } from 'vitest';
import { hashQuery, parseHash, routeHash, screenHash } from './router';

describe('router', () => {
  it.each([
    ['', { page: 'home' }],
    ['#/', { page: 'home' }],
    ['#/admin', { page: 'admin', section: '' }],
    ['#/admin/users', { page: 'admin', section: 'users' }],
    ['#/unknown', { page: 'home' }],
    ['#/admin/audit?subject=u1', { page: 'admin', section: 'audit' }],
    ['#/admin/sync/conflicts', { page: 'admin', section: 'sync/conflicts' }],
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

  it('carries the filters of a screen in the query', () => {
    const hash = screenHash({ page: 'admin', section: 'audit' }, { subject: 'u1', label: 'Anne & Co' });
    expect(parseHash(hash)).toEqual({ page: 'admin', section: 'audit' });
    expect(hashQuery(hash).get('label')).toBe('Anne & Co');
    expect(hashQuery('#/admin/audit').get('subject')).toBeNull();
  });
});
