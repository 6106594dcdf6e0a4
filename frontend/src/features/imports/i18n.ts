import type { Translations } from '../../i18n/en';

// Texts of the "Invite multiple users" dialog (i18next namespace "imports").
export const importsEn = {
  title: 'Invite multiple users',
  steps:
    'Download the CSV template, fill in one email address and role per row — do not change the columns — and upload the completed file. You will see a preview before anything is sent.',
  template: {
    download: 'Download the CSV template',
    xlsx: 'Excel template (.xlsx)',
    more: 'More template formats',
    saved: 'The template was saved as {{path}}.',
  },
  drop: {
    title: 'Drop the completed file here',
    hint: 'CSV (.csv, .txt) or Excel (.xlsx), up to 50 MB and 200,000 rows',
    choose: 'Choose a file',
    reject: 'Roster reads CSV (.csv, .txt) and Excel (.xlsx) files.',
    area: 'Upload area: drop a CSV or Excel file, or choose one',
  },
  reading: {
    reading: 'Reading {{name}}…',
    validating: 'Checking the addresses…',
    sending: 'Storing the invitations…',
    cancel: 'Cancel',
  },
  file: {
    csv: 'CSV, {{encoding}}, separated by {{separator}}',
    xlsx: 'Excel workbook, sheet “{{sheet}}”',
    comma: 'commas',
    semicolon: 'semicolons',
    tab: 'tabs',
    another: 'Choose another file',
  },
  summary: {
    rows_one: '{{count}} row',
    rows_other: '{{count}} rows',
    ready_one: '{{count}} ready to send',
    ready_other: '{{count}} ready to send',
    attention_one: '{{count}} needs attention',
    attention_other: '{{count}} need attention',
    sent_one: '{{count}} sent',
    sent_other: '{{count}} sent',
    blank_one: '{{count}} blank row skipped',
    blank_other: '{{count}} blank rows skipped',
    lookalike_one: '{{count}} look-alike address',
    lookalike_other: '{{count}} look-alike addresses',
    allValid: 'Every row is ready to send.',
  },
  reasons: {
    missingEmail: 'Missing email',
    invalidEmail: 'Invalid format',
    duplicate: 'Duplicate in the file',
    member: 'Already a member',
    invited: 'Already invited',
    missingRole: 'Missing role',
    unknownRole: 'Unknown role',
    extraColumns: 'Extra columns',
    tooLong: 'Cell too long',
    malformed: 'Broken quotes',
  },
  table: {
    caption: 'Preview of the file’s rows',
    row: 'Row',
    email: 'Email address',
    role: 'Role',
    status: 'Status',
    ok: 'Ready',
    sent: 'Sent',
    all: 'All rows',
    onlyInvalid: 'Only rows that need attention',
    filter: 'Rows to show',
    fix: 'Correct row {{row}}',
    save: 'Check again',
    cancel: 'Cancel',
    editEmail: 'Email address of row {{row}}',
    editRole: 'Role of row {{row}}',
    empty: 'No row needs attention.',
    firstRows: 'The first rows; the rest of the file is still being read.',
    realForm: 'Real form:',
    lookalike:
      'Look-alike address: its domain mixes alphabets, so it can look exactly like another address. Check its real form; the invitation goes to that address.',
  },
  actions: {
    saveRejected: 'Save rejected rows as CSV',
    rejectedSaved: 'The rejected rows were saved as {{path}}.',
    send: 'Send invitations',
    sendCount_one: 'Send {{count}} invitation',
    sendCount_other: 'Send {{count}} invitations',
    close: 'Close',
    done: 'Done',
  },
  result: {
    title: 'Invitations sent',
    sent_one: '{{count}} invitation was stored and its email queued.',
    sent_other: '{{count}} invitations were stored and their emails queued.',
    skipped_one: '{{count}} row was not sent:',
    skipped_other: '{{count}} rows were not sent:',
    delivery: 'Emails',
    deliveryProgress: '{{sent}} sent, {{queued}} waiting',
    deliveryDone: 'All handed to the mail server',
    deliveryFailed: '{{count}} failed — see Invitations',
    notConfigured:
      'Email is not set up yet: the invitations wait in the queue until it is (Admin Settings → Email).',
  },
  errors: {
    import: {
      empty: 'The file is empty. Fill in the template with one row per person and upload it again.',
      too_large: 'The file is larger than 50 MB. Split it into smaller files.',
      too_many_rows:
        'The file has more than 200,000 rows, counting empty ones. Delete the empty rows, or split it into files of at most 200,000 rows.',
      no_rows:
        'The file has the header but no rows. Add one row per person, with an email address and a role.',
      header:
        'The columns do not match the template. Expected the columns: {{expected}}. Found: {{found}}. Download the template and do not change its columns.',
      xls: 'This is an Excel 97–2003 workbook (.xls), which Roster cannot read. Open it in Excel or LibreOffice and save it as Excel Workbook (.xlsx) or CSV.',
      encrypted:
        'This workbook is protected with a password. Remove the password in Excel, save it again and upload it.',
      ods: 'This is an OpenDocument spreadsheet (.ods), which Roster cannot read. In LibreOffice, use File > Save As and choose Excel 2007-365 (.xlsx) or Text CSV (.csv).',
      not_spreadsheet: {
        pdf: 'This is a PDF document, not a CSV or Excel file. Choose a CSV file (.csv, .txt) or an Excel workbook (.xlsx).',
        image:
          'This is an image, not a CSV or Excel file. Choose a CSV file (.csv, .txt) or an Excel workbook (.xlsx).',
        media:
          'This is an audio or video file, not a CSV or Excel file. Choose a CSV file (.csv, .txt) or an Excel workbook (.xlsx).',
        archive:
          'This is a ZIP or other compressed archive, not a CSV or Excel file. Choose a CSV file (.csv, .txt) or an Excel workbook (.xlsx).',
        word: 'This is a Word document, not a CSV or Excel file. Choose a CSV file (.csv, .txt) or an Excel workbook (.xlsx).',
        powerpoint:
          'This is a PowerPoint presentation, not a CSV or Excel file. Choose a CSV file (.csv, .txt) or an Excel workbook (.xlsx).',
        document:
          'This is a text document (RTF or OpenDocument), not a CSV or Excel file. Choose a CSV file (.csv, .txt) or an Excel workbook (.xlsx).',
        office:
          'This is an Office 97–2003 document, not a CSV or Excel file. Choose a CSV file (.csv, .txt) or an Excel workbook (.xlsx).',
        program:
          'This is a program, not a CSV or Excel file. Choose a CSV file (.csv, .txt) or an Excel workbook (.xlsx).',
        web: 'This is a web page or an XML file, not a CSV or Excel file (Excel’s “XML Spreadsheet 2003” and web-page exports are such files). Choose a CSV file (.csv, .txt) or an Excel workbook (.xlsx).',
        folder:
          'This is a folder or a device, not a file. Choose a CSV file (.csv, .txt) or an Excel workbook (.xlsx).',
        binary:
          'This file holds binary data, not text, so it is not a CSV or Excel file. Choose a CSV file (.csv, .txt) or an Excel workbook (.xlsx).',
      },
      damaged:
        'The workbook is damaged and cannot be read. Open it in Excel or LibreOffice, save it again as .xlsx, and upload it.',
      unpacked_too_large:
        'The workbook holds far more data than an invitations list. Copy the invitations into the template and upload that.',
      row_too_large:
        'The file contains a cell of more than 1 MB, which is not an invitations list. Check that you chose the right file.',
      file_not_found: 'The file no longer exists. Choose it again.',
      file_forbidden:
        'Roster is not allowed to read this file. Copy it to your documents and choose the copy.',
      unreadable: 'Roster cannot read this file: {{reason}}.',
      canceled: 'Reading the file was cancelled.',
      transfer: 'The file could not be transferred to Roster. Choose it again.',
      relative_path: 'Roster needs the full path of the file.',
      unavailable: 'Importing is not available.',
      not_found: 'This import is no longer open. Upload the file again.',
      nothing_to_send: 'No row can be sent. Correct the marked rows first.',
      row_not_found: 'The file has no row {{row}}.',
      row_sent: 'Row {{row}} was sent already and can no longer be changed.',
      send_row_failed: 'Nothing was sent: row {{row}} was refused. Check the preview and send again.',
      template_format: 'Download the template as CSV or as Excel workbook.',
      row: {
        email_missing: 'The email address is missing.',
        duplicate: 'This address is already in row {{row}} of the file.',
        member: 'This person is already a member.',
        invited: 'This address has already been invited and has not accepted yet.',
        role_missing: 'The role is missing. Use one of: {{roles}}.',
        role_unknown: '“{{role}}” is not a role. Use one of: {{roles}}.',
        extra_columns:
          'Column {{columns}} has a value, but the template has only the columns email and role.',
        too_long: 'This cell is longer than {{max}} characters.',
        quotes: 'The quotation marks of this row do not pair up, so its cells cannot be told apart.',
      },
    },
  },
};

