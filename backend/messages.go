package backend

// The declarations of every message Roster shows a person: its key and its
// argument names. The texts are in backend/msg/en.json and de.json under
// "errors.<key>"; frontend/src/api/messageKeys.ts is generated from this file.
//
// To declare a new message:
//  1. Add a line here, in the group of its area:
//     MsgRoleExists = Declare("role.exists", "name")
//     (the key in lower snake case under the area; the variable is Msg plus
//     the key in CamelCase, which TestMessageCalls relies on; the argument
//     names are the {{placeholders}} of its text; arguments the window reads
//     beside the text but the text does not show go in
//     .WithDetails("fingerprint")).
//  2. Add its English text to backend/msg/en.json and its German text to
//     backend/msg/de.json under "errors" (nested by the dots of the key), with
//     the same {{placeholders}}.
//  3. Build the error where it happens with the declaration, never with an
//     inline sentence: backend.MsgRoleExists.FieldError(backend.ECONFLICT,
//     "name", "name", n) or .Error(code, "name", n); the Message is the
//     English text.
//  4. Run scripts/check-bindings.sh and commit the regenerated
//     frontend/src/api/messageKeys.ts. TestMessages in backend/msg fails
//     while a text is missing or uses an argument its key does not declare;
//     TestMessageCalls in backend fails on a call with an undeclared argument.
//
// The window reads these texts from the same JSON files; only its own labels
// and buttons stay in frontend/src/i18n and the features' i18n.ts.
//
// Internal errors (EINTERNAL) are not declared: wrap them with fmt.Errorf;
// their wording goes only to the log.

