import type { Translations } from '../../i18n/en';

// Texts of Admin Settings → Sync (i18next namespace "sync").
export const syncEn = {
  title: 'Sync',
  intro:
    'Connect Roster to your organisation’s directory server, so that several administrators on several computers manage one directory. Roster keeps working without a network and catches up later.',
  form: {
    title: 'Directory server',
    titleAgain: 'Connect again',
    introAgain: 'With a new API token, or to another address of the same server.',
    url: 'Server address',
    urlPlaceholder: 'https://roster.example.com',
    urlHelp: 'The address of your organisation’s roster-server.',
    token: 'API token',
    tokenHelp:
      'Make one on the server with roster-server token create. It is stored in your operating system’s keyring, never in Roster’s database.',
    connect: 'Connect',
    connected: 'Connected to {{server}}.',
    connectedSession: 'Connected to {{server}}. The token is kept until Roster closes.',
    failedTitle: 'Cannot connect',
  },
  connection: {
    title: 'Connected',
    server: 'Server',
    organisation: 'Organisation',
    administrator: 'Connected as',
    version: 'Server version',
    since: 'Connected since',
    client: 'This computer appears as',
    token: 'API token',
    tokenKeyring: 'Saved in the keyring',
    tokenSession: 'Kept until Roster closes: connect again next time',
    tokenNone: 'Missing: connect again with a token',
  },
  disconnect: {
    button: 'Disconnect',
    title: 'Disconnect from {{server}}?',
    body: 'Roster forgets the server’s address and the API token. Your users, invitations and roles stay on this computer, and you can connect again with a token.',
    confirm: 'Disconnect',
    done: 'Disconnected from the directory server.',
  },
  keyring: {
    title: 'The token cannot be stored in the keyring',
    sessionOnly: 'Keep the token for this session only',
    sessionExplain:
      'Roster will use the token until it closes, without storing it anywhere. You will need to connect again next time.',
  },
};

export const syncDe: Translations<typeof syncEn> = {
  title: 'Synchronisierung',
  intro:
    'Verbinden Sie Roster mit dem Verzeichnisserver Ihrer Organisation, damit mehrere Administratoren auf mehreren Computern ein Verzeichnis verwalten. Roster arbeitet auch ohne Netzwerk weiter und holt später auf.',
  form: {
    title: 'Verzeichnisserver',
    titleAgain: 'Erneut verbinden',
    introAgain: 'Mit einem neuen API-Token oder über eine andere Adresse desselben Servers.',
    url: 'Serveradresse',
    urlPlaceholder: 'https://roster.example.com',
    urlHelp: 'Die Adresse des roster-server Ihrer Organisation.',
    token: 'API-Token',
    tokenHelp:
      'Erstellen Sie eines auf dem Server mit roster-server token create. Es wird im Schlüsselbund Ihres Betriebssystems gespeichert, nie in der Datenbank von Roster.',
    connect: 'Verbinden',
    connected: 'Mit {{server}} verbunden.',
    connectedSession: 'Mit {{server}} verbunden. Das Token wird behalten, bis Roster geschlossen wird.',
    failedTitle: 'Verbindung nicht möglich',
  },
  connection: {
    title: 'Verbunden',
    server: 'Server',
    organisation: 'Organisation',
    administrator: 'Verbunden als',
    version: 'Serverversion',
    since: 'Verbunden seit',
    client: 'Dieser Computer erscheint als',
    token: 'API-Token',
    tokenKeyring: 'Im Schlüsselbund gespeichert',
    tokenSession: 'Behalten, bis Roster geschlossen wird: beim nächsten Mal erneut verbinden',
    tokenNone: 'Fehlt: erneut mit einem Token verbinden',
  },
  disconnect: {
    button: 'Trennen',
    title: 'Verbindung zu {{server}} trennen?',
    body: 'Roster vergisst die Adresse des Servers und das API-Token. Ihre Benutzer, Einladungen und Rollen bleiben auf diesem Computer, und Sie können sich mit einem Token erneut verbinden.',
    confirm: 'Trennen',
    done: 'Die Verbindung zum Verzeichnisserver wurde getrennt.',
  },
  keyring: {
    title: 'Das Token kann nicht im Schlüsselbund gespeichert werden',
    sessionOnly: 'Token nur für diese Sitzung behalten',
    sessionExplain:
      'Roster verwendet das Token, bis es geschlossen wird, ohne es irgendwo zu speichern. Beim nächsten Mal müssen Sie sich erneut verbinden.',
  },
};