export const importsDe: Translations<typeof importsEn> = {
  title: 'Mehrere Benutzer einladen',
  steps:
    'Laden Sie die CSV-Vorlage herunter, tragen Sie pro Zeile eine E-Mail-Adresse und eine Rolle ein – ändern Sie die Spalten nicht – und laden Sie die ausgefüllte Datei hoch. Vor dem Senden sehen Sie eine Vorschau.',
  template: {
    download: 'CSV-Vorlage herunterladen',
    xlsx: 'Excel-Vorlage (.xlsx)',
    more: 'Weitere Vorlagenformate',
    saved: 'Die Vorlage wurde als {{path}} gespeichert.',
  },
  drop: {
    title: 'Ausgefüllte Datei hier ablegen',
    hint: 'CSV (.csv, .txt) oder Excel (.xlsx), bis 50 MB und 200.000 Zeilen',
    choose: 'Datei auswählen',
    reject: 'Roster liest CSV- (.csv, .txt) und Excel-Dateien (.xlsx).',
    area: 'Upload-Bereich: CSV- oder Excel-Datei ablegen oder auswählen',
  },
  reading: {
    reading: '{{name}} wird gelesen …',
    validating: 'Die Adressen werden geprüft …',
    sending: 'Die Einladungen werden gespeichert …',
    cancel: 'Abbrechen',
  },
  file: {
    csv: 'CSV, {{encoding}}, getrennt durch {{separator}}',
    xlsx: 'Excel-Arbeitsmappe, Blatt „{{sheet}}“',
    comma: 'Kommas',
    semicolon: 'Semikolons',
    tab: 'Tabulatoren',
    another: 'Andere Datei wählen',
  },
  summary: {
    rows_one: '{{count}} Zeile',
    rows_other: '{{count}} Zeilen',
    ready_one: '{{count}} bereit zum Senden',
    ready_other: '{{count}} bereit zum Senden',
    attention_one: '{{count}} braucht Aufmerksamkeit',
    attention_other: '{{count}} brauchen Aufmerksamkeit',
    sent_one: '{{count}} gesendet',
    sent_other: '{{count}} gesendet',
    blank_one: '{{count}} leere Zeile übersprungen',
    blank_other: '{{count}} leere Zeilen übersprungen',
    lookalike_one: '{{count}} verwechselbare Adresse',
    lookalike_other: '{{count}} verwechselbare Adressen',
    allValid: 'Alle Zeilen sind bereit zum Senden.',
  },
  reasons: {
    missingEmail: 'E-Mail fehlt',
    invalidEmail: 'Ungültiges Format',
    duplicate: 'Doppelt in der Datei',
    member: 'Bereits Mitglied',
    invited: 'Bereits eingeladen',
    missingRole: 'Rolle fehlt',
    unknownRole: 'Unbekannte Rolle',
    extraColumns: 'Zusätzliche Spalten',
    tooLong: 'Zelle zu lang',
    malformed: 'Fehlerhafte Anführungszeichen',
  },
  table: {
    caption: 'Vorschau der Zeilen der Datei',
    row: 'Zeile',
    email: 'E-Mail-Adresse',
    role: 'Rolle',
    status: 'Status',
    ok: 'Bereit',
    sent: 'Gesendet',
    all: 'Alle Zeilen',
    onlyInvalid: 'Nur Zeilen mit Fehlern',
    filter: 'Angezeigte Zeilen',
    fix: 'Zeile {{row}} korrigieren',
    save: 'Erneut prüfen',
    cancel: 'Abbrechen',
    editEmail: 'E-Mail-Adresse von Zeile {{row}}',
    editRole: 'Rolle von Zeile {{row}}',
    empty: 'Keine Zeile braucht Aufmerksamkeit.',
    firstRows: 'Die ersten Zeilen; der Rest der Datei wird noch gelesen.',
    realForm: 'Echte Form:',
    lookalike:
      'Verwechselbare Adresse: Ihre Domain mischt Schriften und kann daher genau wie eine andere Adresse aussehen. Prüfen Sie ihre echte Form; die Einladung geht an diese Adresse.',
  },
  actions: {
    saveRejected: 'Abgelehnte Zeilen als CSV speichern',
    rejectedSaved: 'Die abgelehnten Zeilen wurden als {{path}} gespeichert.',
    send: 'Einladungen senden',
    sendCount_one: '{{count}} Einladung senden',
    sendCount_other: '{{count}} Einladungen senden',
    close: 'Schließen',
    done: 'Fertig',
  },
  result: {
    title: 'Einladungen gesendet',
    sent_one: '{{count}} Einladung wurde gespeichert und ihre E-Mail eingereiht.',
    sent_other: '{{count}} Einladungen wurden gespeichert und ihre E-Mails eingereiht.',
    skipped_one: '{{count}} Zeile wurde nicht gesendet:',
    skipped_other: '{{count}} Zeilen wurden nicht gesendet:',
    delivery: 'E-Mails',
    deliveryProgress: '{{sent}} gesendet, {{queued}} wartend',
    deliveryDone: 'Alle an den Mailserver übergeben',
    deliveryFailed: '{{count}} fehlgeschlagen – siehe Einladungen',
    notConfigured:
      'E-Mail ist noch nicht eingerichtet: Die Einladungen warten in der Warteschlange, bis sie es ist (Admin-Einstellungen → E-Mail).',
  },
  errors: {
    import: {
      empty:
        'Die Datei ist leer. Füllen Sie die Vorlage mit einer Zeile pro Person aus und laden Sie sie erneut hoch.',
      too_large: 'Die Datei ist größer als 50 MB. Teilen Sie sie in kleinere Dateien auf.',
      too_many_rows:
        'Die Datei hat mehr als 200.000 Zeilen, leere mitgezählt. Löschen Sie die leeren Zeilen oder teilen Sie sie in Dateien mit höchstens 200.000 Zeilen auf.',
      no_rows:
        'Die Datei hat die Kopfzeile, aber keine Zeilen. Fügen Sie pro Person eine Zeile mit E-Mail-Adresse und Rolle hinzu.',
      header:
        'Die Spalten passen nicht zur Vorlage. Erwartet: {{expected}}. Gefunden: {{found}}. Laden Sie die Vorlage herunter und ändern Sie ihre Spalten nicht.',
      xls: 'Dies ist eine Excel-97–2003-Arbeitsmappe (.xls), die Roster nicht lesen kann. Öffnen Sie sie in Excel oder LibreOffice und speichern Sie sie als Excel-Arbeitsmappe (.xlsx) oder CSV.',
      encrypted:
        'Diese Arbeitsmappe ist mit einem Passwort geschützt. Entfernen Sie das Passwort in Excel, speichern Sie sie erneut und laden Sie sie hoch.',
      ods: 'Dies ist eine OpenDocument-Tabelle (.ods), die Roster nicht lesen kann. Wählen Sie in LibreOffice Datei > Speichern unter und dann Excel 2007-365 (.xlsx) oder Text CSV (.csv).',
      not_spreadsheet: {
        pdf: 'Dies ist ein PDF-Dokument, keine CSV- oder Excel-Datei. Wählen Sie eine CSV-Datei (.csv, .txt) oder eine Excel-Arbeitsmappe (.xlsx).',
        image:
          'Dies ist ein Bild, keine CSV- oder Excel-Datei. Wählen Sie eine CSV-Datei (.csv, .txt) oder eine Excel-Arbeitsmappe (.xlsx).',
        media:
          'Dies ist eine Audio- oder Videodatei, keine CSV- oder Excel-Datei. Wählen Sie eine CSV-Datei (.csv, .txt) oder eine Excel-Arbeitsmappe (.xlsx).',
        archive:
          'Dies ist ein ZIP- oder anderes komprimiertes Archiv, keine CSV- oder Excel-Datei. Wählen Sie eine CSV-Datei (.csv, .txt) oder eine Excel-Arbeitsmappe (.xlsx).',
        word: 'Dies ist ein Word-Dokument, keine CSV- oder Excel-Datei. Wählen Sie eine CSV-Datei (.csv, .txt) oder eine Excel-Arbeitsmappe (.xlsx).',
        powerpoint:
          'Dies ist eine PowerPoint-Präsentation, keine CSV- oder Excel-Datei. Wählen Sie eine CSV-Datei (.csv, .txt) oder eine Excel-Arbeitsmappe (.xlsx).',
        document:
          'Dies ist ein Textdokument (RTF oder OpenDocument), keine CSV- oder Excel-Datei. Wählen Sie eine CSV-Datei (.csv, .txt) oder eine Excel-Arbeitsmappe (.xlsx).',
        office:
          'Dies ist ein Office-97–2003-Dokument, keine CSV- oder Excel-Datei. Wählen Sie eine CSV-Datei (.csv, .txt) oder eine Excel-Arbeitsmappe (.xlsx).',
        program:
          'Dies ist ein Programm, keine CSV- oder Excel-Datei. Wählen Sie eine CSV-Datei (.csv, .txt) oder eine Excel-Arbeitsmappe (.xlsx).',
        web: 'Dies ist eine Webseite oder eine XML-Datei, keine CSV- oder Excel-Datei (Excels „XML-Kalkulationstabelle 2003“ und Webseiten-Exporte sind solche Dateien). Wählen Sie eine CSV-Datei (.csv, .txt) oder eine Excel-Arbeitsmappe (.xlsx).',
        folder:
          'Dies ist ein Ordner oder ein Gerät, keine Datei. Wählen Sie eine CSV-Datei (.csv, .txt) oder eine Excel-Arbeitsmappe (.xlsx).',
        binary:
          'Diese Datei enthält Binärdaten, keinen Text, und ist daher keine CSV- oder Excel-Datei. Wählen Sie eine CSV-Datei (.csv, .txt) oder eine Excel-Arbeitsmappe (.xlsx).',
      },
      damaged:
        'Die Arbeitsmappe ist beschädigt und kann nicht gelesen werden. Öffnen Sie sie in Excel oder LibreOffice, speichern Sie sie erneut als .xlsx und laden Sie sie hoch.',
      unpacked_too_large:
        'Die Arbeitsmappe enthält weit mehr Daten als eine Einladungsliste. Kopieren Sie die Einladungen in die Vorlage und laden Sie diese hoch.',
      row_too_large:
        'Die Datei enthält eine Zelle mit mehr als 1 MB; das ist keine Einladungsliste. Prüfen Sie, ob Sie die richtige Datei gewählt haben.',
      file_not_found: 'Die Datei existiert nicht mehr. Wählen Sie sie erneut.',
      file_forbidden:
        'Roster darf diese Datei nicht lesen. Kopieren Sie sie in Ihre Dokumente und wählen Sie die Kopie.',
      unreadable: 'Roster kann diese Datei nicht lesen: {{reason}}.',
      canceled: 'Das Lesen der Datei wurde abgebrochen.',
      transfer: 'Die Datei konnte nicht an Roster übergeben werden. Wählen Sie sie erneut.',
      relative_path: 'Roster braucht den vollständigen Pfad der Datei.',
      unavailable: 'Importieren ist nicht verfügbar.',
      not_found: 'Dieser Import ist nicht mehr geöffnet. Laden Sie die Datei erneut hoch.',
      nothing_to_send: 'Keine Zeile kann gesendet werden. Korrigieren Sie zuerst die markierten Zeilen.',
      row_not_found: 'Die Datei hat keine Zeile {{row}}.',
      row_sent: 'Zeile {{row}} wurde bereits gesendet und kann nicht mehr geändert werden.',
      send_row_failed:
        'Nichts wurde gesendet: Zeile {{row}} wurde abgelehnt. Prüfen Sie die Vorschau und senden Sie erneut.',
      template_format: 'Laden Sie die Vorlage als CSV oder als Excel-Arbeitsmappe herunter.',
      row: {
        email_missing: 'Die E-Mail-Adresse fehlt.',
        duplicate: 'Diese Adresse steht bereits in Zeile {{row}} der Datei.',
        member: 'Diese Person ist bereits Mitglied.',
        invited: 'Diese Adresse wurde bereits eingeladen und hat noch nicht angenommen.',
        role_missing: 'Die Rolle fehlt. Verwenden Sie eine von: {{roles}}.',
        role_unknown: '„{{role}}“ ist keine Rolle. Verwenden Sie eine von: {{roles}}.',
        extra_columns:
          'Spalte {{columns}} hat einen Wert, aber die Vorlage hat nur die Spalten email und role.',
        too_long: 'Diese Zelle ist länger als {{max}} Zeichen.',
        quotes:
          'Die Anführungszeichen dieser Zeile sind nicht paarig, daher lassen sich ihre Zellen nicht trennen.',
      },
    },
  },
};
