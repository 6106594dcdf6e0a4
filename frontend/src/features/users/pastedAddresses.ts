/**
 * splitAddresses splits what was typed or pasted into the email field into
 * addresses: one per line, or separated by commas or semicolons. Blank pieces
 * are dropped; each address is checked later like a row of an import file.
 */
export function splitAddresses(text: string): string[] {
  return text
    .split(/[\r\n,;]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** csvField quotes a CSV field when it needs to be, doubling its quotes. */
function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * addressesCSV writes addresses with one role as the import template's CSV
 * (`email,role`), so that the pasted addresses go through exactly the checks
 * of an imported file: format, duplicates, members, open invitations.
 */
export function addressesCSV(addresses: string[], roleName: string): string {
  return ['email,role', ...addresses.map((a) => `${csvField(a)},${csvField(roleName)}`)].join('\r\n');
}
