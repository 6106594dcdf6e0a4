import { describe, expect, it } from 'vitest';
import { actionKey, changesOf } from './auditText';

describe('actionKey', () => {
  it('turns an action code into an i18n key', () => {
    expect(actionKey('user.role_changed')).toBe('audit.actions.user_role_changed');
    expect(actionKey('settings.email_saved')).toBe('audit.actions.settings_email_saved');
  });
});

describe('changesOf', () => {
  const show = (_: string, v: unknown) => (Array.isArray(v) ? v.join(', ') : String(v));

  it('lists every field of before and after, marking the changed ones', () => {
    const changes = changesOf(
      '{"name":"Ben","role":"User","status":"active"}',
      '{"name":"Ben","role":"Support","status":"active"}',
      show,
    );
    expect(changes).toEqual([
      { field: 'name', before: 'Ben', after: 'Ben', changed: false },
      { field: 'role', before: 'User', after: 'Support', changed: true },
      { field: 'status', before: 'active', after: 'active', changed: false },
    ]);
  });

  it('handles a missing side and text that is not JSON', () => {
    expect(changesOf('', '{"permissions":["chat","use_skills"]}', show)).toEqual([
      { field: 'permissions', before: '', after: 'chat, use_skills', changed: true },
    ]);
    expect(changesOf('not json', '', show)).toEqual([
      { field: 'value', before: 'not json', after: '', changed: true },
    ]);
  });
});
