// Backend answers for unit tests, shaped like the Go facades' DTOs.

export const roles = [
  {
    id: 'user',
    name: 'User',
    builtIn: true,
    permissions: ['chat', 'use_skills', 'create_skills'],
    userCount: 2,
    invitationCount: 1,
  },
  {
    id: 'administrator',
    name: 'Administrator',
    builtIn: true,
    permissions: [
      'chat',
      'use_skills',
      'create_skills',
      'manage_users',
      'change_settings',
      'configure_models',
    ],
    userCount: 1,
    invitationCount: 0,
  },
  {
    id: 'r-support',
    name: 'Support',
    builtIn: false,
    permissions: ['chat', 'use_skills'],
    userCount: 0,
    invitationCount: 0,
  },
];

export const directory = [
  {
    kind: 'user',
    id: 'u-ada',
    name: 'Ada Admin',
    email: 'ada@example.com',
    roleId: 'administrator',
    roleName: 'Administrator',
    status: 'active',
    joinedAt: '2026-03-02T09:30:00.000Z',
    expiresAt: '',
  },
  {
    kind: 'user',
    id: 'u-ben',
    name: 'Ben Becker',
    email: 'ben@example.com',
    roleId: 'user',
    roleName: 'User',
    status: 'inactive',
    joinedAt: '2026-03-05T09:30:00.000Z',
    expiresAt: '',
  },
  {
    kind: 'invitation',
    id: 'i-cleo',
    name: '',
    email: 'cleo@example.com',
    roleId: 'user',
    roleName: 'User',
    status: 'pending',
    joinedAt: '2026-03-06T09:30:00.000Z',
    expiresAt: '2026-03-13T09:30:00.000Z',
  },
];

export function user(over: Record<string, unknown> = {}) {
  return {
    id: 'u-ben',
    name: 'Ben Becker',
    email: 'ben@example.com',
    roleId: 'user',
    roleName: 'User',
    status: 'active',
    joinedAt: '2026-03-05T09:30:00.000Z',
    removedAt: '',
    isSelf: false,
    isLastAdmin: false,
    ...over,
  };
}

/** giveLayout lets the virtual table measure a viewport in happy-dom, which has no layout. */
export function giveLayout(width = 1000, height = 600) {
  const proto = HTMLElement.prototype;
  const props = { clientHeight: height, clientWidth: width, offsetHeight: height, offsetWidth: width };
  const saved = Object.keys(props).map((k) => [k, Object.getOwnPropertyDescriptor(proto, k)] as const);
  for (const [k, v] of Object.entries(props)) {
    Object.defineProperty(proto, k, { configurable: true, get: () => v });
  }
  return () => {
    for (const [k, d] of saved) {
      if (d) Object.defineProperty(proto, k, d);
      else delete (proto as unknown as Record<string, unknown>)[k];
    }
  };
}
