import type { Translations } from '../../i18n/en';

// Texts of Admin Settings → Email (i18next namespace "email").
export const emailEn = {
  title: 'Email',
  intro:
    'Invitations and password resets are sent through your organisation’s mail server. Roster keeps them in a queue and sends them when the server can be reached.',
  queue: {
    title: 'Mail queue',
    queued: 'Waiting',
    sending: 'Sending',
    sent: 'Sent',
    failed: 'Failed',
    nextAttempt: 'Next attempt {{when}}',
    notConfigured: 'Email is not set up yet: invitations wait in the queue until it is.',
  },
  form: {
    title: 'Mail server (SMTP)',
    host: 'Host',
    hostPlaceholder: 'smtp.example.com',
    port: 'Port',
    security: 'Security',
    starttls: 'STARTTLS',
    tls: 'TLS',
    none: 'None',
    securityHelp:
      'STARTTLS usually uses port 587, TLS port 465. “None” is only allowed for a server on this computer.',
    username: 'User name',
    password: 'Password',
    passwordSaved: 'Saved in the keyring; leave empty to keep it',
    passwordSession: 'Kept for this session only; leave empty to keep it',
    passwordHelp: 'Stored in your operating system’s keyring, never in Roster’s database.',
    fromName: 'Sender name',
    fromNamePlaceholder: 'Example Ltd',
    fromAddress: 'Sender address',
    fromAddressPlaceholder: 'no-reply@example.com',
    platformUrl: 'Platform address',
    platformUrlHelp: 'Registration links are <address>/invite/…, reset links <address>/reset/….',
    platformUrlPlaceholder: 'https://chat.example.com',
    language: 'Language of the emails',
    rateLimit: 'Messages per minute',
    rateLimitHelp: 'Protects your mail server during large invitation batches.',
    trusted: 'Trusted certificate',
    trustedHelp: 'Only this self-signed certificate is accepted, identified by its SHA-256 fingerprint.',
    stopTrusting: 'Stop trusting',
    save: 'Save settings',
    saved: 'Email settings saved.',
    savedSession: 'Email settings saved. The password is kept until Roster closes.',
  },
  keyring: {
    title: 'The password cannot be stored in the keyring',
    sessionOnly: 'Keep the password for this session only',
    sessionExplain:
      'Roster will use the password until it closes, without storing it anywhere. You will need to enter it again next time.',
  },
  test: {
    title: 'Send test email',
    intro: 'Sends a short message with the saved settings. Save your changes first.',
    to: 'Send to',
    send: 'Send test email',
    sent: 'A test email was sent to {{to}}.',
    failedTitle: 'The test email was not sent',
    serverReply: 'The server’s reply',
    certificate: {
      title: 'The server’s certificate is not trusted',
      explain:
        'The certificate could not be verified ({{reason}}). If your mail server uses a self-signed certificate and this is its fingerprint, you can trust exactly this certificate.',
      fingerprint: 'SHA-256 fingerprint',
      subject: 'Issued to',
      issuer: 'Issued by',
      valid: 'Valid',
      validRange: '{{from}} to {{to}}',
      trust: 'Trust this certificate',
      trusted: 'The certificate is trusted. Send the test email again.',
    },
  },
  preview: {
    title: 'Email templates',
    invitation: 'Invitation',
    passwordReset: 'Password reset',
    language: 'Language',
    subject: 'Subject',
    html: 'Formatted',
    text: 'Plain text',
    frameTitle: 'Preview of the formatted email',
  },
  languages: { en: 'English', de: 'German' },
  errors: {
    email: {
      not_configured: 'Email is not set up yet. Enter the mail server’s settings and save them.',
      no_password: 'No password is saved for the mail server. Enter it and save the settings.',
    },
    emailSettings: {
      host_missing: 'Enter the SMTP server’s host name.',
      host_invalid: '“{{host}}” is not a valid host name.',
      port: 'The port must be a number from 1 to 65535.',
      security: 'Choose STARTTLS, TLS or none.',
      security_none:
        'An unencrypted connection is only allowed to a server on this computer (localhost). Choose STARTTLS or TLS.',
      language: 'Emails can be written in English or German.',
      rate_limit: 'The rate limit must be from 1 to {{max}} messages per minute.',
      platform_url_missing: 'Enter the platform’s address, like https://chat.example.com.',
      platform_url_invalid: 'Enter the platform’s full address, like https://chat.example.com.',
      platform_url_https:
        'The platform address must start with https:// (http:// only for a platform on this computer).',
      platform_url_extra: 'The platform address cannot contain a user name, a query (?) or a fragment (#).',
      fingerprint: 'A certificate fingerprint is a SHA-256 value: 64 hexadecimal digits.',
      password_invalid: 'The password cannot contain line breaks or control characters.',
      password_too_long: 'The password is too long.',
      username_line_break: 'This field cannot contain a line break.',
      username_control: 'This field cannot contain control characters.',
      username_too_long: 'This field can be at most {{max}} characters long.',
      from_name_line_break: 'This field cannot contain a line break.',
      from_name_control: 'This field cannot contain control characters.',
      from_name_too_long: 'This field can be at most {{max}} characters long.',
    },
    keyring: {
      no_session:
        'There is no desktop session bus (D-Bus), so the system keyring cannot be reached. Log in to a desktop session, or keep the password for this session only.',
      no_service:
        'No keyring service (Secret Service) is running. Install and start one, such as GNOME Keyring or KWallet, or keep the password for this session only.',
      locked:
        'The system keyring is locked. Unlock it (log in again), or keep the password for this session only.',
      timeout:
        'The system keyring did not answer in time. Try again, or keep the password for this session only.',
      unavailable:
        'The system keyring cannot be used. Keep the password for this session only, or try again.',
    },
    smtp: {
      auth: 'The server refused the login.',
      certificate: 'The server’s certificate is not trusted.',
      tls: 'The encrypted connection failed.',
      connection_refused: 'Nothing answers at {{server}}. Check the host and port, and that the server runs.',
      timeout: 'The server at {{server}} did not answer in time.',
      dns: 'The server’s host name could not be found.',
      rejected: 'The server refused the message.',
      network: 'The connection to the server failed.',
    },
    outbox: {
      not_found: 'This email is no longer in the queue.',
      not_failed: 'This email has not failed; there is nothing to retry.',
      invitation_closed: 'This invitation was deleted or replaced. Resend it instead.',
      reset_closed: 'This password reset was replaced or used. Send a new one instead.',
      data_lost:
        'This email’s link can no longer be read: it was protected with a key kept only until Roster quit, because the system keyring could not be used. Resend the invitation or send a new password reset.',
    },
  },
};

