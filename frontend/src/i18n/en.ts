// English is the reference language: every other language must have exactly these keys.
export const en = {
  app: {
    name: 'Roster',
    loading: 'Starting Roster…',
    loadFailed: 'Roster could not start',
    close: 'Close',
    retry: 'Try again',
  },
  setup: {
    title: 'Welcome to Roster',
    intro:
      'Roster manages the users, roles and invitations of your organisation’s chat platform. Set up your organisation to begin; you will be its first administrator.',
    organisationName: 'Organisation name',
    organisationNamePlaceholder: 'Example Ltd',
    adminName: 'Your name',
    adminNamePlaceholder: 'Jane Doe',
    adminEmail: 'Your email address',
    adminEmailPlaceholder: 'jane@example.com',
    submit: 'Set up Roster',
    done: 'Roster is ready. Welcome, {{name}}.',
  },
  nav: {
    main: 'Main',
    overview: 'Overview',
    adminSettings: 'Admin Settings',
    accountMenu: 'Account menu of {{name}}',
    language: 'Language',
    languageSystem: 'Same as the system',
    english: 'English',
    german: 'Deutsch',
    selected: 'selected',
  },
  home: {
    title: 'Overview',
    welcome: 'Welcome, {{name}}',
    organisation: 'Organisation',
    since: 'Managed with Roster since {{date}}',
    manageTitle: 'Users and invitations',
    manageText: 'Invite colleagues, change roles and remove access in Admin Settings.',
    openAdmin: 'Open Admin Settings',
    database: 'Database',
    version: 'Version {{version}}',
  },
  admin: {
    title: 'Admin Settings',
    sections: 'Sections',
    back: 'Back to the overview',
  },
  errors: {
    title: 'That did not work',
    internal: 'Something went wrong. The details were written to Roster’s log.',
    connection: 'The connection to Roster was lost.',
    conflict: 'This already exists.',
    in_use: 'This is still in use, or refers to something that no longer exists.',
    email: {
      line_break: 'An email address cannot contain a line break.',
      missing: 'Enter an email address.',
      single: 'Enter one address only, without a name, like jane@example.com.',
      no_at: 'An email address needs an @ followed by a domain, like jane@example.com.',
      no_local: 'The part before the @ is missing.',
      no_domain: 'The domain after the @ is missing, like example.com.',
      many_at: 'An email address can contain only one @.',
      local_too_long: 'The part before the @ can be at most {{max}} characters long.',
      local_invalid: 'The part before the @ contains a character that is not allowed.',
      local_dots: 'The part before the @ cannot start or end with a dot or contain two dots in a row.',
      local_char: 'The part before the @ contains “{{char}}”, which is not allowed in an email address.',
      domain_literal: 'Use a domain name after the @, not an IP address.',
      domain_dot: 'The domain “{{domain}}” needs a dot, like example.com.',
      domain_invalid: 'The domain “{{domain}}” is not a valid domain name.',
      too_long: 'An email address can be at most {{max}} characters long.',
    },
    name: {
      line_break: 'A name cannot contain a line break.',
      missing: 'Enter a name.',
      too_long: 'A name can be at most {{max}} characters long.',
      control: 'A name cannot contain control characters.',
    },
    user: {
      exists: '{{email}} is already a member.',
    },
  },
};

/** Translations has the shape of the English texts, with any strings. */
export type Translations<T = typeof en> = {
  [K in keyof T]: T[K] extends string ? string : Translations<T[K]>;
};
