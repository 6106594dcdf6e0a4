export namespace app {
	
	export enum BulkAction {
	    ChangeRole = "changeRole",
	    Deactivate = "deactivate",
	    Remove = "remove",
	    Resend = "resend",
	    Delete = "delete",
	}
	export class AdminDTO {
	    id: string;
	    name: string;
	    email: string;
	
	    static createFrom(source: any = {}) {
	        return new AdminDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.email = source["email"];
	    }
	}
	export class ApplyAgainParams {
	    email: string;
	    roleId: string;
	    name: string;
	    permissions: string[];
	
	    static createFrom(source: any = {}) {
	        return new ApplyAgainParams(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.email = source["email"];
	        this.roleId = source["roleId"];
	        this.name = source["name"];
	        this.permissions = source["permissions"];
	    }
	}
	export class AuditEntryDTO {
	    id: number;
	    at: string;
	    actorName: string;
	    actorClient: string;
	    action: string;
	    targetType: string;
	    targetId: string;
	    targetLabel: string;
	    before: string;
	    after: string;
	
	    static createFrom(source: any = {}) {
	        return new AuditEntryDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.at = source["at"];
	        this.actorName = source["actorName"];
	        this.actorClient = source["actorClient"];
	        this.action = source["action"];
	        this.targetType = source["targetType"];
	        this.targetId = source["targetId"];
	        this.targetLabel = source["targetLabel"];
	        this.before = source["before"];
	        this.after = source["after"];
	    }
	}
	export class AuditExportParams {
	    format: string;
	    search: string;
	    action: string;
	    subject: string;
	    from: string;
	    to: string;
	    offset: number;
	    limit: number;
	
	    static createFrom(source: any = {}) {
	        return new AuditExportParams(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.format = source["format"];
	        this.search = source["search"];
	        this.action = source["action"];
	        this.subject = source["subject"];
	        this.from = source["from"];
	        this.to = source["to"];
	        this.offset = source["offset"];
	        this.limit = source["limit"];
	    }
	}
	export class AuditPageDTO {
	    entries: AuditEntryDTO[];
	    total: number;
	
	    static createFrom(source: any = {}) {
	        return new AuditPageDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.entries = this.convertValues(source["entries"], AuditEntryDTO);
	        this.total = source["total"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class AuditParams {
	    search: string;
	    action: string;
	    subject: string;
	    from: string;
	    to: string;
	    offset: number;
	    limit: number;
	
	    static createFrom(source: any = {}) {
	        return new AuditParams(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.search = source["search"];
	        this.action = source["action"];
	        this.subject = source["subject"];
	        this.from = source["from"];
	        this.to = source["to"];
	        this.offset = source["offset"];
	        this.limit = source["limit"];
	    }
	}
	export class ErrorDTO {
	    code: string;
	    message: string;
	    field?: string;
	    key?: string;
	    args?: {[key: string]: any};
	
	    static createFrom(source: any = {}) {
	        return new ErrorDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.code = source["code"];
	        this.message = source["message"];
	        this.field = source["field"];
	        this.key = source["key"];
	        this.args = source["args"];
	    }
	}
	export class BulkFailureDTO {
	    id: string;
	    label: string;
	    error: ErrorDTO;
	
	    static createFrom(source: any = {}) {
	        return new BulkFailureDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.label = source["label"];
	        this.error = this.convertValues(source["error"], ErrorDTO);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class BulkMatchDTO {
	    ids: string[];
	    capped: boolean;
	
	    static createFrom(source: any = {}) {
	        return new BulkMatchDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.ids = source["ids"];
	        this.capped = source["capped"];
	    }
	}
	export class BulkParams {
	    ids: string[];
	
	    static createFrom(source: any = {}) {
	        return new BulkParams(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.ids = source["ids"];
	    }
	}
	export class BulkResultDTO {
	    total: number;
	    done: number;
	    failed: BulkFailureDTO[];
	    canceled: boolean;
	
	    static createFrom(source: any = {}) {
	        return new BulkResultDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.total = source["total"];
	        this.done = source["done"];
	        this.failed = this.convertValues(source["failed"], BulkFailureDTO);
	        this.canceled = source["canceled"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class BulkRoleParams {
	    ids: string[];
	    roleId: string;
	
	    static createFrom(source: any = {}) {
	        return new BulkRoleParams(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.ids = source["ids"];
	        this.roleId = source["roleId"];
	    }
	}
	export class ChangeRoleParams {
	    roleId: string;
	
	    static createFrom(source: any = {}) {
	        return new ChangeRoleParams(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.roleId = source["roleId"];
	    }
	}
	export class ConflictRowDTO {
	    entity: string;
	    id: string;
	    missing: boolean;
	    name: string;
	    email: string;
	    roleId: string;
	    roleName: string;
	    status: string;
	    permissions: string[];
	
	    static createFrom(source: any = {}) {
	        return new ConflictRowDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.entity = source["entity"];
	        this.id = source["id"];
	        this.missing = source["missing"];
	        this.name = source["name"];
	        this.email = source["email"];
	        this.roleId = source["roleId"];
	        this.roleName = source["roleName"];
	        this.status = source["status"];
	        this.permissions = source["permissions"];
	    }
	}
	export class ConflictDTO {
	    seq: number;
	    kind: string;
	    at: string;
	    mine: ConflictRowDTO;
	    error: ErrorDTO;
	    server: ConflictRowDTO[];
	    repeatable: boolean;
	
	    static createFrom(source: any = {}) {
	        return new ConflictDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.seq = source["seq"];
	        this.kind = source["kind"];
	        this.at = source["at"];
	        this.mine = this.convertValues(source["mine"], ConflictRowDTO);
	        this.error = this.convertValues(source["error"], ErrorDTO);
	        this.server = this.convertValues(source["server"], ConflictRowDTO);
	        this.repeatable = source["repeatable"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class DirectoryEntryDTO {
	    kind: backend.EntryKind;
	    id: string;
	    name: string;
	    email: string;
	    roleId: string;
	    roleName: string;
	    status: backend.EntryStatus;
	    joinedAt: string;
	    expiresAt: string;
	    sync: backend.SyncMark;
	
	    static createFrom(source: any = {}) {
	        return new DirectoryEntryDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.id = source["id"];
	        this.name = source["name"];
	        this.email = source["email"];
	        this.roleId = source["roleId"];
	        this.roleName = source["roleName"];
	        this.status = source["status"];
	        this.joinedAt = source["joinedAt"];
	        this.expiresAt = source["expiresAt"];
	        this.sync = source["sync"];
	    }
	}
	export class DirectoryPageDTO {
	    entries: DirectoryEntryDTO[];
	    total: number;
	    atLeast: boolean;
	
	    static createFrom(source: any = {}) {
	        return new DirectoryPageDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.entries = this.convertValues(source["entries"], DirectoryEntryDTO);
	        this.total = source["total"];
	        this.atLeast = source["atLeast"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class DirectoryParams {
	    search: string;
	    roleId: string;
	    status: string;
	    sort: string;
	    desc: boolean;
	    offset: number;
	    limit: number;
	
	    static createFrom(source: any = {}) {
	        return new DirectoryParams(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.search = source["search"];
	        this.roleId = source["roleId"];
	        this.status = source["status"];
	        this.sort = source["sort"];
	        this.desc = source["desc"];
	        this.offset = source["offset"];
	        this.limit = source["limit"];
	    }
	}
	export class EmailSettingsDTO {
	    configured: boolean;
	    host: string;
	    port: number;
	    security: string;
	    username: string;
	    fromName: string;
	    fromAddress: string;
	    platformUrl: string;
	    language: string;
	    rateLimit: number;
	    trustedFingerprint: string;
	    passwordSet: boolean;
	    passwordStore: string;
	    keyringProblem?: ErrorDTO;
	
	    static createFrom(source: any = {}) {
	        return new EmailSettingsDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.configured = source["configured"];
	        this.host = source["host"];
	        this.port = source["port"];
	        this.security = source["security"];
	        this.username = source["username"];
	        this.fromName = source["fromName"];
	        this.fromAddress = source["fromAddress"];
	        this.platformUrl = source["platformUrl"];
	        this.language = source["language"];
	        this.rateLimit = source["rateLimit"];
	        this.trustedFingerprint = source["trustedFingerprint"];
	        this.passwordSet = source["passwordSet"];
	        this.passwordStore = source["passwordStore"];
	        this.keyringProblem = this.convertValues(source["keyringProblem"], ErrorDTO);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class EmailSettingsParams {
	    host: string;
	    port: number;
	    security: string;
	    username: string;
	    fromName: string;
	    fromAddress: string;
	    platformUrl: string;
	    language: string;
	    rateLimit: number;
	    trustedFingerprint?: string;
	    password: string;
	    sessionOnly: boolean;
	
	    static createFrom(source: any = {}) {
	        return new EmailSettingsParams(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.host = source["host"];
	        this.port = source["port"];
	        this.security = source["security"];
	        this.username = source["username"];
	        this.fromName = source["fromName"];
	        this.fromAddress = source["fromAddress"];
	        this.platformUrl = source["platformUrl"];
	        this.language = source["language"];
	        this.rateLimit = source["rateLimit"];
	        this.trustedFingerprint = source["trustedFingerprint"];
	        this.password = source["password"];
	        this.sessionOnly = source["sessionOnly"];
	    }
	}
	
	export class ImportSummaryDTO {
	    rows: number;
	    valid: number;
	    invalid: number;
	    sent: number;
	    blankRows: number;
	    missingEmail: number;
	    invalidEmail: number;
	    duplicate: number;
	    member: number;
	    invited: number;
	    missingRole: number;
	    unknownRole: number;
	    extraColumns: number;
	    tooLong: number;
	    malformed: number;
	    lookalike: number;
	
	    static createFrom(source: any = {}) {
	        return new ImportSummaryDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.rows = source["rows"];
	        this.valid = source["valid"];
	        this.invalid = source["invalid"];
	        this.sent = source["sent"];
	        this.blankRows = source["blankRows"];
	        this.missingEmail = source["missingEmail"];
	        this.invalidEmail = source["invalidEmail"];
	        this.duplicate = source["duplicate"];
	        this.member = source["member"];
	        this.invited = source["invited"];
	        this.missingRole = source["missingRole"];
	        this.unknownRole = source["unknownRole"];
	        this.extraColumns = source["extraColumns"];
	        this.tooLong = source["tooLong"];
	        this.malformed = source["malformed"];
	        this.lookalike = source["lookalike"];
	    }
	}
	export class ImportFileDTO {
	    name: string;
	    kind: string;
	    encoding: string;
	    separator: string;
	    sheet: string;
	
	    static createFrom(source: any = {}) {
	        return new ImportFileDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.kind = source["kind"];
	        this.encoding = source["encoding"];
	        this.separator = source["separator"];
	        this.sheet = source["sheet"];
	    }
	}
	export class ImportDTO {
	    id: string;
	    file: ImportFileDTO;
	    roles: string[];
	    summary: ImportSummaryDTO;
	    createdAt: string;
	    sentAt: string;
	
	    static createFrom(source: any = {}) {
	        return new ImportDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.file = this.convertValues(source["file"], ImportFileDTO);
	        this.roles = source["roles"];
	        this.summary = this.convertValues(source["summary"], ImportSummaryDTO);
	        this.createdAt = source["createdAt"];
	        this.sentAt = source["sentAt"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class ImportRowDTO {
	    row: number;
	    email: string;
	    role: string;
	    valid: boolean;
	    sent: boolean;
	    issues: ErrorDTO[];
	    punycode: string;
	
	    static createFrom(source: any = {}) {
	        return new ImportRowDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.row = source["row"];
	        this.email = source["email"];
	        this.role = source["role"];
	        this.valid = source["valid"];
	        this.sent = source["sent"];
	        this.issues = this.convertValues(source["issues"], ErrorDTO);
	        this.punycode = source["punycode"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ImportRowUpdateDTO {
	    rows: ImportRowDTO[];
	    summary: ImportSummaryDTO;
	
	    static createFrom(source: any = {}) {
	        return new ImportRowUpdateDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.rows = this.convertValues(source["rows"], ImportRowDTO);
	        this.summary = this.convertValues(source["summary"], ImportSummaryDTO);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ImportRowUpdateParams {
	    row: number;
	    email: string;
	    role: string;
	
	    static createFrom(source: any = {}) {
	        return new ImportRowUpdateParams(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.row = source["row"];
	        this.email = source["email"];
	        this.role = source["role"];
	    }
	}
	export class ImportRowsPageDTO {
	    rows: ImportRowDTO[];
	    total: number;
	
	    static createFrom(source: any = {}) {
	        return new ImportRowsPageDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.rows = this.convertValues(source["rows"], ImportRowDTO);
	        this.total = source["total"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ImportRowsParams {
	    offset: number;
	    limit: number;
	    needsAttention: boolean;
	
	    static createFrom(source: any = {}) {
	        return new ImportRowsParams(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.offset = source["offset"];
	        this.limit = source["limit"];
	        this.needsAttention = source["needsAttention"];
	    }
	}
	export class ImportSendResultDTO {
	    sent: number;
	    skipped: number;
	    summary: ImportSummaryDTO;
	
	    static createFrom(source: any = {}) {
	        return new ImportSendResultDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.sent = source["sent"];
	        this.skipped = source["skipped"];
	        this.summary = this.convertValues(source["summary"], ImportSummaryDTO);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class InvitationDTO {
	    id: string;
	    email: string;
	    roleId: string;
	    roleName: string;
	    invitedByName: string;
	    state: backend.InvitationState;
	    createdAt: string;
	    sentAt: string;
	    expiresAt: string;
	    acceptedAt: string;
	    deletedAt: string;
	    delivery: backend.DeliveryState;
	    deliveryError: string;
	    deliveryAttempts: number;
	    deliveredAt: string;
	    outboxId: number;
	    sync: backend.SyncMark;
	
	    static createFrom(source: any = {}) {
	        return new InvitationDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.email = source["email"];
	        this.roleId = source["roleId"];
	        this.roleName = source["roleName"];
	        this.invitedByName = source["invitedByName"];
	        this.state = source["state"];
	        this.createdAt = source["createdAt"];
	        this.sentAt = source["sentAt"];
	        this.expiresAt = source["expiresAt"];
	        this.acceptedAt = source["acceptedAt"];
	        this.deletedAt = source["deletedAt"];
	        this.delivery = source["delivery"];
	        this.deliveryError = source["deliveryError"];
	        this.deliveryAttempts = source["deliveryAttempts"];
	        this.deliveredAt = source["deliveredAt"];
	        this.outboxId = source["outboxId"];
	        this.sync = source["sync"];
	    }
	}
	export class InvitationLinkDTO {
	    invitation: InvitationDTO;
	    link: string;
	
	    static createFrom(source: any = {}) {
	        return new InvitationLinkDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.invitation = this.convertValues(source["invitation"], InvitationDTO);
	        this.link = source["link"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class InvitationPageDTO {
	    entries: InvitationDTO[];
	    total: number;
	
	    static createFrom(source: any = {}) {
	        return new InvitationPageDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.entries = this.convertValues(source["entries"], InvitationDTO);
	        this.total = source["total"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class InvitationsExportParams {
	    format: string;
	    search: string;
	    state: string;
	    delivery: string;
	    sort: string;
	    desc: boolean;
	    offset: number;
	    limit: number;
	
	    static createFrom(source: any = {}) {
	        return new InvitationsExportParams(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.format = source["format"];
	        this.search = source["search"];
	        this.state = source["state"];
	        this.delivery = source["delivery"];
	        this.sort = source["sort"];
	        this.desc = source["desc"];
	        this.offset = source["offset"];
	        this.limit = source["limit"];
	    }
	}
	export class InvitationsParams {
	    search: string;
	    state: string;
	    delivery: string;
	    sort: string;
	    desc: boolean;
	    offset: number;
	    limit: number;
	
	    static createFrom(source: any = {}) {
	        return new InvitationsParams(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.search = source["search"];
	        this.state = source["state"];
	        this.delivery = source["delivery"];
	        this.sort = source["sort"];
	        this.desc = source["desc"];
	        this.offset = source["offset"];
	        this.limit = source["limit"];
	    }
	}
	export class InviteParams {
	    email: string;
	    role: string;
	    confirmLookalike: boolean;
	
	    static createFrom(source: any = {}) {
	        return new InviteParams(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.email = source["email"];
	        this.role = source["role"];
	        this.confirmLookalike = source["confirmLookalike"];
	    }
	}
	export class MailPreviewDTO {
	    subject: string;
	    text: string;
	    html: string;
	
	    static createFrom(source: any = {}) {
	        return new MailPreviewDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.subject = source["subject"];
	        this.text = source["text"];
	        this.html = source["html"];
	    }
	}
	export class MailQueueDTO {
	    queued: number;
	    sending: number;
	    sent: number;
	    failed: number;
	    nextAttemptAt: string;
	
	    static createFrom(source: any = {}) {
	        return new MailQueueDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.queued = source["queued"];
	        this.sending = source["sending"];
	        this.sent = source["sent"];
	        this.failed = source["failed"];
	        this.nextAttemptAt = source["nextAttemptAt"];
	    }
	}
	export class OrganisationDTO {
	    name: string;
	    createdAt: string;
	
	    static createFrom(source: any = {}) {
	        return new OrganisationDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.createdAt = source["createdAt"];
	    }
	}
	export class PasswordResetDTO {
	    id: string;
	    userId: string;
	    createdAt: string;
	    expiresAt: string;
	
	    static createFrom(source: any = {}) {
	        return new PasswordResetDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.userId = source["userId"];
	        this.createdAt = source["createdAt"];
	        this.expiresAt = source["expiresAt"];
	    }
	}
	export class PreferencesDTO {
	    language: string;
	
	    static createFrom(source: any = {}) {
	        return new PreferencesDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.language = source["language"];
	    }
	}
	export class PreviewTemplateParams {
	    kind: string;
	    language: string;
	
	    static createFrom(source: any = {}) {
	        return new PreviewTemplateParams(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.language = source["language"];
	    }
	}
	export class RoleDTO {
	    id: string;
	    name: string;
	    builtIn: boolean;
	    permissions: string[];
	    userCount: number;
	    invitationCount: number;
	
	    static createFrom(source: any = {}) {
	        return new RoleDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.builtIn = source["builtIn"];
	        this.permissions = source["permissions"];
	        this.userCount = source["userCount"];
	        this.invitationCount = source["invitationCount"];
	    }
	}
	export class RoleParams {
	    name: string;
	    permissions: string[];
	
	    static createFrom(source: any = {}) {
	        return new RoleParams(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.permissions = source["permissions"];
	    }
	}
	export class SetupParams {
	    organisationName: string;
	    adminName: string;
	    adminEmail: string;
	
	    static createFrom(source: any = {}) {
	        return new SetupParams(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.organisationName = source["organisationName"];
	        this.adminName = source["adminName"];
	        this.adminEmail = source["adminEmail"];
	    }
	}
	export class StateDTO {
	    setupComplete: boolean;
	    organisation?: OrganisationDTO;
	    admin?: AdminDTO;
	    language: string;
	    systemLanguage: string;
	    systemLocale: string;
	    version: string;
	    databasePath: string;
	
	    static createFrom(source: any = {}) {
	        return new StateDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.setupComplete = source["setupComplete"];
	        this.organisation = this.convertValues(source["organisation"], OrganisationDTO);
	        this.admin = this.convertValues(source["admin"], AdminDTO);
	        this.language = source["language"];
	        this.systemLanguage = source["systemLanguage"];
	        this.systemLocale = source["systemLocale"];
	        this.version = source["version"];
	        this.databasePath = source["databasePath"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class SyncConnectParams {
	    url: string;
	    token: string;
	    sessionOnly: boolean;
	
	    static createFrom(source: any = {}) {
	        return new SyncConnectParams(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.url = source["url"];
	        this.token = source["token"];
	        this.sessionOnly = source["sessionOnly"];
	    }
	}
	export class SyncSettingsDTO {
	    connected: boolean;
	    url: string;
	    serverVersion: string;
	    organisationName: string;
	    administratorName: string;
	    administratorEmail: string;
	    connectedAt: string;
	    clientName: string;
	    tokenStore: string;
	    keyringProblem?: ErrorDTO;
	
	    static createFrom(source: any = {}) {
	        return new SyncSettingsDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.connected = source["connected"];
	        this.url = source["url"];
	        this.serverVersion = source["serverVersion"];
	        this.organisationName = source["organisationName"];
	        this.administratorName = source["administratorName"];
	        this.administratorEmail = source["administratorEmail"];
	        this.connectedAt = source["connectedAt"];
	        this.clientName = source["clientName"];
	        this.tokenStore = source["tokenStore"];
	        this.keyringProblem = this.convertValues(source["keyringProblem"], ErrorDTO);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class SyncStatusDTO {
	    connected: boolean;
	    running: boolean;
	    pending: number;
	    lastSyncAt: string;
	    lastError?: ErrorDTO;
	    conflicts: number;
	
	    static createFrom(source: any = {}) {
	        return new SyncStatusDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.connected = source["connected"];
	        this.running = source["running"];
	        this.pending = source["pending"];
	        this.lastSyncAt = source["lastSyncAt"];
	        this.lastError = this.convertValues(source["lastError"], ErrorDTO);
	        this.conflicts = source["conflicts"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class TestEmailParams {
	    to: string;
	
	    static createFrom(source: any = {}) {
	        return new TestEmailParams(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.to = source["to"];
	    }
	}
	export class TestEmailResultDTO {
	    to: string;
	    sentAt: string;
	
	    static createFrom(source: any = {}) {
	        return new TestEmailResultDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.to = source["to"];
	        this.sentAt = source["sentAt"];
	    }
	}
	export class TrustCertificateParams {
	    fingerprint: string;
	
	    static createFrom(source: any = {}) {
	        return new TrustCertificateParams(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.fingerprint = source["fingerprint"];
	    }
	}
	export class UserDTO {
	    id: string;
	    name: string;
	    email: string;
	    roleId: string;
	    roleName: string;
	    status: backend.UserStatus;
	    joinedAt: string;
	    removedAt: string;
	    lastSignInAt: string;
	    isSelf: boolean;
	    isLastAdmin: boolean;
	
	    static createFrom(source: any = {}) {
	        return new UserDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.email = source["email"];
	        this.roleId = source["roleId"];
	        this.roleName = source["roleName"];
	        this.status = source["status"];
	        this.joinedAt = source["joinedAt"];
	        this.removedAt = source["removedAt"];
	        this.lastSignInAt = source["lastSignInAt"];
	        this.isSelf = source["isSelf"];
	        this.isLastAdmin = source["isLastAdmin"];
	    }
	}
	export class UsersExportParams {
	    format: string;
	    search: string;
	    roleId: string;
	    status: string;
	    sort: string;
	    desc: boolean;
	    offset: number;
	    limit: number;
	
	    static createFrom(source: any = {}) {
	        return new UsersExportParams(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.format = source["format"];
	        this.search = source["search"];
	        this.roleId = source["roleId"];
	        this.status = source["status"];
	        this.sort = source["sort"];
	        this.desc = source["desc"];
	        this.offset = source["offset"];
	        this.limit = source["limit"];
	    }
	}

}

export namespace backend {
	
	export enum DeliveryState {
	    Queued = "queued",
	    Sending = "sending",
	    Sent = "sent",
	    Failed = "failed",
	    Cancelled = "cancelled",
	}
	export enum EntryKind {
	    User = "user",
	    Invitation = "invitation",
	}
	export enum EntryStatus {
	    Active = "active",
	    Inactive = "inactive",
	    Pending = "pending",
	    Expired = "expired",
	}
	export enum InvitationState {
	    Pending = "pending",
	    Expired = "expired",
	    Accepted = "accepted",
	    Deleted = "deleted",
	}
	export enum Permission {
	    Chat = "chat",
	    UseSkills = "use_skills",
	    CreateSkills = "create_skills",
	    ManageUsers = "manage_users",
	    ChangeSettings = "change_settings",
	    ConfigureModels = "configure_models",
	}
	export enum SyncMark {
	    None = "",
	    Waiting = "waiting",
	    Conflict = "conflict",
	}
	export enum UserStatus {
	    Active = "active",
	    Inactive = "inactive",
	    Removed = "removed",
	}

}