export const emailDe: Translations<typeof emailEn> = {
  title: 'E-Mail',
  intro:
    'Einladungen und Passwort-Zurücksetzungen werden über den Mailserver Ihrer Organisation verschickt. Roster hält sie in einer Warteschlange und sendet sie, sobald der Server erreichbar ist.',
  queue: {
    title: 'Warteschlange',
    queued: 'Wartend',
    sending: 'Wird gesendet',
    sent: 'Gesendet',
    failed: 'Fehlgeschlagen',
    nextAttempt: 'Nächster Versuch {{when}}',
    notConfigured:
      'E-Mail ist noch nicht eingerichtet: Einladungen warten in der Warteschlange, bis sie es ist.',
  },
  form: {
    title: 'Mailserver (SMTP)',
    host: 'Host',
    hostPlaceholder: 'smtp.example.com',
    port: 'Port',
    security: 'Verschlüsselung',
    starttls: 'STARTTLS',
    tls: 'TLS',
    none: 'Keine',
    securityHelp:
      'STARTTLS nutzt meist Port 587, TLS Port 465. „Keine“ ist nur für einen Server auf diesem Computer erlaubt.',
    username: 'Benutzername',
    password: 'Passwort',
    passwordSaved: 'Im Schlüsselbund gespeichert; leer lassen, um es zu behalten',
    passwordSession: 'Nur für diese Sitzung gemerkt; leer lassen, um es zu behalten',
    passwordHelp: 'Wird im Schlüsselbund Ihres Betriebssystems gespeichert, nie in der Datenbank von Roster.',
    fromName: 'Absendername',
    fromNamePlaceholder: 'Beispiel GmbH',
    fromAddress: 'Absenderadresse',
    fromAddressPlaceholder: 'no-reply@example.com',
    platformUrl: 'Adresse der Plattform',
    platformUrlHelp:
      'Registrierungslinks lauten <Adresse>/invite/…, Links zum Zurücksetzen <Adresse>/reset/….',
    platformUrlPlaceholder: 'https://chat.example.com',
    language: 'Sprache der E-Mails',
    rateLimit: 'Nachrichten pro Minute',
    rateLimitHelp: 'Schützt Ihren Mailserver bei großen Einladungswellen.',
    trusted: 'Vertrauenswürdiges Zertifikat',
    trustedHelp:
      'Nur dieses selbstsignierte Zertifikat wird akzeptiert, erkannt an seinem SHA-256-Fingerabdruck.',
    stopTrusting: 'Nicht mehr vertrauen',
    save: 'Einstellungen speichern',
    saved: 'E-Mail-Einstellungen gespeichert.',
    savedSession:
      'E-Mail-Einstellungen gespeichert. Das Passwort bleibt bis zum Schließen von Roster gemerkt.',
  },
  keyring: {
    title: 'Das Passwort kann nicht im Schlüsselbund gespeichert werden',
    sessionOnly: 'Passwort nur für diese Sitzung merken',
    sessionExplain:
      'Roster verwendet das Passwort, bis es geschlossen wird, ohne es irgendwo zu speichern. Beim nächsten Start müssen Sie es erneut eingeben.',
  },
  test: {
    title: 'Test-E-Mail senden',
    intro:
      'Sendet eine kurze Nachricht mit den gespeicherten Einstellungen. Speichern Sie Ihre Änderungen zuerst.',
    to: 'Senden an',
    send: 'Test-E-Mail senden',
    sent: 'Eine Test-E-Mail wurde an {{to}} gesendet.',
    failedTitle: 'Die Test-E-Mail wurde nicht gesendet',
    serverReply: 'Antwort des Servers',
    certificate: {
      title: 'Dem Zertifikat des Servers wird nicht vertraut',
      explain:
        'Das Zertifikat konnte nicht geprüft werden ({{reason}}). Wenn Ihr Mailserver ein selbstsigniertes Zertifikat mit diesem Fingerabdruck verwendet, können Sie genau diesem Zertifikat vertrauen.',
      fingerprint: 'SHA-256-Fingerabdruck',
      subject: 'Ausgestellt für',
      issuer: 'Ausgestellt von',
      valid: 'Gültig',
      validRange: '{{from}} bis {{to}}',
      trust: 'Diesem Zertifikat vertrauen',
      trusted: 'Dem Zertifikat wird vertraut. Senden Sie die Test-E-Mail erneut.',
    },
  },
  preview: {
    title: 'E-Mail-Vorlagen',
    invitation: 'Einladung',
    passwordReset: 'Passwort zurücksetzen',
    language: 'Sprache',
    subject: 'Betreff',
    html: 'Formatiert',
    text: 'Nur Text',
    frameTitle: 'Vorschau der formatierten E-Mail',
  },
  languages: { en: 'Englisch', de: 'Deutsch' },
  errors: {
    email: {
      not_configured:
        'E-Mail ist noch nicht eingerichtet. Geben Sie die Einstellungen des Mailservers ein und speichern Sie sie.',
      no_password:
        'Für den Mailserver ist kein Passwort gespeichert. Geben Sie es ein und speichern Sie die Einstellungen.',
    },
    emailSettings: {
      host_missing: 'Geben Sie den Hostnamen des SMTP-Servers ein.',
      host_invalid: '„{{host}}“ ist kein gültiger Hostname.',
      port: 'Der Port muss eine Zahl von 1 bis 65535 sein.',
      security: 'Wählen Sie STARTTLS, TLS oder keine.',
      security_none:
        'Eine unverschlüsselte Verbindung ist nur zu einem Server auf diesem Computer (localhost) erlaubt. Wählen Sie STARTTLS oder TLS.',
      language: 'E-Mails können auf Englisch oder Deutsch geschrieben werden.',
      rate_limit: 'Die Begrenzung muss zwischen 1 und {{max}} Nachrichten pro Minute liegen.',
      platform_url_missing: 'Geben Sie die Adresse der Plattform ein, etwa https://chat.example.com.',
      platform_url_invalid:
        'Geben Sie die vollständige Adresse der Plattform ein, etwa https://chat.example.com.',
      platform_url_https:
        'Die Adresse der Plattform muss mit https:// beginnen (http:// nur für eine Plattform auf diesem Computer).',
      platform_url_extra:
        'Die Adresse der Plattform darf keinen Benutzernamen, keine Abfrage (?) und kein Fragment (#) enthalten.',
      fingerprint: 'Ein Zertifikats-Fingerabdruck ist ein SHA-256-Wert: 64 hexadezimale Ziffern.',
      password_invalid: 'Das Passwort darf keine Zeilenumbrüche oder Steuerzeichen enthalten.',
      password_too_long: 'Das Passwort ist zu lang.',
      username_line_break: 'Dieses Feld darf keinen Zeilenumbruch enthalten.',
      username_control: 'Dieses Feld darf keine Steuerzeichen enthalten.',
      username_too_long: 'Dieses Feld darf höchstens {{max}} Zeichen lang sein.',
      from_name_line_break: 'Dieses Feld darf keinen Zeilenumbruch enthalten.',
      from_name_control: 'Dieses Feld darf keine Steuerzeichen enthalten.',
      from_name_too_long: 'Dieses Feld darf höchstens {{max}} Zeichen lang sein.',
    },
    keyring: {
      no_session:
        'Es gibt keinen Sitzungsbus (D-Bus), daher ist der Schlüsselbund des Systems nicht erreichbar. Melden Sie sich an einer Desktop-Sitzung an, oder merken Sie das Passwort nur für diese Sitzung.',
      no_service:
        'Es läuft kein Schlüsselbund-Dienst (Secret Service). Installieren und starten Sie einen, etwa GNOME Keyring oder KWallet, oder merken Sie das Passwort nur für diese Sitzung.',
      locked:
        'Der Schlüsselbund des Systems ist gesperrt. Entsperren Sie ihn (melden Sie sich neu an), oder merken Sie das Passwort nur für diese Sitzung.',
      timeout:
        'Der Schlüsselbund des Systems hat nicht rechtzeitig geantwortet. Versuchen Sie es erneut, oder merken Sie das Passwort nur für diese Sitzung.',
      unavailable:
        'Der Schlüsselbund des Systems kann nicht verwendet werden. Merken Sie das Passwort nur für diese Sitzung, oder versuchen Sie es erneut.',
    },
    smtp: {
      auth: 'Der Server hat die Anmeldung abgelehnt.',
      certificate: 'Dem Zertifikat des Servers wird nicht vertraut.',
      tls: 'Die verschlüsselte Verbindung ist fehlgeschlagen.',
      connection_refused:
        'Unter {{server}} antwortet nichts. Prüfen Sie Host und Port und ob der Server läuft.',
      timeout: 'Der Server unter {{server}} hat nicht rechtzeitig geantwortet.',
      dns: 'Der Hostname des Servers wurde nicht gefunden.',
      rejected: 'Der Server hat die Nachricht abgelehnt.',
      network: 'Die Verbindung zum Server ist fehlgeschlagen.',
    },
    outbox: {
      not_found: 'Diese E-Mail ist nicht mehr in der Warteschlange.',
      not_failed: 'Diese E-Mail ist nicht fehlgeschlagen; es gibt nichts zu wiederholen.',
      invitation_closed: 'Diese Einladung wurde gelöscht oder ersetzt. Senden Sie sie stattdessen erneut.',
      reset_closed: 'Dieses Zurücksetzen wurde ersetzt oder verwendet. Senden Sie stattdessen ein neues.',
      data_lost:
        'Der Link dieser E-Mail kann nicht mehr gelesen werden: Er war mit einem Schlüssel geschützt, der nur bis zum Beenden von Roster galt, weil der Schlüsselbund des Systems nicht verfügbar war. Senden Sie die Einladung erneut oder fordern Sie ein neues Passwort an.',
    },
  },
};
