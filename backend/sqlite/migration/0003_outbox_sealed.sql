-- The outbox's data is now stored sealed (AES-256-GCM, a BLOB; see
-- sealMailData), so data queued before this version, in plain JSON, would
-- be unreadable: those emails are failed with a message that says to send
-- a new link, and their plain data is dropped.
UPDATE outbox SET state = 'failed', data = NULL,
	last_error = 'This email was queued by an older version of Roster and was not sent. Resend the invitation or send a new password reset to send a new link.'
	WHERE data IS NOT NULL AND state IN ('queued', 'sending', 'failed');
UPDATE outbox SET data = NULL WHERE data IS NOT NULL;

-- error_category is the SMTP failure's category (certificate, tls, auth,
-- connection_refused, …) when the last attempt failed before the message was
-- offered, '' otherwise: saving new settings or trusting a certificate makes
-- such entries due at once.
ALTER TABLE outbox ADD COLUMN error_category TEXT NOT NULL DEFAULT '';