var (
	MsgFileWrite = Declare("file.write", "reason")

	MsgInternal = Declare("internal")
	MsgBusy     = Declare("busy")
	MsgConflict = Declare("conflict")
	MsgInUse    = Declare("in_use")

	MsgEmailLineBreak     = Declare("email.line_break")
	MsgEmailMissing       = Declare("email.missing")
	MsgEmailSingle        = Declare("email.single")
	MsgEmailNoAt          = Declare("email.no_at")
	MsgEmailNoLocal       = Declare("email.no_local")
	MsgEmailNoDomain      = Declare("email.no_domain")
	MsgEmailManyAt        = Declare("email.many_at")
	MsgEmailLocalTooLong  = Declare("email.local_too_long", "max")
	MsgEmailLocalInvalid  = Declare("email.local_invalid")
	MsgEmailLocalDots     = Declare("email.local_dots")
	MsgEmailLocalChar     = Declare("email.local_char", "char")
	MsgEmailDomainLiteral = Declare("email.domain_literal")
	MsgEmailDomainDot     = Declare("email.domain_dot", "domain")
	MsgEmailDomainInvalid = Declare("email.domain_invalid", "domain")
	MsgEmailTooLong       = Declare("email.too_long", "max")
	MsgEmailLookalike     = Declare("email.lookalike", "email", "punycode")
	MsgEmailNotConfigured = Declare("email.not_configured")
	MsgEmailNoPassword    = Declare("email.no_password")
	MsgEmailTemplateKind  = Declare("email.template_kind")

	MsgOrganisationExists   = Declare("organisation.exists")
	MsgOrganisationNotFound = Declare("organisation.not_found")

	MsgExportFormat = Declare("export.format")

	MsgPreferencesLanguage = Declare("preferences.language", "language")

	MsgSearchTooLong = Declare("search.too_long", "max")
	MsgSearchControl = Declare("search.control")

	MsgBulkTooMany = Declare("bulk.too_many", "max")

	MsgListUnknownSort   = Declare("list.unknown_sort", "column")
	MsgListUnknownStatus = Declare("list.unknown_status", "status")

	MsgAuditBadTime = Declare("audit.bad_time", "value")

	MsgNameLineBreak = Declare("name.line_break")
	MsgNameMissing   = Declare("name.missing")
	MsgNameTooLong   = Declare("name.too_long", "max")
	MsgNameControl   = Declare("name.control")

	MsgUserExists               = Declare("user.exists", "email")
	MsgUserNotFound             = Declare("user.not_found")
	MsgUserRemoved              = Declare("user.removed", "name")
	MsgUserLastAdminDemoted     = Declare("user.last_admin.demoted", "name")
	MsgUserLastAdminDeactivated = Declare("user.last_admin.deactivated", "name")
	MsgUserLastAdminRemoved     = Declare("user.last_admin.removed", "name")
	MsgUserSelfRole             = Declare("user.self.role")
	MsgUserSelfDeactivate       = Declare("user.self.deactivate")
	MsgUserSelfRemove           = Declare("user.self.remove")

	MsgInvitationNotFound        = Declare("invitation.not_found")
	MsgInvitationExists          = Declare("invitation.exists", "email")
	MsgInvitationExistsExpired   = Declare("invitation.exists_expired", "email")
	MsgInvitationDuplicate       = Declare("invitation.duplicate", "email", "firstRow", "row")
	MsgInvitationAccepted        = Declare("invitation.accepted", "email")
	MsgInvitationDeleted         = Declare("invitation.deleted")
	MsgInvitationInvalidLink     = Declare("invitation.invalid_link")
	MsgInvitationExpired         = Declare("invitation.expired")
	MsgInvitationUnknownState    = Declare("invitation.unknown_state", "state")
	MsgInvitationUnknownDelivery = Declare("invitation.unknown_delivery", "delivery")
	MsgInvitationLinkNoUrl       = Declare("invitation.link_no_url")

	MsgPasswordMissing  = Declare("password.missing")
	MsgPasswordTooShort = Declare("password.too_short", "min")
	MsgPasswordTooLong  = Declare("password.too_long", "max")
	MsgPasswordControl  = Declare("password.control")
	MsgPasswordRepeated = Declare("password.repeated")
	MsgPasswordPersonal = Declare("password.personal")
	MsgPasswordCommon   = Declare("password.common")

	MsgPasswordResetInactive = Declare("password_reset.inactive", "name")
	MsgPasswordResetInvalid  = Declare("password_reset.invalid")
	MsgPasswordResetExpired  = Declare("password_reset.expired")

	MsgSessionInvalid  = Declare("session.invalid")
	MsgSessionInactive = Declare("session.inactive")

	MsgOidcClientNotFound     = Declare("oidc.client_not_found")
	MsgOidcClientName         = Declare("oidc.client_name")
	MsgOidcRedirectUriMissing = Declare("oidc.redirect_uri_missing")
	MsgOidcRedirectUri        = Declare("oidc.redirect_uri", "uri")
	MsgOidcRequestInvalid     = Declare("oidc.request_invalid")

	MsgCredentialNotFound = Declare("credential.not_found")

	MsgLinkNotPending = Declare("link.not_pending")

	MsgApiTokenNotAdmin = Declare("api_token.not_admin", "name")
	MsgApiTokenNotFound = Declare("api_token.not_found")
	MsgApiTokenInvalid  = Declare("api_token.invalid")

	MsgRoleNotFound          = Declare("role.not_found")
	MsgRoleMissing           = Declare("role.missing")
	MsgRoleUnknown           = Declare("role.unknown", "role", "roles")
	MsgRoleNoPermissions     = Declare("role.no_permissions")
	MsgRoleUnknownPermission = Declare("role.unknown_permission", "permission")
	MsgRoleExists            = Declare("role.exists", "name")
	MsgRoleBuiltIn           = Declare("role.built_in")
	MsgRoleInUse             = Declare("role.in_use", "name", "users", "invitations")

	MsgEmailSettingsHostMissing        = Declare("emailSettings.host_missing")
	MsgEmailSettingsHostInvalid        = Declare("emailSettings.host_invalid", "host")
	MsgEmailSettingsPort               = Declare("emailSettings.port")
	MsgEmailSettingsSecurity           = Declare("emailSettings.security")
	MsgEmailSettingsSecurityNone       = Declare("emailSettings.security_none")
	MsgEmailSettingsLanguage           = Declare("emailSettings.language")
	MsgEmailSettingsRateLimit          = Declare("emailSettings.rate_limit", "max")
	MsgEmailSettingsPlatformUrlMissing = Declare("emailSettings.platform_url_missing")
	MsgEmailSettingsPlatformUrlInvalid = Declare("emailSettings.platform_url_invalid")
	MsgEmailSettingsPlatformUrlHttps   = Declare("emailSettings.platform_url_https")
	MsgEmailSettingsPlatformUrlExtra   = Declare("emailSettings.platform_url_extra")
	MsgEmailSettingsFingerprint        = Declare("emailSettings.fingerprint")
	MsgEmailSettingsPasswordInvalid    = Declare("emailSettings.password_invalid")
	MsgEmailSettingsPasswordTooLong    = Declare("emailSettings.password_too_long")
	MsgEmailSettingsUsernameLineBreak  = Declare("emailSettings.username_line_break")
	MsgEmailSettingsUsernameControl    = Declare("emailSettings.username_control")
	MsgEmailSettingsUsernameTooLong    = Declare("emailSettings.username_too_long", "max")
	MsgEmailSettingsFromNameLineBreak  = Declare("emailSettings.from_name_line_break")
	MsgEmailSettingsFromNameControl    = Declare("emailSettings.from_name_control")
	MsgEmailSettingsFromNameTooLong    = Declare("emailSettings.from_name_too_long", "max")

	MsgKeyringNoSession   = Declare("keyring.no_session")
	MsgKeyringNoService   = Declare("keyring.no_service")
	MsgKeyringLocked      = Declare("keyring.locked")
	MsgKeyringTimeout     = Declare("keyring.timeout")
	MsgKeyringUnavailable = Declare("keyring.unavailable")
	MsgKeyringNotFound    = Declare("keyring.not_found")
	MsgKeyringTooBig      = Declare("keyring.too_big")

	MsgSmtpAuth              = Declare("smtp.auth").WithDetails("category", "stage", "server", "smtpCode", "reply", "fingerprint", "subject", "issuer", "notBefore", "notAfter", "reason")
	MsgSmtpCertificate       = Declare("smtp.certificate").WithDetails("category", "stage", "server", "smtpCode", "reply", "fingerprint", "subject", "issuer", "notBefore", "notAfter", "reason")
	MsgSmtpTls               = Declare("smtp.tls").WithDetails("category", "stage", "server", "smtpCode", "reply", "fingerprint", "subject", "issuer", "notBefore", "notAfter", "reason")
	MsgSmtpConnectionRefused = Declare("smtp.connection_refused", "server").WithDetails("category", "stage", "server", "smtpCode", "reply", "fingerprint", "subject", "issuer", "notBefore", "notAfter", "reason")
	MsgSmtpTimeout           = Declare("smtp.timeout", "server").WithDetails("category", "stage", "server", "smtpCode", "reply", "fingerprint", "subject", "issuer", "notBefore", "notAfter", "reason")
	MsgSmtpDns               = Declare("smtp.dns").WithDetails("category", "stage", "server", "smtpCode", "reply", "fingerprint", "subject", "issuer", "notBefore", "notAfter", "reason")
	MsgSmtpRejected          = Declare("smtp.rejected").WithDetails("category", "stage", "server", "smtpCode", "reply", "fingerprint", "subject", "issuer", "notBefore", "notAfter", "reason")
	MsgSmtpNetwork           = Declare("smtp.network").WithDetails("category", "stage", "server", "smtpCode", "reply", "fingerprint", "subject", "issuer", "notBefore", "notAfter", "reason")

	MsgOutboxNotFound         = Declare("outbox.not_found")
	MsgOutboxNotFailed        = Declare("outbox.not_failed").WithDetails("state")
	MsgOutboxInvitationClosed = Declare("outbox.invitation_closed")
	MsgOutboxResetClosed      = Declare("outbox.reset_closed")
	MsgOutboxDataLost         = Declare("outbox.data_lost")

	MsgImportEmpty                    = Declare("import.empty")
	MsgImportTooLarge                 = Declare("import.too_large").WithDetails("max", "size")
	MsgImportTooManyRows              = Declare("import.too_many_rows").WithDetails("max")
	MsgImportNoRows                   = Declare("import.no_rows")
	MsgImportHeader                   = Declare("import.header", "expected", "found")
	MsgImportXls                      = Declare("import.xls")
	MsgImportEncrypted                = Declare("import.encrypted")
	MsgImportOds                      = Declare("import.ods")
	MsgImportNotSpreadsheetPdf        = Declare("import.not_spreadsheet.pdf")
	MsgImportNotSpreadsheetImage      = Declare("import.not_spreadsheet.image")
	MsgImportNotSpreadsheetMedia      = Declare("import.not_spreadsheet.media")
	MsgImportNotSpreadsheetArchive    = Declare("import.not_spreadsheet.archive")
	MsgImportNotSpreadsheetWord       = Declare("import.not_spreadsheet.word")
	MsgImportNotSpreadsheetPowerpoint = Declare("import.not_spreadsheet.powerpoint")
	MsgImportNotSpreadsheetDocument   = Declare("import.not_spreadsheet.document")
	MsgImportNotSpreadsheetOffice     = Declare("import.not_spreadsheet.office")
	MsgImportNotSpreadsheetProgram    = Declare("import.not_spreadsheet.program")
	MsgImportNotSpreadsheetWeb        = Declare("import.not_spreadsheet.web")
	MsgImportNotSpreadsheetFolder     = Declare("import.not_spreadsheet.folder")
	MsgImportNotSpreadsheetBinary     = Declare("import.not_spreadsheet.binary")
	MsgImportDamaged                  = Declare("import.damaged")
	MsgImportUnpackedTooLarge         = Declare("import.unpacked_too_large").WithDetails("max")
	MsgImportRowTooLarge              = Declare("import.row_too_large").WithDetails("max", "row")
	MsgImportFileNotFound             = Declare("import.file_not_found")
	MsgImportFileForbidden            = Declare("import.file_forbidden")
	MsgImportUnreadable               = Declare("import.unreadable", "reason")
	MsgImportCanceled                 = Declare("import.canceled")
	MsgImportTransfer                 = Declare("import.transfer")
	MsgImportRelativePath             = Declare("import.relative_path")
	MsgImportUnavailable              = Declare("import.unavailable")
	MsgImportNotFound                 = Declare("import.not_found")
	MsgImportNothingToSend            = Declare("import.nothing_to_send")
	MsgImportRowNotFound              = Declare("import.row_not_found", "row")
	MsgImportRowSent                  = Declare("import.row_sent", "row")
	MsgImportSendRowFailed            = Declare("import.send_row_failed", "row").WithDetails("reason", "reasonKey")
	MsgImportTemplateFormat           = Declare("import.template_format").WithDetails("format")
	MsgImportRowEmailMissing          = Declare("import.row.email_missing")
	MsgImportRowDuplicate             = Declare("import.row.duplicate", "row")
	MsgImportRowMember                = Declare("import.row.member").WithDetails("email")
	MsgImportRowInvited               = Declare("import.row.invited").WithDetails("email")
	MsgImportRowRoleMissing           = Declare("import.row.role_missing", "roles")
	MsgImportRowRoleUnknown           = Declare("import.row.role_unknown", "role", "roles")
	MsgImportRowExtraColumns          = Declare("import.row.extra_columns", "columns").WithDetails("count")
	MsgImportRowTooLong               = Declare("import.row.too_long", "max")
	MsgImportRowQuotes                = Declare("import.row.quotes")

	MsgSyncUrlMissing        = Declare("sync.url_missing")
	MsgSyncUrlInvalid        = Declare("sync.url_invalid")
	MsgSyncUrlScheme         = Declare("sync.url_scheme", "scheme")
	MsgSyncUrlHttps          = Declare("sync.url_https")
	MsgSyncUrlExtra          = Declare("sync.url_extra")
	MsgSyncTokenMissing      = Declare("sync.token_missing")
	MsgSyncTokenInvalid      = Declare("sync.token_invalid", "max")
	MsgSyncUnreachable       = Declare("sync.unreachable", "server")
	MsgSyncTimeout           = Declare("sync.timeout", "server")
	MsgSyncCertificate       = Declare("sync.certificate", "server").WithDetails("reason")
	MsgSyncRedirect          = Declare("sync.redirect", "server", "location")
	MsgSyncTokenRefused      = Declare("sync.token_refused", "server")
	MsgSyncNotSupported      = Declare("sync.not_supported", "server")
	MsgSyncServerFailed      = Declare("sync.server_failed", "server", "status")
	MsgSyncBadAnswer         = Declare("sync.bad_answer", "server").WithDetails("status")
	MsgSyncAnswerTooLarge    = Declare("sync.answer_too_large", "server", "max")
	MsgSyncOtherOrganisation = Declare("sync.other_organisation", "server", "serverOrganisation", "organisation")
	MsgSyncEmptyServer       = Declare("sync.empty_server", "server", "serverOrganisation", "organisation")
	MsgSyncNotConnected      = Declare("sync.not_connected")
	MsgSyncNoToken           = Declare("sync.no_token")

	MsgLinkBadHash         = Declare("link.bad_hash")
	MsgLinkHashUsed        = Declare("link.hash_used")
	MsgApiUnauthorized     = Declare("api.unauthorized")
	MsgApiRateLimited      = Declare("api.rate_limited", "seconds")
	MsgApiBadClient        = Declare("api.bad_client", "header", "max")
	MsgApiTooLarge         = Declare("api.too_large", "max")
	MsgApiContentType      = Declare("api.content_type")
	MsgApiBadJson          = Declare("api.bad_json")
	MsgApiUnknownField     = Declare("api.unknown_field", "field")
	MsgApiWrongType        = Declare("api.wrong_type", "field", "type")
	MsgApiBadQuery         = Declare("api.bad_query")
	MsgApiUnknownParameter = Declare("api.unknown_parameter", "name")
	MsgApiBadNumber        = Declare("api.bad_number", "name", "min", "max")
	MsgApiMethod           = Declare("api.method", "method", "allowed")
	MsgApiNotFound         = Declare("api.not_found")
	MsgApiUpdateOne        = Declare("api.update_one")
	MsgApiCrossOrigin      = Declare("api.cross_origin")

	MsgSyncOpUnknown     = Declare("sync.op_unknown", "kind")
	MsgSyncOpInvalid     = Declare("sync.op_invalid", "kind")
	MsgSyncGap           = Declare("sync.gap", "expected")
	MsgSyncClientInvalid = Declare("sync.client_invalid", "max")
	MsgSyncClientTaken   = Declare("sync.client_taken")
	MsgSyncOpClient      = Declare("sync.op_client")
	MsgSyncOpOrder       = Declare("sync.op_order")
	MsgSyncBatchTooLarge = Declare("sync.batch_too_large", "max")

	MsgSyncConflictNotFound      = Declare("sync.conflict_not_found")
	MsgSyncConflictNotRepeatable = Declare("sync.conflict_not_repeatable", "kind")
)
